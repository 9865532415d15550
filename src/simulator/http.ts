/** Small node:http helpers shared by the LLM endpoints and the control API. */

import type { IncomingMessage, ServerResponse } from "node:http";

/** Large enough for the biggest context-tier prompts (a 1M-token prompt is ~4 MB of text). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string };

/** Reads and parses a JSON body; an empty body reads as undefined. Rejects if the client goes away. */
export async function readJson(req: IncomingMessage): Promise<BodyResult> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY_BYTES) return { ok: false, status: 413, message: `Request body exceeds ${MAX_BODY_BYTES} bytes.` };
    parts.push(part);
  }
  const text = Buffer.concat(parts).toString("utf8");
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, message: "Request body is not valid JSON." };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
