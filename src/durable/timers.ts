/**
 * One alarm, many timers. A Durable Object has a single alarm, so every logical timer (ticket clean-up now;
 * job timeouts, lost-work checks and schedules later) is a row, and the alarm is always armed for the earliest.
 * `runDue` runs every overdue row (rows survive eviction, in-memory timers would not), deletes a row only after
 * its handler succeeds, and backs off a failing row without blocking the others.
 */
export type TimerHandler = (payload: unknown, timer: TimerRow) => Promise<void> | void;

export interface TimerRow {
  id: string;
  kind: string;
  due_at: number;
  payload: string;
  dedupe_key: string | null;
  attempts: number;
  [column: string]: SqlStorageValue;
}

const MAX_BACKOFF_MS = 5 * 60_000;

export class TimerTable {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly handlers: Record<string, TimerHandler>,
  ) {}

  private get sql() {
    return this.storage.sql;
  }

  /** Adds a timer; with a dedupe key, an existing timer of that key is moved instead of duplicated. */
  async schedule(kind: string, dueAt: number, payload: unknown = {}, dedupeKey?: string): Promise<void> {
    this.sql.exec(
      `INSERT INTO timers (id, kind, due_at, payload, dedupe_key) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(dedupe_key) DO UPDATE SET due_at = excluded.due_at, payload = excluded.payload, attempts = 0`,
      crypto.randomUUID(),
      kind,
      Math.floor(dueAt),
      JSON.stringify(payload),
      dedupeKey ?? null,
    );
    await this.armNextAlarm();
  }

  async cancel(dedupeKey: string): Promise<void> {
    this.sql.exec("DELETE FROM timers WHERE dedupe_key = ?", dedupeKey);
    await this.armNextAlarm();
  }

  pending(): TimerRow[] {
    return this.sql.exec<TimerRow>("SELECT * FROM timers ORDER BY due_at").toArray();
  }

  async armNextAlarm(): Promise<void> {
    const next = this.sql.exec<{ due: number | null }>("SELECT MIN(due_at) AS due FROM timers").one().due;
    if (next === null) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(Math.max(next, Date.now() + 1));
  }

  async runDue(now = Date.now()): Promise<number> {
    const due = this.sql.exec<TimerRow>("SELECT * FROM timers WHERE due_at <= ? ORDER BY due_at", now).toArray();
    for (const timer of due) {
      const handler = this.handlers[timer.kind];
      try {
        if (!handler) throw new Error(`no handler for timer kind "${timer.kind}"`);
        await handler(JSON.parse(timer.payload), timer);
        this.sql.exec("DELETE FROM timers WHERE id = ? AND due_at = ?", timer.id, timer.due_at);
      } catch (err) {
        const attempts = timer.attempts + 1;
        const retryAt = Date.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts);
        this.sql.exec(
          "UPDATE timers SET attempts = ?, due_at = ?, last_error = ? WHERE id = ?",
          attempts,
          retryAt,
          String(err).slice(0, 500),
          timer.id,
        );
      }
    }
    await this.armNextAlarm();
    return due.length;
  }
}
