// Low-level JSON transport for /api: one fetch, one error type, no auth logic.
import type { ErrorDetail, ErrorEnvelope } from "./types";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly details: ErrorDetail[];
  readonly retryAfterSeconds: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    requestId?: string | null;
    details?: ErrorDetail[];
    retryAfterSeconds?: number | null;
  }) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.details = init.details ?? [];
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** Sends one request; throws ApiError(status 0) when the network or server is unreachable. */
export async function send(method: HttpMethod, path: string, body?: unknown, accessToken?: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  try {
    return await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: "network_error",
      message: "Can't reach the server. Check your connection and try again.",
    });
  }
}

/** Parses a JSON success body, or converts the error envelope into an ApiError. */
export async function readJson<T>(res: Response): Promise<T> {
  const text = await res.text().catch(() => "");
  let parsed: unknown;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (res.ok) return (parsed ?? {}) as T;

  const envelope = isEnvelope(parsed) ? parsed : null;
  throw new ApiError({
    status: res.status,
    code: envelope?.code ?? fallbackCode(res.status),
    message: envelope?.error ?? fallbackMessage(res.status),
    requestId: envelope?.request_id ?? res.headers.get("X-Request-ID"),
    details: Array.isArray(envelope?.details) ? envelope.details : [],
    retryAfterSeconds: parseRetryAfter(res.headers.get("Retry-After")),
  });
}

function isEnvelope(value: unknown): value is ErrorEnvelope {
  return typeof value === "object" && value !== null && typeof (value as ErrorEnvelope).error === "string";
}

function fallbackCode(status: number): string {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 429) return "rate_limited";
  return status >= 500 ? "internal" : "bad_request";
}

function fallbackMessage(status: number): string {
  if (status === 404) return "Not found.";
  if (status === 429) return "Too many requests. Please wait a moment.";
  if (status >= 500) return `The server had a problem (HTTP ${status}). Please try again.`;
  return `Request failed (HTTP ${status}).`;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** One human sentence for an error, plus field details when the server sent them. */
export function describeError(err: unknown): { message: string; details: string[] } {
  if (err instanceof ApiError) {
    return {
      message: err.message,
      details: err.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)),
    };
  }
  return { message: "Something went wrong. Please try again.", details: [] };
}
