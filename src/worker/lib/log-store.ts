/**
 * The admin page's log viewer: warning and error lines (already redacted by the logger) kept in D1, because a
 * Worker has no log file to tail. Console output stays the primary log (Workers Logs, `wrangler tail`).
 *
 * Retention is a fixed number of rows, pruned cheaply: ids only grow, so every PRUNE_EVERY-th insert deletes by
 * primary-key range everything more than LOG_STORE_MAX_ROWS ids behind it. The table never holds more than
 * LOG_STORE_MAX_ROWS + PRUNE_EVERY rows, and no insert pays for a COUNT(*).
 */
import type { LogSink } from "./log.ts";
import { redact } from "./redact.ts";

export const LOG_STORE_MAX_ROWS = 5000;
export const PRUNE_EVERY = 100;
const MAX_LINE_CHARS = 8000; // a stack trace fits; a runaway line is cut
const MAX_MESSAGE_CHARS = 500;

export async function storeLogEvent(db: D1Database, event: Parameters<LogSink>[0], maxRows = LOG_STORE_MAX_ROWS): Promise<void> {
  const row = await db
    .prepare("INSERT INTO log_events (level, message, request_id, line) VALUES (?, ?, ?, ?) RETURNING id")
    .bind(event.level, event.message.slice(0, MAX_MESSAGE_CHARS), event.requestId, event.line.slice(0, MAX_LINE_CHARS))
    .first<{ id: number }>();
  if (row && row.id % PRUNE_EVERY === 0) {
    await db
      .prepare("DELETE FROM log_events WHERE id <= ?")
      .bind(row.id - maxRows)
      .run();
  }
}

/**
 * A sink that stores in the background (`keepAlive` is the request's or batch's waitUntil). A failed write goes
 * to the console only: logging it through the logger would feed the sink again.
 */
export function d1LogSink(db: D1Database, keepAlive: (p: Promise<unknown>) => void): LogSink {
  return (event) => {
    keepAlive(
      storeLogEvent(db, event).catch((err: unknown) => {
        console.error(
          JSON.stringify({
            time: new Date().toISOString(),
            level: "error",
            message: "log store write failed",
            err: redact(String(err).slice(0, 300)),
          }),
        );
      }),
    );
  };
}
