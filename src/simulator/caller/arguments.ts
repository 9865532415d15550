/**
 * Reads a tool's arguments out of the request text, guided by the JSON Schema: each property's type, name,
 * description and enum say what kind of value to look for (a room, a person, a duration in minutes, a date
 * in ISO 8601 …). Optional properties are filled only when the text says something about them; required
 * ones fall back to a guess, as a model forced to fill them would.
 */

import {
  actionPhrases,
  contentStems,
  FAMILY,
  hasPhrase,
  modifiersBefore,
  nounPhraseAt,
  phraseIndex,
  properNames,
  quotedStrings,
  related,
} from "./phrases.ts";
import { findQuantities, isoDate, type NumberMention, pad, type Quantities, statedToday } from "./quantities.ts";
import { BOOLEAN_CUES, DAY_WORDS, ENUM_CUES, FILLER_NOUNS, NUMBER_WORDS, ROOMS, STOP } from "./vocabulary.ts";
import { identifierWords, listItems, type Span, stem, type Word, words } from "./words.ts";

type Schema = Record<string, unknown>;

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

interface Reading {
  value: unknown;
  /** The text said something about this parameter (false: a guess for a required one). */
  evidence: boolean;
}

const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

export interface ArgumentsRead {
  arguments: Record<string, unknown>;
  /** Required top-level properties and how many of them the text gave a value for (the rest are guesses). */
  required: number;
  requiredFound: number;
}

/** The tool's arguments for this text: every required property, and the optional ones the text mentions. */
export function readArguments(schema: unknown, ctx: ReadContext): ArgumentsRead {
  ctx.enumStems = new Set();
  collectEnumStems(schema, ctx.enumStems);
  ctx.used = new Set();
  const whole: Span = { start: 0, end: ctx.text.length, text: ctx.text };
  const found: string[] = [];
  const args = readObject(schema, ctx, whole, true, found)?.value as Record<string, unknown>;
  const required = isSchema(schema) && Array.isArray(schema.required) ? schema.required.filter((k) => typeof k === "string").length : 0;
  return { arguments: args, required, requiredFound: found.length };
}

function collectEnumStems(schema: unknown, into: Set<string>): void {
  if (!isSchema(schema)) return;
  if (Array.isArray(schema.enum)) for (const v of schema.enum) if (typeof v === "string") for (const w of identifierWords(v)) into.add(stem(w));
  if (isSchema(schema.properties)) for (const p of Object.values(schema.properties)) collectEnumStems(p, into);
  if (isSchema(schema.items)) collectEnumStems(schema.items, into);
}

function readObject(schema: unknown, ctx: ReadContext, scope: Span, required: boolean, foundRequired?: string[]): Reading | undefined {
  const props = isSchema(schema) && isSchema(schema.properties) ? schema.properties : {};
  const requiredKeys = isSchema(schema) && Array.isArray(schema.required) ? schema.required.filter((k): k is string => typeof k === "string") : [];
  const out: Record<string, unknown> = {};
  let evidence = false;
  // Required properties first: they get first pick of the values in the text.
  const keys = [...requiredKeys.filter((k) => k in props), ...Object.keys(props).filter((k) => !requiredKeys.includes(k))];
  for (const key of keys) {
    const isRequired = requiredKeys.includes(key);
    const reading = readValue(key, props[key], ctx, scope, isRequired);
    if (!reading) continue;
    if (reading.evidence) evidence = true;
    if (reading.evidence && isRequired) foundRequired?.push(key);
    if (reading.evidence || isRequired) out[key] = reading.value;
  }
  if (!evidence && !required) return undefined;
  return { value: out, evidence };
}

function schemaType(schema: Schema): string {
  let t = schema.type;
  if (Array.isArray(t)) t = t.find((x) => x !== "null") ?? t[0];
  if (typeof t === "string") return t;
  if (Array.isArray(schema.enum)) return "enum";
  if (isSchema(schema.properties)) return "object";
  return "string";
}

