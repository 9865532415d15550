// Value semantics shared by the scorers.
//
// BFCL's checker and the original Benchmark Studio are Python programs: they compare JSON values after
// `json.loads`, so `5` is an int, `5.0` a float, `True == 1`, and `str(x)` prints Python literals. JavaScript's
// JSON.parse forgets whether a number was written `5` or `5.0`, which matters for BFCL's rule "a float is not
// accepted for an integer". FloatValue keeps that distinction for integral floats; parseJsonLossless produces
// it, and JSON.stringify writes it back as `5.0` where the engine supports JSON.rawJSON.
//
// JSON.parse also rounds integers beyond 2^53 (9007199254740993 becomes …992), while Python ints are exact.
// BigIntValue keeps such integers exactly; comparisons follow Python (int vs int exact, int vs float by exact
// value), and JSON.stringify writes the original digits back.

const rawJson = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

/** A JSON number written with a fraction or exponent whose value is integral (`5.0`, `1e3`). */
export class FloatValue {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
  toJSON(): unknown {
    return rawJson && Number.isFinite(this.value) ? rawJson(floatLiteral(this.value)) : this.value;
  }
}

/** An integer literal beyond ±2^53, kept exactly (a JS number would round it). */
export class BigIntValue {
  readonly value: bigint;
  constructor(value: bigint) {
    this.value = value;
  }
  toJSON(): unknown {
    return rawJson ? rawJson(this.value.toString()) : Number(this.value);
  }
}

/** An integer from its decimal digits: a plain number when that is exact, else a BigIntValue. */
export function integerFromDigits(digits: string): number | BigIntValue {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : new BigIntValue(BigInt(digits));
}

/** JSON literal for an integral float that stays a float when read back (`100` → `100.0`). */
function floatLiteral(v: number): string {
  if (Object.is(v, -0)) return "-0.0";
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

type ReviverWithSource = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const INTEGER_LITERAL = /^-?\d+$/;

export interface LosslessParseOptions {
  /**
   * Accept `NaN`, `Infinity` and `-Infinity` as floats, as Python's json.loads does (json.dumps writes them by
   * default). Off for documents we store: JSON has no way to write them back.
   */
  nonFinite?: boolean;
}

/**
 * JSON.parse that keeps integral floats as FloatValue and integers beyond 2^53 as BigIntValue (needs the
 * reviver `context.source`, present in V8 ≥ 11.4).
 */
export function parseJsonLossless(text: string, options: LosslessParseOptions = {}): unknown {
  try {
    return parseWithSource(text, null);
  } catch (error) {
    if (!options.nonFinite) throw error;
    const substituted = substituteNonFinite(text);
    if (!substituted) throw error;
    try {
      return parseWithSource(substituted.text, substituted.nanMarker);
    } catch {
      throw error; // report the position in the text as given
    }
  }
}

function parseWithSource(text: string, nanMarker: string | null): unknown {
  const reviver: ReviverWithSource = (_key, value, context) => {
    const source = context?.source;
    if (typeof value !== "number" || !source) return value;
    if (source === nanMarker) return Number.NaN;
    if (INTEGER_LITERAL.test(source)) return Number.isSafeInteger(value) ? value : new BigIntValue(BigInt(source));
    return Number.isInteger(value) ? new FloatValue(value) : value;
  };
  return JSON.parse(text, reviver as (this: unknown, key: string, value: unknown) => unknown);
}

/**
 * Rewrites Python's non-standard tokens outside strings into JSON numbers: `Infinity` → `1e400` (which parses
 * as Infinity) and `NaN` → a marker literal that no number in the text spells, recognised by the reviver.
 * Returns null when the text has none of them.
 */
function substituteNonFinite(text: string): { text: string; nanMarker: string } | null {
  let nanMarker = "-0.0e-1";
  while (text.includes(nanMarker)) nanMarker += "1";
  let out = "";
  let found = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? "";
    if (ch === '"') {
      // Copy a string literal as is (escapes included) so its content is never rewritten.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const token = text.startsWith("NaN", i) ? "NaN" : text.startsWith("Infinity", i) ? "Infinity" : null;
    if (token) {
      out += token === "NaN" ? nanMarker : "1e400";
      i += token.length;
      found = true;
      continue;
    }
    out += ch;
    i++;
  }
  return found ? { text: out, nanMarker } : null;
}

/**
 * Parses a provider's tool-call argument string. Returns the object, or the original string when it is not a
 * JSON object (the scorers treat a string as "arguments did not parse").
 */
export function parseArguments(text: string): Record<string, unknown> | string {
  try {
    // Python's json.loads (the original's and BFCL's parser) accepts NaN and Infinity.
    const v = parseJsonLossless(text, { nonFinite: true });
    return isPlainObject(v) ? v : text;
  } catch {
    return text;
  }
}

/**
 * Replaces FloatValue and BigIntValue by plain numbers (for consumers that only need JSON values, and for
 * structured clones, which drop class prototypes). Integers beyond 2^53 are rounded: use it for display copies,
 * never before scoring.
 */
export function toPlain(value: unknown): unknown {
  if (value instanceof FloatValue) return value.value;
  if (value instanceof BigIntValue) return Number(value.value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof FloatValue) && !(v instanceof BigIntValue);
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.hasOwn(obj, key);
}

// ---------------------------------------------------------------- Python-like typing and equality

/** Python type name of a JSON value as `json.loads` would produce it. */
export type PyType = "str" | "int" | "float" | "bool" | "NoneType" | "list" | "dict";

export function pyType(v: unknown): PyType {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (v instanceof FloatValue) return "float";
  if (v instanceof BigIntValue) return "int";
  if (Array.isArray(v)) return "list";
  return "dict";
}

/**
 * Numeric value as Python sees it in `==` (bool is an int subclass), or null for non-numbers. Integers beyond
 * 2^53 come back as bigint.
 */
export function pyNumber(v: unknown): number | bigint | null {
  if (typeof v === "number") return v;
  if (v instanceof FloatValue) return v.value;
  if (v instanceof BigIntValue) return v.value;
  if (typeof v === "boolean") return v ? 1 : 0;
  return null;
}

/** A plain number beyond 2^53 that is integral was read by a lossy parser: its digits are already gone. */
const isRoundedInteger = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v);

