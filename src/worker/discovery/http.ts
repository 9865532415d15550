/**
 * GET a provider's JSON (model lists, local servers' status endpoints) with the guard and limits every such call
 * needs: the private-address guard on the URL and on every redirect (a public server must not bounce us into a
 * private network), a time-out, a size cap, and errors that name the host and status but never the key.
 */
import { privateAddressMessage, privateAddressReason, privateUrlsAllowed } from "../lib/private-address.ts";
import { redact } from "../lib/redact.ts";

/** Model lists of large providers are a few hundred kB; anything much larger is not a model list. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_REDIRECTS = 3;

export type ProviderFetchFailure = "refused" | "timeout" | "connection" | "http" | "malformed";

export class ProviderFetchError extends Error {
  readonly kind: ProviderFetchFailure;
  readonly status: number | null;
  readonly host: string;
  constructor(kind: ProviderFetchFailure, message: string, host: string, status: number | null = null) {
    super(message);
    this.name = "ProviderFetchError";
    this.kind = kind;
    this.status = status;
    this.host = host;
  }
}

export interface GetJsonOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  /** The deployment's own address (the built-in simulator): not user-given, so not guarded. */
  trusted?: boolean;
  /** Values to scrub from any error text (the key sent). */
  secrets?: readonly string[];
}

/** The parsed JSON body of a 2xx answer; a ProviderFetchError otherwise. */
export async function getJson(env: Env, url: string, opts: GetJsonOptions): Promise<unknown> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const host = current.host;
    if (!opts.trusted && !privateUrlsAllowed(env)) {
      const reason = privateAddressReason(current);
      if (reason) throw new ProviderFetchError("refused", privateAddressMessage(current, reason), host);
    }
    let res: Response;
    try {
      res = await fetch(current, { headers: { accept: "application/json", ...opts.headers }, redirect: "manual", signal });
    } catch (err) {
      if (signal.aborted) throw new ProviderFetchError("timeout", `${host} did not answer within ${opts.timeoutMs / 1000} s`, host);
      const why = redact(err instanceof Error ? err.message : String(err), opts.secrets).slice(0, 200);
      throw new ProviderFetchError("connection", `Could not connect to ${host}: ${why}`, host);
    }
    if (res.status >= 300 && res.status < 400 && res.headers.get("location")) {
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new ProviderFetchError("http", `${host} redirected more than ${MAX_REDIRECTS} times`, host, res.status);
      current = new URL(res.headers.get("location") as string, current);
      continue;
    }
    let text: string;
    try {
      text = await readCapped(res);
    } catch (err) {
      if (signal.aborted) throw new ProviderFetchError("timeout", `${host} did not finish answering within ${opts.timeoutMs / 1000} s`, host);
      throw err instanceof ProviderFetchError ? err : new ProviderFetchError("connection", `${host} closed the connection`, host);
    }
    if (!res.ok) {
      const snippet = redact(text.replace(/\s+/g, " ").trim(), opts.secrets).slice(0, 200);
      throw new ProviderFetchError("http", `${host} answered HTTP ${res.status}${snippet ? `: ${snippet}` : ""}`, host, res.status);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new ProviderFetchError("malformed", `${host} did not answer with JSON`, host, res.status);
    }
  }
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ProviderFetchError("malformed", `The answer was larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`, new URL(res.url || "http://x").host);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}
