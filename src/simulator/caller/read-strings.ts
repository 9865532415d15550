/**
 * String parameters: picks a reader by the kind of text the parameter wants (string-kinds.ts) and covers the
 * kinds that need no reader of their own: URLs, e-mails, addresses, proper names, units, modifiers, values shaped
 * like the description's examples, and the generic fallback.
 */

import { actionPhrases, hasPhrase, modifiersBefore, related } from "./phrases.ts";
import { pad } from "./quantities.ts";
import { found, free, inScope, mark, paramStems, type ReadContext, type Reading, type Schema } from "./read-context.ts";
import { isFamily, readMessage, readNaming, readPerson, readPlace, roomsIn } from "./read-names.ts";
import { readWhen } from "./read-when.ts";
import { stringKind } from "./string-kinds.ts";
import { STOP } from "./vocabulary.ts";
import { identifierWords, type Span, stem, type Word } from "./words.ts";

const UNIT_WORDS = [
  "celsius",
  "fahrenheit",
  "kelvin",
  "miles",
  "mile",
  "kilometers",
  "kilometres",
  "km",
  "meters",
  "metres",
  "meter",
  "feet",
  "foot",
  "inches",
  "inch",
  "kg",
  "kilograms",
  "grams",
  "pounds",
  "lbs",
  "ounces",
  "oz",
  "liters",
  "litres",
  "gallons",
  "cups",
  "tablespoons",
  "teaspoons",
  "mph",
  "kmh",
  "seconds",
  "minutes",
  "hours",
  "days",
  "years",
  "usd",
  "eur",
  "dollars",
  "euros",
  "metric",
  "imperial",
];

/** "in miles", "in celsius": a unit the text names. */
function readUnit(ctx: ReadContext, scope: Span): Reading | undefined {
  const w = ctx.words.find(
    (x) => inScope(x, scope) && UNIT_WORDS.includes(x.lower) && /\b(?:in|to|into|as)\s+$/.test(ctx.lower.slice(Math.max(0, x.start - 6), x.start)),
  );
  return w ? found(w.lower) : undefined;
}

/** room_type → "single" from "a single room": the word before the noun the parameter is about. */
function readModifier(name: string, ctx: ReadContext, scope: Span): Reading | undefined {
  const noun = stem(identifierWords(name)[0] ?? "");
  const at = ctx.words.findIndex((w) => inScope(w, scope) && w.stem === noun);
  if (at <= 0) return undefined;
  const before = ctx.words[at - 1] as Word;
  if (STOP.has(before.lower) || /^\d/.test(before.raw)) return undefined;
  return found(before.lower);
}

export function readString(name: string, schema: Schema, ctx: ReadContext, scope: Span, required: boolean): Reading | undefined {
  const kind = stringKind(name, schema);
  switch (kind) {
    case "datetime":
    case "date":
    case "clock":
      return readWhen(kind, name, ctx, scope);
    case "url": {
      const m = /\bhttps?:\/\/[^\s,;)'"]+/i.exec(ctx.text.slice(scope.start, scope.end));
      return m ? found(m[0].replace(/[?.!]+$/, "")) : undefined;
    }
    case "email": {
      const m = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(ctx.text.slice(scope.start, scope.end));
      return m ? found(m[0]) : undefined;
    }
    case "address": {
      const m = /\b\d+\s+(?:\p{Lu}[\p{L}.]*\s+)+(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl)\b\.?/u.exec(
        ctx.text.slice(scope.start, scope.end),
      );
      return m ? found(m[0].replace(/\.$/, "")) : undefined;
    }
    case "place":
      return readPlace(ctx, scope);
    case "room": {
      const room = roomsIn(ctx, scope)[0];
      return room ? found(room.text) : undefined;
    }
    case "device": {
      const action = actionPhrases(ctx.text, ctx.words, scope)[0];
      if (action) return found(action.device.text);
      const room = roomsIn(ctx, scope)[0];
      return room ? found(room.text) : undefined;
    }
    case "command": {
      const action = actionPhrases(ctx.text, ctx.words, scope)[0];
      return action ? found(action.command) : undefined;
    }
    case "person":
      return readPerson(ctx, scope);
    case "proper": {
      const quote = ctx.quotes.find((q) => free(ctx, q, scope));
      if (quote) {
        mark(ctx, quote);
        return found(quote.text);
      }
      const nameSpan = ctx.names.find((n) => free(ctx, n, scope) && !n.acronym && !isFamily(n.text));
      if (!nameSpan) return undefined;
      // An optional name needs the text to talk about it ("at Walmart", "a Costco shopping list" for a store).
      const talkedAbout =
        /\b(?:at|from|for|by)\s+$/i.test(ctx.text.slice(Math.max(0, nameSpan.start - 6), nameSpan.start)) ||
        ctx.words.some((w) => inScope(w, scope) && paramStems(name, schema).some((p) => related(w.stem, p) >= 0.7));
      if (!required && !talkedAbout) return undefined;
      mark(ctx, nameSpan);
      return found(nameSpan.text);
    }
    case "message":
      return readMessage(name, ctx, scope);
    case "naming":
      return readNaming(name, schema, ctx, scope);
    case "shaped":
      return readShaped(schema, ctx, scope, required);
    case "unit":
      return readUnit(ctx, scope);
    case "modifier":
      return readModifier(name, ctx, scope) ?? readGeneric(name, schema, ctx, scope, required);
    default:
      return readGeneric(name, schema, ctx, scope, required);
  }
}

