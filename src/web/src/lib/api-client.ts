// Authenticated API client: Bearer header, one shared refresh + single retry on 401.
import { ApiError, type HttpMethod, readJson, send } from "./http";
import { endSession, ensureSession, getAccessToken, refreshSession } from "./session";

async function request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
  await ensureSession();
  let res = await send(method, path, body, getAccessToken());
  if (res.status === 401) {
    const user = await refreshSession();
    if (!user) return sessionLost();
    res = await send(method, path, body, getAccessToken());
    if (res.status === 401) return sessionLost();
  }
  return readJson<T>(res);
}

function sessionLost(): never {
  endSession();
  throw new ApiError({ status: 401, code: "unauthorized", message: "Your session has ended. Please log in again." });
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  del: <T>(path: string, body?: unknown) => request<T>("DELETE", path, body),
};

export { ApiError };
