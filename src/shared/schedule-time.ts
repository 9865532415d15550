/**
 * When a schedule runs next: an interval (every N hours of elapsed time, anchored at a moment, so DST never
 * stretches or shrinks it) or a 5-field cron expression read in an IANA time zone (croner, which follows the zone's
 * DST rules: a wall-clock time that does not exist that day runs once at the shifted time, one that exists twice
 * runs once). Pure: the API, the firing path and the web form's "next five runs" all use this module.
 */
import { Cron } from "croner";

export const INTERVAL_HOURS = { min: 1, max: 720 } as const;
/** Cron expressions that fire more often than this are refused (each run is a whole benchmark or eval). */
export const MIN_CRON_SPACING_MINUTES = 15;

export type ScheduleTiming = { interval_hours: number; anchor: string } | { cron: string; timezone: string };

export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function cronOf(expression: string, timezone: string): Cron {
  return new Cron(expression, { timezone, paused: true, mode: "5-part" });
}

/** Why a cron expression or zone is refused, or null when it is fine. */
export function cronProblem(expression: string, timezone: string): string | null {
  if (!isTimeZone(timezone)) return `Unknown time zone "${timezone}" (use an IANA name such as Europe/Berlin)`;
  if (expression.trim().split(/\s+/).length !== 5) return "A cron expression has 5 fields: minute hour day-of-month month day-of-week";
  let runs: Date[];
  try {
    runs = cronOf(expression, timezone).nextRuns(12, new Date());
  } catch (err) {
    return `Invalid cron expression: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (!runs.length) return "The cron expression never runs";
  for (let i = 1; i < runs.length; i++) {
    if (runs[i]!.getTime() - runs[i - 1]!.getTime() < MIN_CRON_SPACING_MINUTES * 60_000) {
      return `The cron expression runs more often than every ${MIN_CRON_SPACING_MINUTES} minutes`;
    }
  }
  return null;
}

/** The first run strictly after `after`; null when a cron expression never runs again. */
export function nextRunAfter(timing: ScheduleTiming, after: Date): Date | null {
  if ("cron" in timing) return cronOf(timing.cron, timing.timezone).nextRun(after);
  const step = timing.interval_hours * 3_600_000;
  const anchor = Date.parse(timing.anchor);
  if (after.getTime() < anchor) return new Date(anchor);
  // The next slot on the anchor's grid: a run missed while nothing was awake is one run, not a burst.
  const slots = Math.floor((after.getTime() - anchor) / step) + 1;
  return new Date(anchor + slots * step);
}

/** The next `count` runs after `after` (the form's cron helper shows five). */
export function nextRuns(timing: ScheduleTiming, after: Date, count: number): Date[] {
  const out: Date[] = [];
  let from = after;
  while (out.length < count) {
    const next = nextRunAfter(timing, from);
    if (!next) break;
    out.push(next);
    from = next;
  }
  return out;
}
