/** Structured JSON logs (one line per event), with secrets scrubbed. Workers Logs indexes the fields. */
import { redact } from "./redact.ts";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Receives every warning and error line after redaction (lib/log-store.ts keeps them in D1 for the admin page). */
export type LogSink = (event: { level: "warn" | "error"; message: string; line: string; requestId: string | null }) => void;

export function makeLogger(minLevel: string | undefined, base: Record<string, unknown> = {}, sink?: LogSink) {
  const min = ORDER[(minLevel as Level) ?? "info"] ?? ORDER.info;
  const emit = (level: Level, message: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < min) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...base, ...fields });
    const safe = redact(line);
    if (level === "error") console.error(safe);
    else if (level === "warn") console.warn(safe);
    else console.log(safe);
    if (sink && (level === "warn" || level === "error")) {
      const requestId = fields.request_id ?? base.request_id;
      sink({ level, message: redact(message), line: safe, requestId: typeof requestId === "string" ? requestId : null });
    }
  };
  return {
    debug: (m: string, f?: Record<string, unknown>) => emit("debug", m, f),
    info: (m: string, f?: Record<string, unknown>) => emit("info", m, f),
    warn: (m: string, f?: Record<string, unknown>) => emit("warn", m, f),
    error: (m: string, f?: Record<string, unknown>) => emit("error", m, f),
    child: (fields: Record<string, unknown>) => makeLogger(minLevel, { ...base, ...fields }, sink),
  };
}

export type Logger = ReturnType<typeof makeLogger>;

/**
 * An error for a log line: name and message along the cause chain, plus the first stack's frames. drizzle's
 * "Failed query: … params: …" message (and the stack's first lines, which repeat it) carry the bound values,
 * which can be user data or hashes, so only its SQL text is kept.
 */
export function describeError(err: unknown): { err: string; stack?: string } {
  const parts: string[] = [];
  let stack: string | undefined;
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++, e = (e as { cause?: unknown }).cause) {
    if (!(e instanceof Error)) {
      parts.push(String(e));
      break;
    }
    const query = (e as { query?: unknown }).query;
    parts.push(typeof query === "string" ? `${e.name}: Failed query: ${query.slice(0, 500)}` : `${e.name}: ${e.message}`);
    stack ??= e.stack
      ?.split("\n")
      .filter((l) => /^\s+at /.test(l))
      .join("\n");
  }
  return { err: parts.join(" <- caused by: "), ...(stack ? { stack } : {}) };
}
