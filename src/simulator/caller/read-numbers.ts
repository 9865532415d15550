/**
 * Numbers: which number in the text belongs to a parameter (by the words around it and units glued to it),
 * durations converted to the unit the parameter measures, rates from percentages.
 */

import { related } from "./phrases.ts";
import type { NumberMention } from "./quantities.ts";
import { bestBy, inScope, paramStems, type ReadContext, type Reading, type Schema } from "./read-context.ts";
import { identifierWords, type Span, stem, type Word } from "./words.ts";

const TIME_UNITS: Array<[RegExp, number]> = [
  [/\b(?:seconds?|secs?)\b/, 1],
  [/\b(?:minutes?|mins?)\b/, 60],
  [/\b(?:hours?|hrs?)\b/, 3600],
  [/\bdays?\b/, 86400],
  [/\bweeks?\b/, 604800],
];

/** Seconds per unit when the parameter measures a length of time in that unit (from its name, then its description). */
export function durationUnit(name: string, schema: Schema): number | null {
  const nameText = identifierWords(name).join(" ");
  for (const [pattern, unit] of TIME_UNITS) if (pattern.test(nameText)) return unit;
  const desc = typeof schema.description === "string" ? schema.description.toLowerCase() : "";
  if (
    /\b(duration|how long|length of time|delay|wait|time in|in (?:seconds|minutes|hours|days))\b/.test(desc) ||
    /\b(duration|delay|timeout)\b/.test(nameText)
  ) {
    for (const [pattern, unit] of TIME_UNITS) if (pattern.test(desc)) return unit;
  }
  return null;
}

/** Indexes of the words inside a quantity ("60 minutes", "3 pm"), found once per read context. */
const quantityWordsOf = new WeakMap<ReadContext, Set<number>>();

function quantityWords(ctx: ReadContext): Set<number> {
  let inQuantity = quantityWordsOf.get(ctx);
  if (!inQuantity) {
    const spans = [...ctx.quantities.durations, ...ctx.quantities.numbers, ...ctx.quantities.clocks];
    inQuantity = new Set();
    ctx.words.forEach((w, i) => {
      if (spans.some((q) => w.start >= q.start && w.end <= q.end)) inQuantity?.add(i);
    });
    quantityWordsOf.set(ctx, inQuantity);
  }
  return inQuantity;
}

