/**
 * Failure classification for every LLM call (metrics.md): timeout, rate_limited, auth, bad_request, server,
 * network, malformed_stream, cancelled. Messages are sanitized (keys, bearer tokens) and truncated before they
 * leave this layer.
 */
import { redact } from "../lib/redact.ts";

export type ErrorClass = "timeout" | "rate_limited" | "auth" | "bad_request" | "server" | "network" | "malformed_stream" | "cancelled";

// Plain fields, not constructor parameter properties: Node's type stripping (tests/node) cannot erase those.
export class LlmError extends Error {
  readonly cls: ErrorClass;
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  constructor(cls: ErrorClass, message: string, status?: number, retryAfterSeconds?: number) {
    super(message);
    this.name = "LlmError";
    this.cls = cls;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
  /** Safe to retry: nothing was measured yet and the provider asked us to come back. */
  get retryable(): boolean {
    return this.cls === "rate_limited" || this.cls === "server";
  }
}

export type AbortReason = "timeout" | "cancelled";

function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown }).status;
  return typeof s === "number" ? s : undefined;
}

function retryAfterOf(err: unknown): number | undefined {
  const headers = (err as { headers?: { get?: (k: string) => string | null } }).headers;
  const raw = headers?.get?.("retry-after");
  const n = raw ? Number(raw) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function classifyError(err: unknown, secrets: readonly string[], abortReason: AbortReason | null): LlmError {
  if (err instanceof LlmError) return err;
  const raw = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const message = redact(raw, secrets).slice(0, 300);
  if (abortReason === "cancelled") return new LlmError("cancelled", "Cancelled");
  if (abortReason === "timeout") return new LlmError("timeout", "Timed out waiting for the provider");
  const status = statusOf(err);
  if (status === 429) return new LlmError("rate_limited", message, status, retryAfterOf(err));
  if (status === 401 || status === 403) return new LlmError("auth", message, status);
  if (status !== undefined && status >= 500) return new LlmError("server", message, status, retryAfterOf(err));
  if (status !== undefined && status >= 400) return new LlmError("bad_request", message, status);
  if (err instanceof SyntaxError || /JSON|Unexpected token|could not parse/i.test(raw)) return new LlmError("malformed_stream", message);
  if (/timed? ?out/i.test(raw)) return new LlmError("timeout", message);
  return new LlmError("network", message);
}
