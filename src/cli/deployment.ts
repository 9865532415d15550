/**
 * The deployment's public API as the CLI calls it: Bearer-authenticated JSON requests, with failures turned into
 * the CLI's exit codes. An auth failure (revoked, expired or unknown token) is exit 2 with what to do; a network
 * failure or a server error is exit 3. The token never appears in a message (only the server's error text does).
 */
import { CliError, EXIT } from "./command.ts";
import type { Credentials } from "./credentials.ts";

/** The stable error envelope of the API ({ error, code, request_id, details? }). */
interface Envelope {
  error?: string;
  code?: string;
  details?: { path: string; message: string }[];
}

export class Deployment {
  readonly url: string;
  readonly #token: string;

  constructor(creds: Credentials) {
    this.url = creds.url.replace(/\/+$/, "");
    this.#token = creds.token;
  }

  /** The raw response of an authenticated request; network failures become exit 3. */
  async fetch(pathname: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}`, "user-agent": "llm-bench" };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    try {
      return await fetch(`${this.url}${pathname}`, {
        method: init.method ?? (init.body === undefined ? "GET" : "POST"),
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal ?? AbortSignal.timeout(60_000),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach ${this.url}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, EXIT.provider);
    }
  }

  /** A JSON request; a non-2xx answer becomes a CliError with the server's message and the matching exit code. */
  async json<T = unknown>(pathname: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const res = await this.fetch(pathname, init);
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (res.ok) return body as T;
    throw apiError(res.status, body as Envelope | undefined, `${init.method ?? (init.body === undefined ? "GET" : "POST")} ${pathname}`);
  }

  /**
   * A stored run read back after its job ended: once the server has written its end (`completed_at`), or as it is
   * after a short wait (the job's end event can arrive a moment before the run row's final write).
   */
  async settled<T extends { completed_at: string | null }>(pathname: string, waitMs = 10_000): Promise<T> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const run = await this.json<T>(pathname);
      if (run.completed_at || Date.now() > deadline) return run;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** A WebSocket on the user's hub: a single-use ticket first (the token never goes in a URL). */
  async socket(): Promise<WebSocket> {
    const { ticket } = await this.json<{ ticket: string }>("/api/auth/ws-ticket", { method: "POST" });
    const ws = new WebSocket(`${this.url.replace(/^http/, "ws")}/ws?ticket=${encodeURIComponent(ticket)}`);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve(), { once: true });
      ws.addEventListener("error", () => reject(new CliError(`cannot open the live connection to ${this.url}/ws`, EXIT.provider)), { once: true });
    });
    return ws;
  }
}

export function apiError(status: number, body: Envelope | undefined, what: string): CliError {
  const message = body?.error ?? `HTTP ${status}`;
  const details = body?.details?.length ? `\n${body.details.map((d) => `  ${d.path}: ${d.message}`).join("\n")}` : "";
  if (status === 401) {
    const why = body?.code === "token_expired" ? "the CLI token has expired" : message;
    return new CliError(
      `the deployment refused the CLI token (${why}).\nCreate a new token in the web app (Settings → CLI tokens) and run llm-bench login again.`,
      EXIT.input,
    );
  }
  if (status === 403) return new CliError(`${what}: not allowed: ${message}`, EXIT.input);
  if (status >= 400 && status < 500) return new CliError(`${what}: ${message}${details}`, EXIT.input);
  return new CliError(`${what}: the deployment answered ${status}: ${message}`, EXIT.provider);
}
