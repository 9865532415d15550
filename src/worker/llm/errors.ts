/**
 * The error every LLM call throws: its class (src/shared/call-errors.ts, shared with the web), a message scrubbed
 * of keys and bearer tokens and cut to 300 characters, and the host it was calling (never the full URL).
 */
import { type CallErrorClass, classifyCallFailure, isRetryableClass } from "../../shared/call-errors.ts";
import { redact } from "../lib/redact.ts";

export type ErrorClass = CallErrorClass;

// Plain fields, not constructor parameter properties: Node's type stripping (tests/node) cannot erase those.
export class LlmError extends Error {
  readonly cls: ErrorClass;
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  /** The provider's host (and port), when the failure is about a call to it. */
  readonly host: string | null;
  constructor(cls: ErrorClass, message: string, opts: { status?: number; retryAfterSeconds?: number; host?: string | null } = {}) {
    super(message);
    this.name = "LlmError";
    this.cls = cls;
    this.status = opts.status;
    this.retryAfterSeconds = opts.retryAfterSeconds;
    this.host = opts.host ?? null;
  }
  /** Safe to retry: nothing was measured yet and the provider asked us to come back. */
  get retryable(): boolean {
    return isRetryableClass(this.cls);
  }
  /** The same failure, said to be about `host` (kept when it already names one). */
  at(host: string | null): LlmError {
    if (this.host || !host) return this;
    return new LlmError(this.cls, this.message, { status: this.status, retryAfterSeconds: this.retryAfterSeconds, host });
  }
}

export type AbortReason = "timeout" | "cancelled";

export interface ClassifyOptions {
  host?: string | null;
  /** The provider had started answering: a lost connection now is `disconnected`, not `connection`. */
  responseStarted?: boolean;
}

export function classifyError(err: unknown, secrets: readonly string[], abortReason: AbortReason | null, opts: ClassifyOptions = {}): LlmError {
  if (err instanceof LlmError) return err.at(opts.host ?? null);
  const c = classifyCallFailure(err, { abortReason, responseStarted: opts.responseStarted });
  const message = redact(c.message, secrets).slice(0, 300);
  return new LlmError(c.cls, message, { status: c.status, retryAfterSeconds: c.retryAfterSeconds, host: opts.host });
}
