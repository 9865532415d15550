/**
 * LLM-call failures as a user can act on them: one stable `error_class` per failure, a short label, and a hint
 * that names what to check (the provider and its host, never a key or a full URL). The Worker classifies with it
 * (llm/errors.ts) and the web labels with it, so both say the same thing.
 *
 * The classifier reads errors by shape, not by `instanceof`: it must not pull the provider SDKs into the web
 * bundle, and both SDKs (openai, @anthropic-ai/sdk) give their errors the same shape: `status`, the provider's
 * error body under `error`, and constructor names such as APIConnectionError.
 */

export const CALL_ERROR_CLASSES = [
  "auth",
  "rate_limited",
  "not_found",
  "bad_request",
  "server",
  "timeout",
  "connection",
  "disconnected",
  "malformed_stream",
  "cancelled",
  "unknown",
] as const;
export type CallErrorClass = (typeof CALL_ERROR_CLASSES)[number];

export const ERROR_CLASS_LABELS: Record<CallErrorClass, string> = {
  auth: "Authentication failed",
  rate_limited: "Rate limited",
  not_found: "Model or endpoint not found",
  bad_request: "Request rejected",
  server: "Provider server error",
  timeout: "Timed out",
  connection: "Could not connect",
  disconnected: "Connection dropped mid-answer",
  malformed_stream: "Malformed response",
  cancelled: "Cancelled",
  unknown: "Unexpected error",
};

export function isCallErrorClass(value: unknown): value is CallErrorClass {
  return typeof value === "string" && (CALL_ERROR_CLASSES as readonly string[]).includes(value);
}

/** The label of a stored class; a class this build does not know is shown as it is. */
export function errorClassLabel(cls: string | null | undefined): string {
  if (!cls) return ERROR_CLASS_LABELS.unknown;
  return isCallErrorClass(cls) ? ERROR_CLASS_LABELS[cls] : cls;
}

/** What to check for a failure of this class, naming the provider and host when they are known. */
export function failureHint(cls: string | null | undefined, where: { provider?: string | null; host?: string | null }): string {
  const provider = where.provider || "the provider";
  const at = where.host ? ` at ${where.host}` : "";
  switch (cls) {
    case "auth":
      return `Check the API key for ${provider} in Settings → Keys, and that it may use this model.`;
    case "rate_limited":
      return `${provider} is rate-limiting this key: wait a minute, run fewer models or runs at once, or raise the key's rate limits with the provider.`;
    case "not_found":
      return `Check the model id in Settings → Providers, and that the base URL of ${provider}${at} has the right path (often /v1).`;
    case "bad_request":
      return `${provider} rejected the request: check max tokens, temperature and provider parameters, or add the parameter it rejects to the model's skip params in Settings → Providers.`;
    case "server":
      return `${provider}${at} failed on its side: try again later; on your own server, check its logs.`;
    case "timeout":
      return `No complete answer in time: raise the timeout, lower max tokens, or check whether the server${at} is overloaded.`;
    case "connection":
      return `Is the server up${at}? Check the base URL of ${provider} in Settings → Providers and that this host is reachable from the app.`;
    case "disconnected":
      return `The server${at} closed the connection mid-answer: it may have crashed or restarted, or a proxy cut the stream. Check its logs.`;
    case "malformed_stream":
      return `The answer${at} was not valid ${provider} protocol: check the provider's API kind (OpenAI or Anthropic) and base URL; a proxy or web page may be answering instead.`;
    case "cancelled":
      return "The run was cancelled before this call finished.";
    default:
      return `See the message; if it repeats, check the settings of ${provider} in Settings → Providers.`;
  }
}

/** Only the host (and port) of a base URL: never credentials, path or query (which may carry a key). */
export function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}

export interface ClassifiedFailure {
  cls: CallErrorClass;
  /** One line about what happened, in the provider's own words where it gave any (not yet scrubbed of secrets). */
  message: string;
  status?: number;
  retryAfterSeconds?: number;
}

export interface FailureContext {
  /** Why the caller aborted the call itself, if it did. */
  abortReason: "timeout" | "cancelled" | null;
  /** The provider had started answering (status and headers received): a connection lost now was cut mid-answer. */
  responseStarted?: boolean;
}

