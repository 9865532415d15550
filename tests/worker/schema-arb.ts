/**
 * fast-check arbitraries from the OpenAPI document's JSON Schemas: values that satisfy a schema (steered towards
 * real ids by per-field hints, so requests get past look-ups and reach the database), hostile mutations of
 * them, raw bodies that are not JSON at all, and one canonical valid example per schema.
 */
import fc from "fast-check";
import { type JsonSchema, type OpenApiDoc, resolve } from "./openapi.ts";

export interface GenContext {
  doc: OpenApiDoc;
  /** Values to prefer for properties of this name (real ids, reachable URLs); the first is used in examples. */
  hints: Record<string, unknown[]>;
  /** The only URLs ever generated: loopback, so no fuzz case reaches the internet. */
  urls: string[];
}

const MAX_DEPTH = 6;

const textArb = (minLength: number, maxLength: number) =>
  fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ minLength, maxLength, unit: "grapheme" }),
    fc.string({ minLength, maxLength, unit: "binary" }),
  );

function typesOf(s: JsonSchema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (typeof s.type === "string") return [s.type];
  return [];
}

/** A value that satisfies `schema` (as far as JSON Schema can say; zod refinements may still reject it). */
export function valueArb(schema: JsonSchema, ctx: GenContext, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const base = baseArb(resolve(schema, ctx.doc), ctx, depth);
  const hint = name ? ctx.hints[name] : undefined;
  return hint?.length ? fc.oneof({ arbitrary: fc.constantFrom(...hint), weight: 3 }, { arbitrary: base, weight: 1 }) : base;
}

function baseArb(s: JsonSchema, ctx: GenContext, depth: number): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(null);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return fc.oneof(...variants.map((v: JsonSchema) => valueArb(v, ctx, undefined, depth)));
  if (s.allOf) return baseArb(mergeAll(s.allOf.map((x: JsonSchema) => resolve(x, ctx.doc))), ctx, depth);
  if (s.enum) return fc.constantFrom(...s.enum);
  const types = typesOf(s);
  if (types.length > 1) return fc.oneof(...types.map((t) => baseArb({ ...s, type: t }, ctx, depth)));
  switch (types[0]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer": {
      const min = s.exclusiveMinimum !== undefined ? Math.floor(s.exclusiveMinimum) + 1 : (s.minimum ?? -1_000_000);
      return fc.integer({ min, max: s.maximum ?? Math.max(min, 1_000_000) });
    }
    case "number":
      return fc.double({
        min: s.exclusiveMinimum ?? s.minimum ?? -1e6,
        minExcluded: s.exclusiveMinimum !== undefined,
        max: s.maximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "string": {
      if (s.format === "uri") return fc.constantFrom(...ctx.urls);
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      const min = s.minLength ?? 0;
      return textArb(min, Math.max(min, Math.min(s.maxLength ?? 24, 24)));
    }
    case "array": {
      const min = s.minItems ?? 0;
      return fc.array(valueArb(s.items ?? {}, ctx, undefined, depth + 1), { minLength: min, maxLength: Math.max(min, Math.min(s.maxItems ?? 3, 3)) });
    }
    case "object":
      return objectArb(s, ctx, depth);
    default:
      return s.properties ? objectArb(s, ctx, depth) : fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArb(s: JsonSchema, ctx: GenContext, depth: number): fc.Arbitrary<unknown> {
  const props: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of Object.entries<JsonSchema>(s.properties ?? {})) props[k] = valueArb(v, ctx, k, depth + 1);
  const known = fc.record(props, { requiredKeys: s.required ?? [] });
  const extra = s.additionalProperties;
  if (extra === false || (s.properties && extra === undefined)) return known;
  const valueArbOf =
    extra && typeof extra === "object" && Object.keys(extra).length ? valueArb(extra, ctx, undefined, depth + 1) : fc.jsonValue({ maxDepth: 2 });
  const dict = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), valueArbOf, { maxKeys: 3 });
  return fc.tuple(known, dict).map(([k, d]) => ({ ...d, ...(k as object) }));
}

function mergeAll(parts: JsonSchema[]): JsonSchema {
  return {
    type: "object",
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: parts.flatMap((p) => p.required ?? []),
  };
}

