/**
 * Choices: an enum option the text names or hints at ("every month" → monthly), yes/no flags, and lists of
 * options (weekdays). Separate from free text because an option is picked from a closed set, never copied out.
 */

import { contentStems, hasPhrase } from "./phrases.ts";
import { found, type ReadContext, type Reading, type Schema } from "./read-context.ts";
import { BOOLEAN_CUES, DAY_WORDS, ENUM_CUES, STOP } from "./vocabulary.ts";
import { identifierWords, type Span, stem } from "./words.ts";

export function readEnum(values: unknown[], ctx: ReadContext, scope: Span): Reading | undefined {
  const text = ctx.lower.slice(scope.start, scope.end);
  const scopeWords = ctx.words.filter((w) => w.start >= scope.start && w.end <= scope.end);
  const scores = values.map((v) => {
    if (typeof v === "number") return ctx.quantities.numbers.some((n) => n.value === v && n.start >= scope.start && n.end <= scope.end) ? 3 : 0;
    if (typeof v !== "string") return 0;
    const value = v.toLowerCase().replace(/_/g, " ");
    let score = 0;
    const valueStem = stem(value);
    const direct =
      value.length > 0 &&
      !STOP.has(value) &&
      (hasPhrase(text, value) || scopeWords.some((w) => w.stem === valueStem || (valueStem.length >= 5 && w.lower.endsWith(value))));
    if (direct) score += 3;
    for (const cue of ENUM_CUES[value] ?? []) if (hasPhrase(text, cue)) score += 1.5;
    // "every month" → monthly, "each week" → weekly
    const periodic = /^(daily|weekly|monthly|yearly)$/.exec(value);
    if (
      periodic &&
      new RegExp(
        `\\b(?:every|each|per|once a)\\s+(?:other\\s+)?${{ daily: "day", weekly: "week", monthly: "month", yearly: "year" }[periodic[1] as "daily"]}`,
      ).test(text)
    )
      score += 3;
    if (value === "time" && ctx.quantities.clocks.some((c) => c.start >= scope.start && c.end <= scope.end)) score += 1.5;
    return score;
  });
  // "heating or cooling": two options offered as alternatives point at a third one (auto) if there is one.
  const strings = values.map((v) => (typeof v === "string" ? v.toLowerCase() : ""));
  for (let i = 0; i < strings.length; i++) {
    for (let j = 0; j < strings.length; j++) {
      if (i === j || !strings[i] || !strings[j]) continue;
      const pattern = new RegExp(`\\b${stem(strings[i] as string)}\\w*\\s+or\\s+${stem(strings[j] as string)}\\w*`);
      if (pattern.test(text) && scores.some((s, k) => k !== i && k !== j && s > 0)) {
        scores[i] = (scores[i] as number) - 2;
        scores[j] = (scores[j] as number) - 2;
      }
    }
  }
  let best = -1;
  scores.forEach((s, i) => {
    if (s > 0 && (best < 0 || s > (scores[best] as number))) best = i;
  });
  return best < 0 ? undefined : { value: values[best], evidence: true };
}

export function readBoolean(name: string, schema: Schema, ctx: ReadContext, scope: Span): Reading | undefined {
  const text = ctx.lower.slice(scope.start, scope.end);
  const nameStems = identifierWords(name).map(stem);
  for (const s of nameStems) {
    const cues = BOOLEAN_CUES[s];
    if (!cues) continue;
    if (cues.no.some((c) => hasPhrase(text, c))) return { value: false, evidence: true };
    if (cues.yes.some((c) => hasPhrase(text, c))) return { value: true, evidence: true };
  }
  const content = contentStems(identifierWords(name));
  for (const w of ctx.words) {
    if (w.start < scope.start || w.end > scope.end) continue;
    for (const s of content) {
      if (w.stem === `dis${s}` || w.stem === `un${s}` || w.stem === `in${s}`) return { value: false, evidence: true };
      if (w.stem !== s) continue;
      const before = ctx.lower.slice(Math.max(scope.start, w.start - 12), w.start);
      return { value: !/\b(?:no|not|don't|dont|never|without|non)\s+$/.test(before), evidence: true };
    }
  }
  void schema;
  return undefined;
}

export function readEnumList(values: unknown[], ctx: ReadContext, scope: Span): Reading | undefined {
  const text = ctx.lower.slice(scope.start, scope.end);
  const chosen = new Set<unknown>();
  for (const [word, days] of Object.entries(DAY_WORDS)) {
    if (!new RegExp(`\\b${word}(?:-only)?\\b`).test(text)) continue;
    for (const d of days) {
      const match = values.find((v) => typeof v === "string" && v.toLowerCase().startsWith(d));
      if (match !== undefined) chosen.add(match);
    }
  }
  for (const v of values) if (typeof v === "string" && v.length > 3 && hasPhrase(text, v.toLowerCase().replace(/_/g, " "))) chosen.add(v);
  if (chosen.size === 0) return undefined;
  return found(values.filter((v) => chosen.has(v)));
}
