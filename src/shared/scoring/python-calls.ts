// Decoding BFCL "prompting" outputs: Python call syntax such as `[math.hcf(a=36, b=24), f(x='y')]`.
// Only literals are accepted (strings, numbers, True/False/None, lists, tuples, dicts); anything else is a
// decode failure, which BFCL also treats as "no valid call".

import type { ActualCall } from "./types.ts";
import { FloatValue, integerFromDigits } from "./values.ts";

class Parser {
  private i = 0;
  private readonly s: string;
  constructor(s: string) {
    this.s = s;
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i] ?? "")) this.i++;
  }
  private peek(): string {
    this.ws();
    return this.s[this.i] ?? "";
  }
  private eat(ch: string): boolean {
    if (this.peek() === ch) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(ch: string): void {
    if (!this.eat(ch)) throw new Error(`expected '${ch}' at ${this.i}`);
  }
  atEnd(): boolean {
    this.ws();
    return this.i >= this.s.length;
  }

  private ident(): string {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i));
    if (!m) throw new Error(`expected a name at ${this.i}`);
    this.i += m[0].length;
    return m[0];
  }

  calls(): ActualCall[] {
    if (this.eat("[")) {
      const out: ActualCall[] = [];
      while (!this.eat("]")) {
        out.push(this.call());
        if (!this.eat(",")) {
          this.expect("]");
          break;
        }
      }
      return out;
    }
    return [this.call()];
  }

  private call(): ActualCall {
    let name = this.ident();
    while (this.eat(".")) name += `.${this.ident()}`;
    this.expect("(");
    const args: Record<string, unknown> = {};
    while (!this.eat(")")) {
      const key = this.ident();
      this.expect("=");
      args[key] = this.literal();
      if (!this.eat(",")) {
        this.expect(")");
        break;
      }
    }
    return { name, arguments: args };
  }

  private literal(): unknown {
    const ch = this.peek();
    if (ch === "[" || ch === "(") {
      const close = ch === "[" ? "]" : ")";
      this.i++;
      const out: unknown[] = [];
      while (!this.eat(close)) {
        out.push(this.literal());
        if (!this.eat(",")) {
          this.expect(close);
          break;
        }
      }
      return out;
    }
    if (ch === "{") {
      this.i++;
      const out: Record<string, unknown> = {};
      while (!this.eat("}")) {
        const k = this.literal();
        if (typeof k !== "string") throw new Error("only string dict keys are supported");
        this.expect(":");
        out[k] = this.literal();
        if (!this.eat(",")) {
          this.expect("}");
          break;
        }
      }
      return out;
    }
    if (ch === "'" || ch === '"' || /[rRuU]['"]/.test(this.s.slice(this.i, this.i + 2))) return this.string();
    const word = /^(True|False|None)\b/.exec(this.s.slice(this.i));
    if (word) {
      this.i += word[0].length;
      return word[1] === "True" ? true : word[1] === "False" ? false : null;
    }
    const num = /^[+-]?(?:\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)/.exec(this.s.slice(this.i));
    if (num) {
      this.i += num[0].length;
      const text = num[0].replace(/_/g, "");
      if (/[.eE]/.test(text)) {
        const v = Number(text);
        return Number.isInteger(v) ? new FloatValue(v) : v;
      }
      // Python ints are exact at any size.
      return integerFromDigits(text.replace(/^\+/, ""));
    }
    throw new Error(`unsupported expression at ${this.i}`);
  }

  private string(): string {
    let raw = false;
    const prefix = this.s[this.i] ?? "";
    if (/[rRuU]/.test(prefix)) {
      raw = /[rR]/.test(prefix);
      this.i++;
    }
    const q = this.s[this.i] ?? "";
    const triple = this.s.slice(this.i, this.i + 3) === q.repeat(3);
    const end = triple ? q.repeat(3) : q;
    this.i += end.length;
    let out = "";
    while (this.i < this.s.length) {
      if (this.s.startsWith(end, this.i)) {
        this.i += end.length;
        return out;
      }
      const c = this.s[this.i] ?? "";
      if (c === "\\" && !raw) {
        const n = this.s[this.i + 1] ?? "";
        const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', "0": "\0" };
        if (n in simple) {
          out += simple[n];
          this.i += 2;
        } else if (n === "x" || n === "u" || n === "U") {
          const len = n === "x" ? 2 : n === "u" ? 4 : 8;
          const hex = this.s.slice(this.i + 2, this.i + 2 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new Error("bad escape");
          out += String.fromCodePoint(parseInt(hex, 16));
          this.i += 2 + len;
        } else {
          out += c + n;
          this.i += 2;
        }
        continue;
      }
      if (!triple && c === "\n") throw new Error("unterminated string");
      out += c;
      this.i++;
    }
    throw new Error("unterminated string");
  }
}

/**
 * Parses Python call syntax into calls. Code fences and surrounding whitespace are stripped first, as BFCL's
 * decoder does. Throws on anything that is not a list of calls with literal keyword arguments.
 */
export function parsePythonCalls(text: string): ActualCall[] {
  const cleaned = text
    .trim()
    .replace(/^```(?:python)?\s*/i, "")
    .replace(/```$/, "")
    .trim();
  const p = new Parser(cleaned);
  const calls = p.calls();
  if (!p.atEnd()) throw new Error("unexpected text after the calls");
  return calls;
}
