/**
 * Reads a tool's arguments out of the request text, guided by the JSON Schema: each property's type, name,
 * description and enum say what kind of value to look for (a room, a person, a duration in minutes, a date
 * in ISO 8601 …). Optional properties are filled only when the text says something about them; required
 * ones fall back to a guess, as a model forced to fill them would. The readers per kind of value live in
 * read-*.ts; this module walks the schema and makes the guesses.
 */

import { nounPhraseAt } from "./phrases.ts";
import { inScope, isSchema, type ReadContext, type Reading, type Schema, schemaType } from "./read-context.ts";
import { readBoolean, readEnum } from "./read-enums.ts";
import { readArray } from "./read-lists.ts";
import { cleanName } from "./read-names.ts";
import { readNumber } from "./read-numbers.ts";
import { readString } from "./read-strings.ts";
import { stringKind } from "./string-kinds.ts";
import { identifierWords, type Span, stem } from "./words.ts";

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

export function readObject(schema: unknown, ctx: ReadContext, scope: Span, required: boolean, foundRequired?: string[]): Reading | undefined {
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

function readValue(name: string, raw: unknown, ctx: ReadContext, scope: Span, required: boolean): Reading | undefined {
  const schema = isSchema(raw) ? raw : {};
  const type = schemaType(schema);
  let reading: Reading | undefined;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) reading = readEnum(schema.enum, ctx, scope);
  else if (type === "boolean") reading = readBoolean(name, schema, ctx, scope);
  else if (type === "integer" || type === "number" || type === "float") reading = readNumber(name, schema, ctx, scope, type === "integer", required);
  else if (type === "array") reading = readArray(name, schema, ctx, scope, (items, itemScope) => readObject(items, ctx, itemScope, false));
  else if (type === "object" || type === "dict") reading = readObject(schema, ctx, scope, required);
  else reading = readString(name, schema, ctx, scope, required);
  if (reading || !required) return reading;
  return { value: guess(name, schema, type, ctx, scope), evidence: false };
}

export function guess(name: string, schema: Schema, type: string, ctx: ReadContext, scope: Span): unknown {
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