function readValue(name: string, raw: unknown, ctx: ReadContext, scope: Span, required: boolean): Reading | undefined {
  const schema = isSchema(raw) ? raw : {};
  const type = schemaType(schema);
  let reading: Reading | undefined;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) reading = readEnum(schema.enum, ctx, scope);
  else if (type === "boolean") reading = readBoolean(name, schema, ctx, scope);
  else if (type === "integer" || type === "number" || type === "float") reading = readNumber(name, schema, ctx, scope, type === "integer", required);
  else if (type === "array") reading = readArray(name, schema, ctx, scope, required);
  else if (type === "object" || type === "dict") reading = readObject(schema, ctx, scope, required);
  else reading = readString(name, schema, ctx, scope, required);
  if (reading || !required) return reading;
  return { value: guess(name, schema, type, ctx, scope), evidence: false };
}

// ---------------------------------------------------------------- enums and yes/no

function readEnum(values: unknown[], ctx: ReadContext, scope: Span): Reading | undefined {
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

function readBoolean(name: string, schema: Schema, ctx: ReadContext, scope: Span): Reading | undefined {
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

// ---------------------------------------------------------------- numbers

const TIME_UNITS: Array<[RegExp, number]> = [
  [/\b(?:seconds?|secs?)\b/, 1],
  [/\b(?:minutes?|mins?)\b/, 60],
  [/\b(?:hours?|hrs?)\b/, 3600],
  [/\bdays?\b/, 86400],
  [/\bweeks?\b/, 604800],
];

/** Seconds per unit when the parameter measures a length of time in that unit (from its name, then its description). */
function durationUnit(name: string, schema: Schema): number | null {
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

function paramStems(name: string, schema: Schema): string[] {
  const desc = typeof schema.description === "string" ? schema.description : "";
  return contentStems([...identifierWords(name), ...desc.split(/[^\p{L}\p{N}]+/u)]);
}

/** How strongly the words around [start, end) talk about the parameter. */
function contextScore(ctx: ReadContext, start: number, end: number, stems: string[], scope: Span): number {
  let score = 0;
  // Words of other quantities ("60 minutes before and push 15 …") say nothing about this one.
  const quantity = (w: Word) =>
    [...ctx.quantities.durations, ...ctx.quantities.numbers, ...ctx.quantities.clocks].some((q) => w.start >= q.start && w.end <= q.end);
  const before = ctx.words.filter((w) => w.end <= start && w.start >= scope.start && !quantity(w)).slice(-4);
  const after = ctx.words.filter((w) => w.start >= end && w.end <= scope.end && !quantity(w)).slice(0, 2);
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

function inScope(x: { start: number; end: number }, scope: Span): boolean {
  return x.start >= scope.start && x.end <= scope.end;
}

function readNumber(name: string, schema: Schema, ctx: ReadContext, scope: Span, integer: boolean, required: boolean): Reading | undefined {
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

function bestBy<T>(items: T[], score: (t: T) => number): T | undefined {
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

// ---------------------------------------------------------------- strings

type StringKind =
  | "datetime"
  | "date"
  | "clock"
  | "shaped"
  | "url"
  | "email"
  | "address"
  | "place"
  | "room"
  | "device"
  | "command"
  | "person"
  | "proper"
  | "message"
  | "naming"
  | "unit"
  | "modifier"
  | "generic";

function stringKind(name: string, schema: Schema): StringKind {
  const n = identifierWords(name);
  const desc = typeof schema.description === "string" ? schema.description.toLowerCase() : "";
  const has = (...ws: string[]) => ws.some((w) => n.includes(w));
  if (schema.format === "date-time" || /iso 8601 datetime|yyyy-mm-ddthh|date and time|datetime/.test(desc)) return "datetime";
  if (schema.format === "date" || /iso 8601 date|yyyy-mm-dd|\bdates?\b/.test(desc) || n[n.length - 1] === "date") return "date";
  if (has("url", "link", "uri")) return "url";
  const last = n[n.length - 1] ?? "";
  if (n.length >= 2 && ["name", "title"].includes(last)) {
    // player_name, artist_name → a person; team_name, hotel_name, game_name → a proper name.
    if (has(...PERSON_NOUNS)) return "person";
    if (!has("list", "file", "variable", "function", "field", "column", "table", "key")) return "proper";
  }
  if (has("unit", "units") && !has("price", "cost", "count", "number")) return "unit";
  if (n.length >= 2 && ["type", "kind", "style", "category", "class"].includes(last) && !Array.isArray(schema.enum)) return "modifier";
  if (has("email") && !/method|type/.test(desc)) return "email";
  if (has("address")) return "address";
  if (has("city", "location", "place", "destination", "origin", "country", "state", "region", "town", "venue", "airport")) return "place";
  if (has("room", "speaker", "speakers", "zone")) return "room";
  if (has("device", "appliance", "target")) return "device";
  if (has("command", "action")) return "command";
  if (has("recipient", "person", "contact", "attendee", "assignee", "invitee", "to") || /name of the person|person's name|person name/.test(desc))
    return "person";
  if (has("store", "shop", "restaurant", "brand", "company", "vendor", "merchant", "team", "organization", "author")) return "proper";
  if (has("message", "text", "body", "content", "note", "notes", "comment", "subject", "reason", "query", "question", "prompt", "description"))
    return "message";
  if (
    has("name") &&
    n.length <= 2 &&
    PERSON_NOUNS.concat(["athlete", "celebrity", "politician", "musician", "individual"]).some((p) => new RegExp(`\\b${p}`).test(desc))
  )
    return "person";
  if (has("name", "title", "label", "playlist", "nickname", "tag")) return "naming";
  if (has("time", "clock", "hour") || /hh:mm/.test(desc)) return "clock";
  if (/e\.g\.|for example|such as/.test(desc) && /'[^']+'/.test(desc)) return "shaped";
  return "generic";
}

const PERSON_NOUNS = [
  "player",
  "artist",
  "author",
  "singer",
  "person",
  "user",
  "customer",
  "patient",
  "employee",
  "director",
  "actor",
  "scientist",
  "composer",
  "painter",
  "athlete",
  "student",
  "teacher",
  "doctor",
  "owner",
  "guest",
  "passenger",
  "driver",
  "contact",
  "recipient",
  "sender",
  "friend",
  "member",
  "candidate",
  "creator",
  "inventor",
  "writer",
];

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

const mark = (ctx: ReadContext, span: { start: number }) => ctx.used.add(span.start);
const free = (ctx: ReadContext, span: { start: number; end: number }, scope: Span) => inScope(span, scope) && !ctx.used.has(span.start);
const found = (value: unknown): Reading => ({ value, evidence: true });

function readString(name: string, schema: Schema, ctx: ReadContext, scope: Span, required: boolean): Reading | undefined {
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

function isFamily(text: string): boolean {
  return FAMILY.includes(text.toLowerCase());
}

function readPlace(ctx: ReadContext, scope: Span): Reading | undefined {
  const candidates = ctx.names.filter((n) => free(ctx, n, scope) && !n.acronym && !isFamily(n.text));
  const after = (n: Span) => /\b(?:in|from|to|at|near|for|of|visit|visiting|around)\s+$/i.test(ctx.text.slice(Math.max(0, n.start - 12), n.start));
  const pick = candidates.find(after) ?? candidates[0];
  if (!pick) return undefined;
  mark(ctx, pick);
  // "Riga, Latvia", "Chicago, Illinois": a place followed by its region.
  const next = ctx.names.find((n) => n.start > pick.end && /^,\s*$/.test(ctx.text.slice(pick.end, n.start)));
  if (next && next.words <= 2) {
    mark(ctx, next);
    return found(ctx.text.slice(pick.start, next.end));
  }
  return found(pick.text);
}

function roomsIn(ctx: ReadContext, scope: Span): Span[] {
  const out: Span[] = [];
  const lower = ctx.lower;
  for (const room of ROOMS) {
    let at = phraseIndex(lower, room, scope.start);
    while (at >= 0 && at + room.length <= scope.end) {
      if (!out.some((r) => at < r.end && at + room.length > r.start))
        out.push({ start: at, end: at + room.length, text: ctx.text.slice(at, at + room.length) });
      at = phraseIndex(lower, room, at + 1);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function readPerson(ctx: ReadContext, scope: Span): Reading | undefined {
  const family = ctx.words.find((w) => inScope(w, scope) && FAMILY.includes(w.lower) && !ctx.used.has(w.start));
  const named = ctx.names.filter((n) => free(ctx, n, scope) && !n.acronym && n.words <= 2);
  const afterCue = (s: Span) =>
    /\b(?:to|invite|tell|text|email|call|message|notify|remind|ask|with|for|by|of)\s+$/i.test(ctx.text.slice(Math.max(0, s.start - 10), s.start));
  const pick = named.find(afterCue) ?? (family ? { start: family.start, end: family.end, text: family.raw } : named[0]);
  if (!pick) return undefined;
  mark(ctx, pick);
  return found(pick.text);
}

/** "saying dinner is ready", "that I'll be home by 6", "about the power cut": what a message should say. */
function readMessage(name: string, ctx: ReadContext, scope: Span): Reading | undefined {
  const quote = ctx.quotes.find((q) => free(ctx, q, scope));
  const text = ctx.text.slice(scope.start, scope.end);
  const nameStems = contentStems(identifierWords(name));
  const mentioned = ctx.words.some((w) => inScope(w, scope) && nameStems.some((s) => related(w.stem, s) >= 0.8));
  if (quote && mentioned) {
    mark(ctx, quote);
    return found(quote.text);
  }
  const m =
    /\b(?:saying|says|that says|to say|telling (?:them|him|her)|reading|with the message|note saying|that)\s+(.+?)(?:\s+[—–-]\s+|[.!?;]|,\s*(?:and\s+)?(?:mark|make|send|then)\b|$)/i.exec(
      text,
    );
  if (m && (m[1] as string).trim().length > 1) return found((m[1] as string).trim());
  // "add todo with content go to sleep at 9 pm": whatever follows the parameter's name.
  const named = ctx.words.find((w) => inScope(w, scope) && nameStems.includes(w.stem));
  if (named) {
    const rest = /^\s*(?:[:=]|is|of)?\s*(.+?)\s*(?:[.!?]|$)/.exec(ctx.text.slice(named.end, scope.end))?.[1];
    if (rest && rest.length > 1) return found(rest);
  }
  if (quote) {
    mark(ctx, quote);
    return found(quote.text);
  }
  return undefined;
}

/** Names and labels: quoted text, "called X", "my X playlist", "a timer for the laundry", the verb's object. */
function readNaming(name: string, schema: Schema, ctx: ReadContext, scope: Span): Reading | undefined {
  const quote = ctx.quotes.find((q) => free(ctx, q, scope));
  if (quote) {
    mark(ctx, quote);
    return found(quote.text);
  }
  const text = ctx.text.slice(scope.start, scope.end);
  const called = /\b(?:called|named|titled)\s+([\p{L}\p{N}_][\p{L}\p{N}_ ]*?)(?=\s+(?:that|which|to|for|on|at|with)\b|[,.;:!?]|$)/iu.exec(text);
  if (called && !/_/.test(called[1] as string)) return found((called[1] as string).trim());

  // The thing being named: "playlist" for a playlist name, "list" for "Name for the shopping list".
  const desc = typeof schema.description === "string" ? schema.description : "";
  const heads = [...identifierWords(name), ...desc.split(/[^\p{L}]+/u)]
    .map(stem)
    .filter((s, i, all) => s.length > 2 && !STOP.has(s) && !NAMING_WORDS.has(s) && all.indexOf(s) === i);
  for (const head of [...heads].reverse()) {
    const at = ctx.words.findIndex((w) => inScope(w, scope) && w.stem === head);
    if (at < 0) continue;
    const mods = modifiersBefore(ctx.text, ctx.words, at);
    const cleaned = mods && cleanName(mods, ctx);
    if (cleaned) return found(cleaned);
  }
  // "a timer for the laundry cycle", "for it" (the pasta from "I put pasta on the stove").
  const forWhat = /\bfor\s+(?:the\s+|my\s+|a\s+)?([\p{L}][\p{L} ]*?)(?=[,.;:!?]|\s+(?:and|in|at|on|to|so|then)\b|$)/iu.exec(text);
  const labelIt = /\b(?:label|name|call|tag)\s+it\b/i.test(text);
  if (forWhat && !/^(?:it|that|this|me|you|us|them|now|later|today|tomorrow|tonight)$/i.test(forWhat[1] as string)) {
    const words = (forWhat[1] as string).split(/\s+/).filter((w) => !FILLER_NOUNS.has(stem(w)) && !/^\d/.test(w));
    const minutesLike = words.some((w) => /^(minutes?|hours?|seconds?|days?)$/i.test(w));
    if (words.length > 0 && words.length <= 4 && !minutesLike) return found(words.join(" "));
  }
  if (labelIt || (forWhat && /^it$/i.test(forWhat[1] as string))) {
    const antecedent = activityOf(ctx);
    if (antecedent) return found(antecedent);
  }
  return undefined;
}

const NAMING_WORDS = new Set(["name", "titl", "label", "optional", "nam", "for", "the"]);

/** What the speaker is doing: "I'm power napping" → "power nap", "I put pasta on the stove" → "pasta". */
function activityOf(ctx: ReadContext): string | null {
  const gerund = /\bI['’]?m\s+((?:[a-z]+\s+)?[a-z]+ing)\b/i.exec(ctx.text);
  if (gerund) {
    const ws = (gerund[1] as string).split(/\s+/);
    const last = ws.pop() as string;
    const base = last.replace(/ing$/, "").replace(/([b-df-hj-np-tv-z])\1$/, "$1");
    if (!/^(go|about|going|try|trying|look|looking|expect|expecting|decid|deciding)/.test(ws[0] ?? base)) return [...ws, base].join(" ");
  }
  const put = /\bI\s+(?:put|placed|started|am making|am cooking|am baking|made)\s+(?:the\s+|some\s+|a\s+)?([a-z]+(?:\s+[a-z]+)?)\b/i.exec(ctx.text);
  if (put) {
    const ws = (put[1] as string).split(/\s+/).filter((w) => !/^(on|in|into|at)$/i.test(w));
    const cut = ws.findIndex((w) => /^(on|in|into|at|for)$/i.test(w));
    return (cut >= 0 ? ws.slice(0, cut) : ws).slice(0, 1).join(" ") || null;
  }
  return null;
}

/** A name without the words other parameters took (enum options, days, frequencies). */
function cleanName(span: Span, ctx: ReadContext): string | null {
  const kept = span.text.split(/\s+/).filter((w) => {
    const s = stem(w);
    if (ctx.enumStems.has(s) || STOP.has(s) || /^\d/.test(w) || w.toLowerCase() in NUMBER_WORDS) return false;
    if (
      /^(bi-?weekly|fortnightly|daily|weekly|monthly|yearly|annual|weekday|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?$/i.test(
        w,
      )
    )
      return false;
    if (/^(minutes?|hours?|seconds?)$/i.test(w)) return false;
    return true;
  });
  return kept.length > 0 ? kept.join(" ") : null;
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

/** When: a date and/or time in the format the parameter describes. */
function readWhen(kind: "datetime" | "date" | "clock", name: string, ctx: ReadContext, scope: Span): Reading | undefined {
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

// ---------------------------------------------------------------- arrays

function readArray(name: string, schema: Schema, ctx: ReadContext, scope: Span, required: boolean): Reading | undefined {
  const items = isSchema(schema.items) ? schema.items : {};
  const itemType = schemaType(items);
  if (Array.isArray(items.enum)) return readEnumList(items.enum, ctx, scope);
  if (itemType === "object") return readObjectList(name, schema, items, ctx, scope);
  if (itemType === "string") {
    const kind = stringKind(name, { ...items, description: `${schema.description ?? ""} ${items.description ?? ""}` });
    if (kind === "room" || kind === "device") {
      const rooms = roomsIn(ctx, scope);
      return rooms.length > 0 ? found(rooms.map((r) => r.text)) : undefined;
    }
    if (kind === "date" || kind === "datetime") {
      const dates = ctx.quantities.dates.filter((d) => inScope(d, scope) && d.role === "except");
      const values = dates.map((d) => isoDate(d, ctx.today)).filter((d): d is string => d !== null);
      return values.length > 0 ? found(values) : undefined;
    }
    if (kind === "person") {
      const people = ctx.names.filter((n) => free(ctx, n, scope) && !n.acronym).map((n) => n.text);
      return people.length > 0 ? found(people) : undefined;
    }
  }
  if (itemType === "integer" || itemType === "number" || itemType === "float") {
    const numbers = ctx.quantities.numbers.filter((n) => free(ctx, n, scope));
    return numbers.length > 0 ? found(numbers.map((n) => n.value)) : undefined;
  }
  if (itemType === "string") {
    const values = coordinated(ctx, scope);
    if (values.length > 1) return found(values);
  }
  void required;
  return undefined;
}

/** "tomatoes and lettuce", "human HbA1c, normal hemoglobin, and rat hemoglobin": short noun phrases joined by and/or. */
function coordinated(ctx: ReadContext, scope: Span): string[] {
  const ws = ctx.words.filter((w) => inScope(w, scope));
  const isBreak = (w: Word) => STOP.has(w.lower) || /ing$/.test(w.lower);
  for (let i = 0; i < ws.length; i++) {
    if (!/^(and|or)$/.test((ws[i] as Word).lower)) continue;
    // The item after the joiner…
    let j = i + 1;
    while (j < ws.length && STOP.has((ws[j] as Word).lower)) j++;
    const after: Word[] = [];
    for (; j < ws.length && after.length < 3; j++) {
      const w = ws[j] as Word;
      if (isBreak(w) || (after.length > 0 && /[,.;:!?()]/.test(ctx.text.slice((after[after.length - 1] as Word).end, w.start)))) break;
      after.push(w);
    }
    // …and the items before it, back over commas.
    const items: Word[][] = [];
    let current: Word[] = [];
    for (let k = i - 1; k >= 0; k--) {
      const w = ws[k] as Word;
      const gap = ctx.text.slice(w.end, ((current[0] ?? ws[i]) as Word).start);
      if (/,/.test(gap) && current.length > 0) {
        items.unshift(current);
        current = [];
      } else if (/[.;:!?()]/.test(gap)) break;
      if (isBreak(w) || current.length >= 3) break;
      current.unshift(w);
    }
    if (current.length > 0) items.unshift(current);
    if (after.length === 0 || items.length === 0) continue;
    items.push(after);
    return items.map((item) => ctx.text.slice((item[0] as Word).start, (item[item.length - 1] as Word).end));
  }
  return [];
}

function readEnumList(values: unknown[], ctx: ReadContext, scope: Span): Reading | undefined {
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

/** Where a list's items are: from the first mention of what the list holds to the end of the scope. */
function listRegion(name: string, schema: Schema, ctx: ReadContext, scope: Span): Span | null {
  const stems = paramStems(name, schema);
  const first = ctx.words.find((w) => inScope(w, scope) && stems.some((s) => related(w.stem, s) >= 0.8));
  const colon = ctx.text.indexOf(":", scope.start);
  const start = first ? first.start : colon >= 0 && colon < scope.end ? colon + 1 : -1;
  if (start < 0) return null;
  return { start, end: scope.end, text: ctx.text.slice(start, scope.end) };
}

function readObjectList(name: string, schema: Schema, items: Schema, ctx: ReadContext, scope: Span): Reading | undefined {
  const props = isSchema(items.properties) ? items.properties : {};
  const kinds = Object.entries(props).map(([k, v]) => [k, isSchema(v) ? v : {}] as const);
  const commandKey = kinds.find(([k, v]) => schemaType(v) === "string" && stringKind(k, v) === "command")?.[0];
  const quantityKey = kinds.find(([k, v]) => (schemaType(v) === "integer" || schemaType(v) === "number") && /quantit|count|amount|qty/.test(k))?.[0];
  if (commandKey) return readActions(items, ctx, scope);
  if (quantityKey) return readCountedItems(items, quantityKey, ctx, scope);
  // Otherwise: one item per list piece, from the first mention of the list on, while the pieces read as items.
  const region = listRegion(name, schema, ctx, scope);
  if (!region) return undefined;
  const out: unknown[] = [];
  for (const piece of listItems(region.text)) {
    const itemScope = { start: region.start + piece.start, end: region.start + piece.end, text: piece.text };
    const item = readObject(items, ctx, itemScope, false);
    if (!item || !complete(items, item.value as Record<string, unknown>)) {
      if (out.length > 0) break;
      continue;
    }
    out.push(item.value);
  }
  return out.length > 0 ? found(out) : undefined;
}

/** Whether every required property of an item was read from the text. */
function complete(items: Schema, value: Record<string, unknown>): boolean {
  const required = Array.isArray(items.required) ? items.required : [];
  return required.every((k) => typeof k === "string" && k in value);
}

/** Routine-style actions: each "turn on the hallway lights" becomes {device, command} (+ a delay said next to it). */
function readActions(items: Schema, ctx: ReadContext, scope: Span): Reading | undefined {
  const props = isSchema(items.properties) ? items.properties : {};
  const entries = Object.entries(props).map(([k, v]) => [k, isSchema(v) ? v : {}] as const);
  const deviceKey = entries.find(([k, v]) => stringKind(k, v) === "device")?.[0];
  const commandKey = entries.find(([k, v]) => stringKind(k, v) === "command")?.[0];
  const delayKey = entries.find(([k, v]) => (schemaType(v) === "integer" || schemaType(v) === "number") && durationUnit(k, v) !== null)?.[0];
  const actions = actionPhrases(ctx.text, ctx.words, scope);
  if (actions.length === 0 || !deviceKey || !commandKey) return undefined;
  const pieces = listItems(ctx.text.slice(scope.start, scope.end)).map((p) => ({ start: scope.start + p.start, end: scope.start + p.end }));
  const out = actions.map((a) => {
    const item: Record<string, unknown> = { [deviceKey]: a.device.text.replace(/^(?:the|my)\s+/i, ""), [commandKey]: a.command };
    const piece = pieces.find((p) => a.start >= p.start && a.start < p.end);
    if (delayKey && piece) {
      const delay = ctx.quantities.durations.find(
        (d) =>
          d.start >= piece.start && d.end <= piece.end && /\b(after|wait|in|later|delay)\b/.test(ctx.lower.slice(Math.max(0, d.start - 8), d.start)),
      );
      const unit = durationUnit(delayKey, isSchema(props[delayKey]) ? (props[delayKey] as Schema) : {}) ?? 1;
      if (delay) item[delayKey] = Math.round(delay.seconds / unit);
    }
    return item;
  });
  return found(out);
}

/** Shopping-style items: "3 milk (dairy), 2 chicken breast (meat)" → [{name, quantity, category}, …]. */
function readCountedItems(items: Schema, quantityKey: string, ctx: ReadContext, scope: Span): Reading | undefined {
  const props = isSchema(items.properties) ? items.properties : {};
  const entries = Object.entries(props).map(([k, v]) => [k, isSchema(v) ? v : {}] as const);
  const nameKey = entries.find(
    ([k, v]) => k !== quantityKey && schemaType(v) === "string" && !Array.isArray(v.enum) && /name|item|product|title/.test(k),
  )?.[0];
  const enumEntries = entries.filter(([, v]) => Array.isArray(v.enum));
  if (!nameKey) return undefined;
  const text = ctx.text.slice(scope.start, scope.end);
  const out: Record<string, unknown>[] = [];
  const pattern =
    /(?:^|[\s,:(])(\d+|a dozen|an?(?=\s+(?:bags?|packs?|box|boxes|bottles?|cans?|heads?|cartons?|jars?|loaf)\b)|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:(?:bags?|packs?|boxes|box|bottles?|cans?|lbs?|pounds?|kg|heads?|cartons?|jars?|loaf|loaves)\s+(?:of\s+)?)?([\p{L}][\p{L}' -]*?)\s*(?:\(([^)]*)\)|from\s+(\w+))?(?=\s*(?:,|;|\band\b|\.|$|—|\bfrom\b|\(|\b(?:to|for|at|in|on|into)\b))/giu;
  for (const m of text.matchAll(pattern)) {
    const quantity = /^\d+$/.test(m[1] as string)
      ? Number(m[1])
      : (
          {
            a: 1,
            an: 1,
            one: 1,
            two: 2,
            three: 3,
            four: 4,
            five: 5,
            six: 6,
            seven: 7,
            eight: 8,
            nine: 9,
            ten: 10,
            twelve: 12,
            "a dozen": 12,
          } as Record<string, number>
        )[(m[1] as string).toLowerCase()];
    const itemName = (m[2] as string).trim().replace(/\s+(?:and|or)$/i, "");
    if (quantity === undefined || itemName === "" || /^(minutes?|hours?|seconds?|days?|lists?|items?)$/i.test(itemName)) continue;
    if (itemName.split(/\s+/).length > 4) continue;
    const item: Record<string, unknown> = { [nameKey]: itemName, [quantityKey]: quantity };
    const note = ((m[3] ?? m[4] ?? "") as string).toLowerCase();
    for (const [key, v] of enumEntries) {
      const match = (v.enum as unknown[]).find((e) => typeof e === "string" && note.includes(e.toLowerCase()));
      if (match !== undefined) item[key] = match;
    }
    out.push(item);
  }
  return out.length > 0 ? found(out) : undefined;
}

// ---------------------------------------------------------------- guesses for required values

function guess(name: string, schema: Schema, type: string, ctx: ReadContext, scope: Span): unknown {
  if ("default" in schema) return schema.default;
  const stated = describedDefault(schema, type);
  if (stated !== undefined) return stated;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  switch (type) {
    case "boolean":
      return false;
    case "integer":
    case "number":
    case "float": {
      const desc = typeof schema.description === "string" ? schema.description : "";
      const range = /(-?\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(-?\d+(?:\.\d+)?)/.exec(desc);
      if (range) {
        const mid = (Number(range[1]) + Number(range[2])) / 2;
        return type === "integer" ? Math.round(mid) : mid;
      }
      return 1;
    }
    case "array":
      return [];
    case "object":
    case "dict":
      return readObject(schema, ctx, scope, true)?.value ?? {};
    default: {
      const kind = stringKind(name, schema);
      if (kind === "message") return ctx.text.slice(scope.start, scope.end).trim();
      const verbObject = mainNounPhrase(ctx, scope);
      return verbObject ?? "example";
    }
  }
}

/** "Default is true", "default to 0.00", "Default: 'medium'": a default the description states. */
function describedDefault(schema: Schema, type: string): unknown {
  const desc = typeof schema.description === "string" ? schema.description : "";
  const m = /\bdefaults?\s*(?:is|to|:|=|value is)?\s*['"]?([\w.-]+)/i.exec(desc);
  if (!m) return undefined;
  const raw = m[1] as string;
  if (type === "boolean") return /^true$/i.test(raw) ? true : /^false$/i.test(raw) ? false : undefined;
  if (type === "integer" || type === "number" || type === "float") return Number.isFinite(Number(raw)) ? Number(raw) : undefined;
  if (Array.isArray(schema.enum)) return schema.enum.find((v) => String(v).toLowerCase() === raw.toLowerCase());
  return type === "string" ? raw : undefined;
}

/** The object of the request's first verb ("Put some chill music on" → "chill music"). */
function mainNounPhrase(ctx: ReadContext, scope: Span): string | null {
  const first = ctx.words.findIndex((w) => inScope(w, scope));
  if (first < 0) return null;
  const span = nounPhraseAt(ctx.text, ctx.words, first + 1);
  return span ? cleanName(span, ctx) : null;
}
