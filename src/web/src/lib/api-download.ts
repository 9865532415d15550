// Downloads a file the API builds (CSV exports, the settings backup): an authenticated GET, saved under the name
// the server's Content-Disposition gives (or `fallbackName`). Errors arrive as the usual ApiError.
import { ApiError, readJson, send } from "./http";
import { ensureSession, getAccessToken, refreshSession } from "./session";

/** The filename of `attachment; filename="x.csv"`, or null. */
export function attachmentName(header: string | null): string | null {
  const match = header?.match(/filename="?([^";]+)"?/i);
  return match?.[1]?.trim() || null;
}

export function saveBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** GETs `path` and saves the body; returns the filename used. */
export async function downloadFromApi(path: string, fallbackName: string): Promise<string> {
  await ensureSession();
  let res = await send("GET", path, undefined, getAccessToken());
  if (res.status === 401 && (await refreshSession())) res = await send("GET", path, undefined, getAccessToken());
  if (!res.ok) {
    await readJson(res); // throws the envelope's ApiError
    throw new ApiError({ status: res.status, code: "bad_request", message: `Download failed (HTTP ${res.status}).` });
  }
  const name = attachmentName(res.headers.get("Content-Disposition")) ?? fallbackName;
  saveBlob(name, await res.blob());
  return name;
}
