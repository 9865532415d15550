// Value semantics shared by the scorers.
//
// BFCL's checker and the original Benchmark Studio are Python programs: they compare JSON values after
// `json.loads`, so `5` is an int, `5.0` a float, `True == 1`, and `str(x)` prints Python literals. JavaScript's
// JSON.parse forgets whether a number was written `5` or `5.0`, which matters for BFCL's rule "a float is not
// accepted for an integer". FloatValue keeps that distinction for integral floats; parseJsonLossless produces
// it, and JSON.stringify writes it back as `5.0` where the engine supports JSON.rawJSON.

/** A JSON number written with a fraction or exponent whose value is integral (`5.0`, `1e3`). */
export class FloatValue {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
  toJSON(): unknown {
    const raw = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;
    return raw && Number.isFinite(this.value) ? raw(floatLiteral(this.value)) : this.value;
  }
}

/** JSON literal for an integral float that stays a float when read back (`100` → `100.0`). */
function floatLiteral(v: number): string {
  if (Object.is(v, -0)) return "-0.0";
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

type ReviverWithSource = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

/** JSON.parse that keeps integral floats as FloatValue (needs the reviver `context.source`, present in V8 ≥ 11.4). */
export function parseJsonLossless(text: string): unknown {
  const reviver: ReviverWithSource = (_key, value, context) => {
    if (typeof value === "number" && Number.isInteger(value) && context?.source && /[.eE]/.test(context.source)) {
      return new FloatValue(value);
    }
    return value;
  };
  return JSON.parse(text, reviver as (this: unknown, key: string, value: unknown) => unknown);
}

/**
 * Parses a provider's tool-call argument string. Returns the object, or the original string when it is not a
 * JSON object (the scorers treat a string as "arguments did not parse").
 */
export function parseArguments(text: string): Record<string, unknown> | string {
  try {
    const v = parseJsonLossless(text);
    return isPlainObject(v) ? v : text;
  } catch {
    return text;
  }
}

/** Replaces FloatValue by plain numbers (for consumers that only need JSON values). */
export function toPlain(value: unknown): unknown {
  if (value instanceof FloatValue) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof FloatValue);
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
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
  if (Array.isArray(v)) return "list";
  return "dict";
}

/** Numeric value as Python sees it in `==` (bool is an int subclass), or null for non-numbers. */
export function pyNumber(v: unknown): number | null {
  if (typeof v === "number") return v;
  if (v instanceof FloatValue) return v.value;
  if (typeof v === "boolean") return v ? 1 : 0;
  return null;
}

/** Python `a == b` for JSON values: numbers by value (True == 1 == 1.0), lists and dicts structurally. */
export function pyEquals(a: unknown, b: unknown): boolean {
  const na = pyNumber(a);
  const nb = pyNumber(b);
  if (na !== null || nb !== null) return na !== null && nb !== null && na === nb;
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
  if (n !== null) return n;
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