/**
 * Python `a == b` for two numbers: ints (exact at any size) and floats compare by exact value, so
 * 9007199254740993 != 9007199254740992.0 and NaN equals nothing. A plain number that was already rounded by
 * a lossy parser (rows read back with JSON.parse) can only be compared at double precision.
 */
export function pyNumbersEqual(a: unknown, b: unknown): boolean {
  const x = pyNumber(a);
  const y = pyNumber(b);
  if (x === null || y === null) return false;
  if (isRoundedInteger(a) || isRoundedInteger(b)) return Number(x) === Number(y);
  if (typeof x === typeof y) return x === y;
  const float = (typeof x === "number" ? x : y) as number;
  const int = (typeof x === "bigint" ? x : y) as bigint;
  return Number.isInteger(float) && BigInt(float) === int;
}

/** Python `a == b` for JSON values: numbers by value (True == 1 == 1.0), lists and dicts structurally. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (pyNumber(a) !== null || pyNumber(b) !== null) return pyNumbersEqual(a, b);
  if (typeof a === "string" || typeof b === "string") return a === b;
  const ta = pyType(a);
  if (ta !== pyType(b)) return false;
  if (ta === "NoneType") return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return false;
}

/** Python `x in list`. */
export function pyIn(x: unknown, list: readonly unknown[]): boolean {
  return list.some((y) => pyEquals(x, y));
}

/** Python `float(x)`: numbers, bools and numeric strings; null where Python raises. */
export function pyFloat(v: unknown): number | null {
  const n = pyNumber(v);
  if (n !== null) return Number(n); // a big int rounds to the nearest float, as float(int) does
  if (typeof v !== "string") return null;
  const s = v.trim().toLowerCase();
  const m = /^([+-]?)(inf|infinity|nan)$/.exec(s);
  if (m) return m[2] === "nan" ? Number.NaN : m[1] === "-" ? -Infinity : Infinity;
  const digits = "\\d(?:_?\\d)*";
  const re = new RegExp(`^[+-]?(?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:e[+-]?${digits})?$`);
  return re.test(s) ? Number(s.replace(/_/g, "")) : null;
}

/** Python `repr(float)`. */
function pyFloatRepr(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Object.is(v, -0)) return "-0.0";
  const exp = Math.floor(Math.log10(Math.abs(v)));
  if (v !== 0 && (exp < -4 || exp >= 16)) {
    // Python switches to scientific notation outside 1e-4 ≤ |v| < 1e16 and pads the exponent to 2 digits.
    const [mant = "", e = "0"] = v.toExponential().split("e");
    const sign = e.startsWith("-") ? "-" : "+";
    const digitsOfExp = e.replace(/^[+-]/, "").padStart(2, "0");
    return `${mant}e${sign}${digitsOfExp}`;
  }
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return quote + out + quote;
}

/** Python `repr(x)` of a JSON value (used in messages and by `str()` of containers). */
export function pyRepr(v: unknown): string {
  if (typeof v === "string") return pyStrRepr(v);
  return pyStr(v);
}

/** Python `str(x)` of a JSON value. */
export function pyStr(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v instanceof FloatValue) return pyFloatRepr(v.value);
  if (v instanceof BigIntValue) return v.value.toString();
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (isPlainObject(v)) {
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`)
      .join(", ")}}`;
  }
  return String(v);
}

/** Python `round(x, digits)` (half-even on exact binary ties, like CPython). */
export function pyRound(x: number, digits = 4): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return x;
  // toFixed rounds the exact binary value but sends exact ties up; CPython sends them to the even digit.
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 60));
  const tail = exact.slice(exact.indexOf(".") + 1 + digits);
  if (/^50*$/.test(tail)) {
    const f = 10 ** digits;
    const floor = Math.floor(Math.abs(x) * f);
    const even = floor % 2 === 0 ? floor : floor + 1;
    return (Math.sign(x) * even) / f;
  }
  return Number(x.toFixed(digits));
}
