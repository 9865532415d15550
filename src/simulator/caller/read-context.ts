/**
 * What every argument reader shares: the request text read once (words, numbers, dates, names, quotes), "today",
 * and which values other parameters already took, plus the small helpers the readers have in common.
 */

import { contentStems, properNames, quotedStrings } from "./phrases.ts";
import { findQuantities, type Quantities, statedToday } from "./quantities.ts";
import { identifierWords, type Span, type Word, words } from "./words.ts";

export type Schema = Record<string, unknown>;

export interface SimDate {
  year: number;
  month: number;
  day: number;
}

/** What the simulated models take "today" to be when no tool has told them (the example suite's mock date). */
export const SIMULATED_TODAY: SimDate = { year: 2026, month: 2, day: 15 };

export interface ReadContext {
  text: string;
  lower: string;
  words: Word[];
  quantities: Quantities;
  names: ReturnType<typeof properNames>;
  quotes: Span[];
  today: SimDate;
  /** Stems of the tool's enum values: words that pick an option are not part of a free-text name. */
  enumStems: Set<string>;
  /** Offsets of values already given to a parameter, so two parameters do not take the same one. */
  used: Set<number>;
}

export function readContext(text: string, today: SimDate): ReadContext {
  const ws = words(text);
  const quantities = findQuantities(text);
  // A date the text gives as today's is the model's "today", not a value for a parameter.
  const stated = statedToday(text, quantities);
  if (stated) {
    today = { year: stated.year, month: stated.month, day: stated.day };
    quantities.dates = quantities.dates.filter((d) => d !== stated.mention);
  }
  return {
    text,
    lower: text.toLowerCase(),
    words: ws,
    quantities,
    names: properNames(text, ws),
    quotes: quotedStrings(text),
    today,
    enumStems: new Set(),
    used: new Set(),
  };
}

export interface Reading {
  value: unknown;
  /** The text said something about this parameter (false: a guess for a required one). */
  evidence: boolean;
}

export const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

export function schemaType(schema: Schema): string {
  let t = schema.type;
  if (Array.isArray(t)) t = t.find((x) => x !== "null") ?? t[0];
  if (typeof t === "string") return t;
  if (Array.isArray(schema.enum)) return "enum";
  if (isSchema(schema.properties)) return "object";
  return "string";
}

export function inScope(x: { start: number; end: number }, scope: Span): boolean {
  return x.start >= scope.start && x.end <= scope.end;
}

export const mark = (ctx: ReadContext, span: { start: number }) => ctx.used.add(span.start);

export const free = (ctx: ReadContext, span: { start: number; end: number }, scope: Span) => inScope(span, scope) && !ctx.used.has(span.start);

export const found = (value: unknown): Reading => ({ value, evidence: true });

export function bestBy<T>(items: T[], score: (t: T) => number): T | undefined {
  let best: T | undefined;
  let bestScore = -Infinity;
  for (const item of items) {
    const s = score(item);
    if (s > bestScore) {
      best = item;
      bestScore = s;
    }
  }
  return best;
}

export function paramStems(name: string, schema: Schema): string[] {
  const desc = typeof schema.description === "string" ? schema.description : "";
  return contentStems([...identifierWords(name), ...desc.split(/[^\p{L}\p{N}]+/u)]);
}