/** The index of the first word starting at or after `offset` (words are in text order). */
function firstWordFrom(words: Word[], offset: number): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((words[mid] as Word).start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * How strongly the words around [start, end) talk about the parameter. Looks only at the nearest words (found by
 * binary search), so a long message costs little per candidate number.
 */
function contextScore(ctx: ReadContext, start: number, end: number, stems: string[], scope: Span): number {
  let score = 0;
  // Words of other quantities ("60 minutes before and push 15 …") say nothing about this one.
  const inQuantity = quantityWords(ctx);
  const before: Word[] = [];
  for (let i = firstWordFrom(ctx.words, start) - 1; i >= 0 && before.length < 4; i--) {
    const w = ctx.words[i] as Word;
    if (w.start < scope.start) break;
    if (w.end <= start && !inQuantity.has(i)) before.unshift(w);
  }
  const after: Word[] = [];
  for (let i = firstWordFrom(ctx.words, end); i < ctx.words.length && after.length < 2; i++) {
    const w = ctx.words[i] as Word;
    if (w.end > scope.end) break;
    if (!inQuantity.has(i)) after.push(w);
  }
  // "30 minutes before", "after 5 seconds": an offset, which only a parameter about offsets wants.
  const offset = after[0] && /^(before|after|earlier|later|ago|prior)$/.test(after[0].lower);
  if (offset && !stems.some((s) => s === stem((after[0] as Word).lower))) score -= 1.5;
  before.forEach((w, i) => {
    const near = i === before.length - 1 ? 1.5 : 1;
    score += near * Math.max(0, ...stems.map((s) => related(w.stem, s)));
  });
  after.forEach((w, i) => {
    const near = i === 0 ? 1.5 : 1;
    score += near * Math.max(0, ...stems.map((s) => related(w.stem, s)));
  });
  return score;
}

export function readNumber(name: string, schema: Schema, ctx: ReadContext, scope: Span, integer: boolean, required: boolean): Reading | undefined {
  const stems = paramStems(name, schema);
  const desc = typeof schema.description === "string" ? schema.description.toLowerCase() : "";
  const finish = (v: number): Reading => ({ value: integer ? Math.round(v) : v, evidence: true });
  // "5%" for a rate that is not described in percent: a model writes 0.05.
  const asRate = (n: NumberMention) => (ctx.text[n.end] === "%" && !/percent|percentage|%/.test(desc) && !integer ? n.value / 100 : n.value);
  const nameWords = identifierWords(name);
  if (nameWords.includes("interval") || nameWords.includes("every")) {
    const every = /\bevery\s+(\d+|other|two|three|four)\s+(?:day|week|month|year)s?\b/.exec(ctx.lower.slice(scope.start, scope.end));
    if (every) return finish(every[1] === "other" ? 2 : Number(every[1]) || { two: 2, three: 3, four: 4 }[every[1] as "two"] || 1);
    if (/\b(?:bi-?weekly|fortnightly|bi-?monthly)\b/.test(ctx.lower.slice(scope.start, scope.end))) return finish(2);
  }
  const unit = durationUnit(name, schema);
  if (unit !== null) {
    const durations = ctx.quantities.durations.filter((d) => inScope(d, scope) && !ctx.used.has(d.start) && !d.periodic);
    const pick = bestBy(durations, (d) => contextScore(ctx, d.start, d.end, stems, scope));
    if (pick) {
      ctx.used.add(pick.start);
      for (const n of ctx.quantities.numbers) if (n.start >= pick.start && n.end <= pick.end) ctx.used.add(n.start);
      return finish(pick.seconds / unit);
    }
  }
  const inDuration = (n: NumberMention) => ctx.quantities.durations.some((d) => n.start >= d.start && n.end <= d.end);
  const candidates = ctx.quantities.numbers.filter((n) => inScope(n, scope) && !ctx.used.has(n.start));
  const plain = candidates.filter((n) => !inDuration(n));
  const pool = plain.length > 0 || unit === null ? plain : candidates;
  // "70kg" for weight_kg, "1.75m" for height_m, "298K" for a temperature in kelvin: a unit glued to the number.
  const rawWords = [...nameWords, ...desc.split(/[^a-z0-9]+/)];
  const suffixScore = (n: NumberMention) => {
    const suffix = /^[a-z]+/i.exec(ctx.text.slice(n.end))?.[0]?.toLowerCase();
    return suffix && rawWords.some((w) => w === suffix || (suffix.length === 1 && w.startsWith(suffix) && w.length > 3 && rawWords.includes(w)))
      ? 3
      : 0;
  };
  const scored = pool.map((n) => ({ n, score: contextScore(ctx, n.start, n.end, stems, scope) + suffixScore(n) }));
  const best = scored.reduce<{ n: NumberMention; score: number } | null>((a, b) => (a === null || b.score > a.score ? b : a), null);
  if (best && (best.score > 0 || pool.length === 1 || unit !== null)) {
    ctx.used.add(best.n.start);
    return finish(asRate(best.n));
  }
  if (required && pool.length > 0) {
    // Nothing says which number it is: take them in the order the parameters come (a year prefers a year).
    const wantsYear = nameWords.includes("year") || /\byear\b/.test(desc);
    const pick = (wantsYear ? pool.find((n) => n.value >= 1000 && n.value <= 2200 && !n.decimal) : undefined) ?? (pool[0] as NumberMention);
    ctx.used.add(pick.start);
    return finish(asRate(pick));
  }
  return undefined;
}