/** Values shaped like the description's examples: '07:00' (a clock time), 'temp>25' (a comparison), 'door_open' (an event name). */
function readShaped(schema: Schema, ctx: ReadContext, scope: Span, required: boolean): Reading | undefined {
  const desc = typeof schema.description === "string" ? schema.description : "";
  const examples = [...desc.matchAll(/'([^']+)'/g)].map((m) => m[1] as string);
  const text = ctx.lower.slice(scope.start, scope.end);
  const comparison = examples.map((e) => /^([a-z_]+)\s*([<>]=?)\s*\d/i.exec(e)).find(Boolean);
  const cmp = /\b(above|over|more than|exceeds|higher than|greater than|below|under|less than|lower than)\s+(-?\d+(?:\.\d+)?)/.exec(text);
  if (comparison && cmp) {
    const op = /above|over|more|exceeds|higher|greater/.test(cmp[1] as string) ? ">" : "<";
    return found(`${comparison[1]}${op}${cmp[2]}`);
  }
  const snakeExample = examples.some((e) => /^[a-z]+(?:_[a-z]+)+$/.test(e));
  const calledSnake = /\b(?:called|named)\s+([a-z0-9]+(?:_[a-z0-9]+)+)\b/.exec(text);
  if (calledSnake) return found(calledSnake[1]);
  const clockExample = examples.some((e) => /^\d{1,2}:\d{2}$/.test(e));
  const clock = ctx.quantities.clocks.find((c) => inScope(c, scope));
  if (clockExample && clock) return found(`${pad(clock.hour)}:${pad(clock.minute)}`);
  if (snakeExample) {
    const when = /\bwhen\s+(?:the\s+|a\s+|my\s+)?([a-z][a-z ]*?)(?=[,.;:!?]|\s+(?:and|then|to)\b|$)/.exec(text);
    if (when) {
      const parts = (when[1] as string).split(/\s+/).filter((w) => !STOP.has(w) || w === "open" || w === "off" || w === "on");
      if (parts.length > 0 && parts.length <= 5)
        return found(
          parts
            .map((w) => stem(w).replace(/e$/, w.endsWith("e") ? "e" : ""))
            .map(baseForm)
            .join("_"),
        );
    }
  }
  return readGeneric("value", schema, ctx, scope, required);
}

/** "opens" → "open", "closes" → "close" (a verb's plain form for event names). */
function baseForm(word: string): string {
  if (/ses$|zes$|ches$|shes$/.test(word)) return word.slice(0, -2);
  if (/[^s]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * Anything else: a quoted string, a value the description gives as an example that the text uses, the
 * words after the parameter's name, or (for a required one) a proper name.
 */
function readGeneric(name: string, schema: Schema, ctx: ReadContext, scope: Span, required: boolean): Reading | undefined {
  const quote = ctx.quotes.find((q) => free(ctx, q, scope));
  if (quote) {
    mark(ctx, quote);
    return found(quote.text);
  }
  const text = ctx.lower.slice(scope.start, scope.end);
  for (const example of descriptionExamples(schema)) if (example.length > 2 && hasPhrase(text, example.toLowerCase())) return found(example);
  const stems = identifierWords(name)
    .map(stem)
    .filter((s) => s.length > 2 && !STOP.has(s));
  for (const s of stems) {
    const at = ctx.words.findIndex((w) => inScope(w, scope) && w.stem === s);
    if (at < 0) continue;
    // "case number CA123456": past the rest of the parameter's name.
    let last = at;
    while (last + 1 < ctx.words.length && stems.includes((ctx.words[last + 1] as Word).stem)) last++;
    const after = ctx.text.slice((ctx.words[last] as Word).end, scope.end);
    // "the function 3x^2 + 2x - 1", "name: Bob", "genre of jazz"
    const m =
      /^\s*(?:[:=]|is|of|as|named|called|by|for|from|with)?\s*(?:the\s+|a\s+|an\s+)?(?:(?:number|no\.|id|#)\s*)?([^,.;!?]+?)(?=[,;!?]|\.(?:\s|$)|\s+(?:and|for|in|at|with|from|to|on|by)\s|$)/i.exec(
        after,
      );
    const value = m?.[1]?.trim();
    if (value && value.length <= 60 && !STOP.has(value.toLowerCase())) return found(value);
    // "the 2019-2020 season": the words right before the parameter's name.
    const before = modifiersBefore(ctx.text, ctx.words, at);
    if (before) return found(before.text);
  }
  if (!required) return undefined;
  const nameSpan = ctx.names.find((n) => free(ctx, n, scope) && !n.acronym);
  if (nameSpan) {
    mark(ctx, nameSpan);
    return found(nameSpan.text);
  }
  return undefined;
}

/** Example values a description lists: 'quoted', or after "e.g." / "such as" / "like" (comma-separated). */
function descriptionExamples(schema: Schema): string[] {
  const desc = typeof schema.description === "string" ? schema.description : "";
  const out = [...desc.matchAll(/['"]([^'"]{1,40})['"]/g)].map((m) => m[1] as string);
  const listed = /\b(?:e\.g\.|eg\.|such as|like|for example|i\.e\.)\s*:?\s*([^.;()]+)/i.exec(desc);
  if (listed)
    for (const piece of (listed[1] as string).split(/,|\bor\b|\band\b/)) {
      const v = piece.trim().replace(/^['"]|['"]$/g, "");
      if (v && v.split(/\s+/).length <= 3 && !/^etc/i.test(v)) out.push(v);
    }
  return out;
}