type ErrorShape = {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  code?: unknown;
  type?: unknown;
  error?: unknown;
  cause?: unknown;
  headers?: unknown;
};

const CONNECTION_TEXT =
  /network connection lost|fetch failed|econnrefused|econnreset|enotfound|eai_again|socket hang up|other side closed|connection (refused|reset|closed)|terminated|\btls\b|certificate/i;

function kindOf(err: unknown): string {
  if (!err || typeof err !== "object") return "";
  const ctor = (err as { constructor?: { name?: unknown } }).constructor?.name;
  const name = (err as ErrorShape).name;
  // The openai SDK names every error "Error"; its constructor still says which one it is.
  return typeof ctor === "string" && ctor !== "Error" && ctor !== "Object" ? ctor : typeof name === "string" ? name : "";
}

function textOf(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The provider's own message from an SDK API error (OpenAI `{error:{message}}`, Anthropic `{error:{error:{message}}}`). */
function providerMessage(e: ErrorShape, status: number): string {
  const body = e.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const own = textOf(body?.error?.message) || textOf(body?.message);
  if (own) return own;
  return textOf(e.message).replace(new RegExp(`^${status}\\s*`), "") || `HTTP ${status}`;
}

function providerCode(e: ErrorShape): string {
  const body = e.error as { code?: unknown; type?: unknown; error?: { type?: unknown } } | undefined;
  return [e.code, e.type, body?.code, body?.type, body?.error?.type].map(textOf).join(" ");
}

function retryAfterOf(e: ErrorShape): number | undefined {
  const headers = e.headers as { get?: (k: string) => string | null } | undefined;
  const raw = typeof headers?.get === "function" ? headers.get("retry-after") : null;
  const n = raw ? Number(raw) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The message with its cause, for errors that wrap the real one ("Connection error." ← "Network connection lost."). */
function messageWithCause(e: ErrorShape): string {
  const own = textOf(e.message) || kindOf(e) || "Unknown error";
  const cause = e.cause as ErrorShape | undefined;
  const inner = cause && typeof cause === "object" ? textOf(cause.message) : "";
  return inner && !own.includes(inner) ? `${own} (${inner})` : own;
}

/** Maps a failed LLM call (an SDK error, a fetch error, our own abort) to its class and a one-line message. */
export function classifyCallFailure(err: unknown, ctx: FailureContext): ClassifiedFailure {
  if (ctx.abortReason === "cancelled") return { cls: "cancelled", message: "Cancelled" };
  if (ctx.abortReason === "timeout") return { cls: "timeout", message: "No complete answer within the timeout" };
  const e: ErrorShape = err && typeof err === "object" ? (err as ErrorShape) : { message: String(err) };
  const kind = kindOf(err);
  if (kind === "APIUserAbortError" || kind === "AbortError") return { cls: "cancelled", message: "Cancelled" };
  if (kind === "APIConnectionTimeoutError") return { cls: "timeout", message: messageWithCause(e) };

  const status = typeof e.status === "number" ? e.status : undefined;
  if (status !== undefined && status >= 400) {
    const message = `HTTP ${status}: ${providerMessage(e, status)}`;
    if (status === 401 || status === 403) return { cls: "auth", message, status };
    if (status === 429) return { cls: "rate_limited", message, status, retryAfterSeconds: retryAfterOf(e) };
    if (status === 408) return { cls: "timeout", message, status };
    if (status === 404 || /model_not_found|not_found_error/.test(providerCode(e))) return { cls: "not_found", message, status };
    if (status >= 500) return { cls: "server", message, status, retryAfterSeconds: retryAfterOf(e) };
    return { cls: "bad_request", message, status };
  }

  const message = messageWithCause(e);
  if (kind === "SyntaxError" || /malformed|JSON|Unexpected token|could not parse/i.test(message)) return { cls: "malformed_stream", message };
  if (kind === "APIConnectionError" || CONNECTION_TEXT.test(message)) {
    return { cls: ctx.responseStarted ? "disconnected" : "connection", message };
  }
  if (/timed? ?out/i.test(message)) return { cls: "timeout", message };
  return { cls: "unknown", message };
}

/** Failures worth another try before anything was measured: the provider asked us to come back. */
export function isRetryableClass(cls: CallErrorClass): boolean {
  return cls === "rate_limited" || cls === "server";
}
