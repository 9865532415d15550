/**
 * Dates and times in the format a parameter describes (ISO date, ISO date-time, HH:MM). Finding them in the text
 * is quantities.ts's job; this picks the start or end one and writes it out against the model's "today".
 */

import { isoDate, pad } from "./quantities.ts";
import { found, inScope, mark, type ReadContext, type Reading } from "./read-context.ts";
import { identifierWords, type Span } from "./words.ts";

/** When: a date and/or time in the format the parameter describes. */
export function readWhen(kind: "datetime" | "date" | "clock", name: string, ctx: ReadContext, scope: Span): Reading | undefined {
  const words = identifierWords(name);
  const wantEnd = words.includes("end") || words.includes("until") || words.includes("deadline");
  const dates = ctx.quantities.dates.filter((d) => inScope(d, scope) && !ctx.used.has(d.start));
  const role = wantEnd ? "end" : "start";
  const date = dates.find((d) => d.role === role) ?? (wantEnd ? undefined : dates.find((d) => d.role !== "except" && d.role !== "end"));
  const clock = ctx.quantities.clocks.find((c) => inScope(c, scope) && !ctx.used.has(c.start));
  if (kind === "clock") {
    if (!clock) return undefined;
    mark(ctx, clock);
    return found(`${pad(clock.hour)}:${pad(clock.minute)}`);
  }
  if (kind === "date") {
    if (!date) return undefined;
    mark(ctx, date);
    const iso = isoDate(date, ctx.today);
    return iso ? found(iso) : undefined;
  }
  if (!date && !clock) return undefined;
  if (date) mark(ctx, date);
  if (clock) mark(ctx, clock);
  const iso = (date && isoDate(date, ctx.today)) ?? isoDate({ start: 0, end: 0, year: null, month: null, day: 0, role: "start" }, ctx.today);
  const time = clock ? `${pad(clock.hour)}:${pad(clock.minute)}:00` : "09:00:00";
  return found(`${iso}T${time}`);
}