/** One deterministic valid value, with every optional property present (refinements like "nothing to update"). */
export function exampleOf(schema: JsonSchema, ctx: GenContext, name?: string): unknown {
  const hint = name ? ctx.hints[name] : undefined;
  if (hint?.length) return hint[0];
  const s = resolve(schema, ctx.doc);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return exampleOf(variants[0], ctx, name);
  if (s.allOf) return exampleOf(mergeAll(s.allOf.map((x: JsonSchema) => resolve(x, ctx.doc))), ctx, name);
  if (s.enum) return s.enum[0];
  const type = typesOf(s).find((t) => t !== "null") ?? (s.properties ? "object" : "null");
  switch (type) {
    case "boolean":
      return false;
    case "integer":
    case "number":
      return s.exclusiveMinimum !== undefined ? Math.min(s.exclusiveMinimum + 1, s.maximum ?? Infinity) : (s.minimum ?? 1);
    case "string":
      if (s.format === "uri") return ctx.urls[0];
      if (s.pattern) return fc.sample(fc.stringMatching(new RegExp(s.pattern)), { seed: 7, numRuns: 1 })[0];
      return "x".repeat(Math.max(1, s.minLength ?? 1));
    case "array":
      return Array.from({ length: Math.max(1, s.minItems ?? 0) }, () => exampleOf(s.items ?? {}, ctx));
    case "object":
      return Object.fromEntries(Object.entries<JsonSchema>(s.properties ?? {}).map(([k, v]) => [k, exampleOf(v, ctx, k)]));
    default:
      return null;
  }
}

// ---------------------------------------------------------------- hostile variants

type PathKey = string | number;

/** Every node of a JSON value (objects' properties, arrays' items), as paths; the root is []. */
export function nodePaths(v: unknown, prefix: PathKey[] = [], out: PathKey[][] = []): PathKey[][] {
  out.push(prefix);
  if (out.length > 200) return out;
  if (Array.isArray(v)) for (const [i, x] of v.entries()) nodePaths(x, [...prefix, i], out);
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) nodePaths(x, [...prefix, k], out);
  return out;
}

function setAt(v: unknown, path: PathKey[], value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(v) ? [...v] : { ...(v as object) };
  copy[head!] = setAt(copy[head!], rest, value);
  return copy;
}

function deleteAt(v: unknown, path: PathKey[]): unknown {
  if (!path.length) return {};
  const parent = path.slice(0, -1).reduce<any>((o, k) => o?.[k], v);
  if (!parent || typeof parent !== "object" || Array.isArray(parent)) return v;
  const { [String(path.at(-1))]: _drop, ...rest } = parent;
  return setAt(v, path.slice(0, -1), rest);
}

/** Placeholder replaced by raw JSON text after serialisation (deep nesting, numbers JSON.stringify cannot write). */
const RAW = "\u0000raw\u0000";
export interface RawJson {
  [RAW]: string;
}
const raw = (text: string): RawJson => ({ [RAW]: text }) as RawJson;

export function serialize(v: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(v, (_k, x) => {
    if (x && typeof x === "object" && RAW in x) {
      raws.push((x as RawJson)[RAW]);
      return `${RAW}${raws.length - 1}`;
    }
    return x;
  });
  return (text ?? "null").replace(/"\\u0000raw\\u0000(\d+)"/g, (_m, i) => raws[Number(i)]!);
}

const deep = (n: number, open: string, close: string, leaf = "1") => raw(open.repeat(n) + leaf + close.repeat(n));

const WRONG_TYPES: unknown[] = [0, -1, 1.5, true, false, "", "x", [], {}, [null], { a: null }, "null", "0"];
const HOSTILE_STRINGS = [
  "x".repeat(100_000),
  "\u{1F9EA}".repeat(20_000),
  "\ud800",
  "\udfff\ud800",
  "a\u0000b",
  "\u202eevil",
  "\ufeff",
  "e\u0301\u0301\u0301",
  "'; DROP TABLE users; --",
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, sent as a literal string
  "${jndi:ldap://x}",
  "../../etc/passwd",
  "%00",
  "   ",
  "null",
];
const HOSTILE_NUMBERS: unknown[] = [
  -1,
  0,
  -0,
  2 ** 31,
  2 ** 53 + 2,
  1e308,
  -1e308,
  1e-320,
  0.1,
  raw("1e400"),
  raw("-1e400"),
  raw("123456789012345678901234567890"),
];
const HOSTILE_NODES: unknown[] = [
  deep(10_000, "[", "]"),
  deep(2_000, '{"a":', "}"),
  deep(200, "[", "]"),
  Array.from({ length: 5000 }, (_, i) => `item${i}`),
  Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])),
];
const EXTRA_KEYS = ["__proto__", "constructor", "prototype", "extra_field", "", "id", "user_id"];

/** A valid value with one node broken: null, wrong type, huge/odd string or number, deep nesting, extra or missing key. */
export function mutationArb(valid: fc.Arbitrary<unknown>): fc.Arbitrary<{ value: unknown; how: string }> {
  return fc
    .tuple(
      valid,
      fc.nat(),
      fc.nat(),
      fc.constantFrom("null", "wrong type", "string", "number", "node", "extra key", "drop key", "empty object", "not an object"),
    )
    .map(([v, pick, pick2, how]) => {
      const paths = nodePaths(v);
      const path = paths[pick % paths.length]!;
      const where = path.join(".") || "(body)";
      switch (how) {
        case "null":
          return { value: setAt(v, path, null), how: `null at ${where}` };
        case "wrong type":
          return { value: setAt(v, path, WRONG_TYPES[pick2 % WRONG_TYPES.length]), how: `wrong type at ${where}` };
        case "string":
          return {
            value: setAt(v, path, HOSTILE_STRINGS[pick2 % HOSTILE_STRINGS.length]),
            how: `hostile string #${pick2 % HOSTILE_STRINGS.length} at ${where}`,
          };
        case "number":
          return {
            value: setAt(v, path, HOSTILE_NUMBERS[pick2 % HOSTILE_NUMBERS.length]),
            how: `hostile number #${pick2 % HOSTILE_NUMBERS.length} at ${where}`,
          };
        case "node":
          return {
            value: setAt(v, path, HOSTILE_NODES[pick2 % HOSTILE_NODES.length]),
            how: `hostile node #${pick2 % HOSTILE_NODES.length} at ${where}`,
          };
        case "extra key": {
          const objects = paths.filter((p) => {
            const node = p.reduce<any>((o, k) => o?.[k], v);
            return node && typeof node === "object" && !Array.isArray(node);
          });
          const at = objects[pick2 % Math.max(1, objects.length)] ?? [];
          const key = EXTRA_KEYS[pick % EXTRA_KEYS.length]!;
          const node = at.reduce<any>((o, k) => o?.[k], v);
          const withKey =
            node && typeof node === "object" ? Object.defineProperty({ ...node }, key, { value: { admin: true }, enumerable: true }) : { [key]: 1 };
          return { value: setAt(v, at, withKey), how: `extra key "${key}" at ${at.join(".") || "(body)"}` };
        }
        case "drop key":
          return { value: deleteAt(v, path), how: `dropped ${where}` };
        case "empty object":
          return { value: {}, how: "empty object" };
        default:
          return { value: WRONG_TYPES[pick2 % WRONG_TYPES.length] ?? null, how: "not an object" };
      }
    });
}

const RAW_BODIES = [
  "",
  " ",
  "{",
  "}",
  '{"a":',
  "[",
  "nul",
  "{'a':1}",
  '{"a":1,}',
  "\ufeff{}",
  '{"a":1}{"b":2}',
  "{} trailing",
  "\u0000",
  "NaN",
  '{"__proto__":{"admin":true}}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"a":1e400}',
  "[".repeat(100_000) + "]".repeat(100_000),
  `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`,
];

/** Bodies that are not valid JSON (or barely): truncations of a valid body and a list of classics. */
export function rawBodyArb(validText: fc.Arbitrary<string>): fc.Arbitrary<{ text: string; how: string }> {
  return fc.oneof(
    fc.tuple(validText, fc.nat()).map(([t, n]) => ({ text: t.slice(0, Math.max(1, n % Math.max(1, t.length))), how: "truncated JSON" })),
    fc.nat({ max: RAW_BODIES.length - 1 }).map((i) => ({ text: RAW_BODIES[i]!, how: `raw body #${i}` })),
    validText.map((t) => ({ text: t.replace(/^\{/, '{"dup":1,"dup":2,'), how: "duplicate keys" })),
  );
}

export const CONTENT_TYPES: Array<string | null> = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "application/vnd.api+json",
  "application/xml",
  null,
];

export const HOSTILE_QUERY_VALUES = [
  "",
  "-1",
  "0",
  "1e400",
  "NaN",
  "0x10",
  "1.5",
  "9".repeat(400),
  "%00",
  "\u{1F9EA}",
  "[]",
  "true",
  "null",
  "done,running",
  "bogus",
  "a".repeat(5000),
];
export const HOSTILE_PATH_VALUES = [
  "x".repeat(65),
  "x".repeat(4000),
  "%zz",
  "%",
  "\u{1F4A5}",
  "a b",
  "%00",
  "null",
  "0",
  "-1",
  "' OR 1=1 --",
  "a/b",
  "*",
  "..%2F..%2Fapi",
];
