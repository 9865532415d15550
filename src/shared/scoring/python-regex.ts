// Python `re` patterns → JavaScript RegExp, for classic's regex match mode (the original runs
// `re.search(expected, str(actual))` in Python 3).
//
// The pattern is parsed with Python 3.11's grammar (sre_parse), so a pattern Python rejects is reported as
// invalid with Python's own message, and everything else is rebuilt as an explicit JS `u`-mode pattern whose
// meaning does not depend on JS defaults that differ from Python:
//   - `\w \d \s \b` are Unicode-aware as in Python str patterns (`\w` = letters, numbers, `_`; `\d` = Nd;
//     `\s` = str.isspace()), or ASCII under `(?a)`;
//   - `^ $ \A \Z .` become lookarounds/classes on "\n" only (JS also treats \r, U+2028, U+2029 as line ends,
//     and Python's `$` also matches before a final newline);
//   - `(?x)` whitespace and comments are dropped while parsing; leading `(?imsxau)` flags and scoped
//     `(?flags-flags:...)` groups are applied while parsing;
//   - case-insensitive letters and classes are spelled out with Python's case classes (python-case.ts), so
//     `(?i)i` also matches `İ` and `ı` and `(?ai)` folds ASCII only; the JS `i` flag is added only when the
//     whole pattern is case-insensitive, for backreferences (JS has `(?i:...)` groups, but V8 mis-matches
//     some of them once its regexp compiler has warmed up, so they are not used);
//   - named groups become numbered groups (JS and Python number them alike) and every backreference is
//     numeric; atomic groups and possessive repeats use the lookahead-capture idiom `(?=(X))\N`.
// What has no faithful JS equivalent is refused as "unsupported" with the reason. Known residual differences:
// a case-insensitive backreference compares JS case folds where Python compares lowercase forms (they differ
// for pairs such as ſ/s and ς/σ), and Python 3.11 fails some possessive repeats of variable-width items that
// its own `(?>...)` form matches (a CPython bug); we follow the documented meaning.

import { caseClosureOf, caseEquivalents } from "./python-case.ts";

export type PythonRegex = { ok: true; regex: RegExp } | { ok: false; kind: "invalid" | "unsupported"; message: string };

/** Translates a Python 3 `re` pattern (str, Unicode) into an equivalent JS RegExp, or says why it cannot. */
export function translatePythonRegex(pattern: string): PythonRegex {
  try {
    let translated: { source: string; flags: string };
    try {
      translated = new Translator(pattern, true).translate();
    } catch (e) {
      if (!(e instanceof MixedCaseScopes)) throw e;
      translated = new Translator(pattern, false).translate();
    }
    const { source, flags } = translated;
    try {
      return { ok: true, regex: new RegExp(source, flags) };
    } catch (e) {
      return { ok: false, kind: "unsupported", message: `the translated pattern was rejected by the JavaScript engine (${(e as Error).message})` };
    }
  } catch (e) {
    if (e instanceof PatternError) {
      const message =
        e.kind === "invalid"
          ? `not a valid Python regular expression: ${e.message}${e.position >= 0 ? ` at position ${e.position}` : ""}`
          : `no JavaScript equivalent for ${e.message} (at position ${e.position})`;
      return { ok: false, kind: e.kind, message };
    }
    throw e;
  }
}

/** Thrown when part of a pattern is case-insensitive and part is not: translate again without the JS `i` flag. */
class MixedCaseScopes extends Error {}

class PatternError extends Error {
  readonly kind: "invalid" | "unsupported";
  readonly position: number;
  constructor(kind: "invalid" | "unsupported", message: string, position: number) {
    super(message);
    this.kind = kind;
    this.position = position;
  }
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  a: boolean;
  /** ASCII mode set by a scoped `(?a:...)` group rather than for the whole pattern. */
  scopedA: boolean;
}

/** One parsed item with its JS form (always a single atom) and its width in characters. */
interface Item {
  js: string;
  min: number;
  max: number;
  /** Python's repeat rules: anchors cannot be repeated, a repeat cannot be repeated again. */
  kind: "atom" | "anchor" | "repeat" | "assert";
  /** Python numbers of the groups that open inside this item. */
  groups: number[];
  /** Holds a repeat (max > 1) of something that can match empty. Python accepts an empty iteration and stops;
   *  JS rejects it and tries the next alternative, so the first match found (what an atomic group keeps) and
   *  the captures can differ, though whether the pattern matches at all does not. */
  emptyLoop: boolean;
}

interface Group {
  closed: boolean;
  min: number;
  max: number;
  /** A group captured inside a look-behind under a repeat: JS matches look-behinds right to left, so a
   *  repeated capture keeps a different iteration than Python's. */
  reversedCapture: boolean;
  /** Later text may be reached without this group having matched (optional repeat, other branch, negative
   *  look-around). Python then fails a backreference to it; JS matches it as empty, and also clears
   *  captures at each new iteration of a repeat, which Python does not. */
  mayBeUnset: boolean;
  /** Captured inside a repeat whose body can match empty (see Item.emptyLoop). */
  inEmptyLoop: boolean;
}

const WHITESPACE = new Set([" ", "\t", "\n", "\r", "\v", "\f"]);
const DIGITS = new Set([..."0123456789"]);
const OCT_DIGITS = new Set([..."01234567"]);
const HEX_DIGITS = new Set([..."0123456789abcdefABCDEF"]);
const SPECIAL = new Set([...".\\[{()*+?^$|"]);
const FLAG_LETTERS = new Set([..."iLmsxatu"]);
const JS_SYNTAX = new Set([..."^$\\.*+?()[]{}|/"]);
const CLASS_SYNTAX = new Set([..."\\]^-["]);
const ANY_CHAR = "[\\s\\S]";
const STRING_START = "(?<![\\s\\S])";
const STRING_END = "(?![\\s\\S])";

/** Class bodies (JS syntax inside `[...]`) of Python's categories. */
const UNICODE_WORD = "\\p{L}\\p{N}_"; // str.isalnum() or "_"
const UNICODE_SPACE = "\\t\\n\\v\\f\\r\\u{1c}-\\u{1f} \\u{85}\\u{a0}\\u{1680}\\u{2000}-\\u{200a}\\u{2028}\\u{2029}\\u{202f}\\u{205f}\\u{3000}"; // str.isspace()
const ASCII_WORD = "A-Za-z0-9_";
const ASCII_SPACE = " \\t\\n\\r\\f\\v";
const ASCII_DIGIT = "0-9";

const isAsciiLetter = (cp: number): boolean => (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
const hex = (cp: number): string => `\\u{${cp.toString(16)}}`;

/** One code point as a JS pattern literal (outside or inside a class). */
function literal(cp: number, inClass: boolean): string {
  const ch = String.fromCodePoint(cp);
  if ((inClass ? CLASS_SYNTAX : JS_SYNTAX).has(ch)) return `\\${ch}`;
  return cp >= 0x20 && cp < 0x7f ? ch : hex(cp);
}

/** Sentinels for capture groups and backreferences, numbered once the whole pattern is built. */
const captureMark = (id: number): string => `\u0000G${id}\u0000`;
const refMark = (id: number): string => `\u0000R${id}\u0000`;

class Translator {
  private readonly chars: string[];
  private pos = 0;
  private flags: Flags = { i: false, m: false, s: false, x: false, a: false, scopedA: false };
  /** Python group number → state; index 0 unused. */
  private readonly groups: Group[] = [{ closed: true, min: 0, max: 0, reversedCapture: false, mayBeUnset: false, inEmptyLoop: false }];
  private readonly names = new Map<string, number>();
  /** Marker id of each Python group, and of the extra captures atomic groups add. */
  private readonly markerOf: number[] = [0];
  private nextMarker = 1;
  private lookbehindDepth = 0;
  /** Groups defined before the outermost look-behind being parsed (Python's state.lookbehindgroups). */
  private lookbehindGroupStart: number | null = null;
  /** Group numbers used by conditionals, checked once all groups are known (as Python does). */
  private readonly conditionRefs: Array<{ gid: number; at: number }> = [];
  /** The first construct without a JS equivalent; reported only if Python would accept the pattern. */
  private firstUnsupported: PatternError | null = null;

  /** Whether the JS `i` flag may carry the pattern's case-insensitivity (false once scopes differ). */
  private readonly jsCaseFlag: boolean;

  constructor(pattern: string, jsCaseFlag: boolean) {
    this.chars = Array.from(pattern); // Python indexes code points
    this.jsCaseFlag = jsCaseFlag;
  }

  /** Whether the emitted JS applies `i` where these flags are in force. */
  private jsCase(f: Flags): boolean {
    return this.jsCaseFlag && f.i && !f.a;
  }

  translate(): { source: string; flags: string } {
    const top = this.parseAlternation(0);
    if (this.peek() !== null) throw this.invalid("unbalanced parenthesis", this.pos);
    for (const ref of this.conditionRefs) {
      if (ref.gid >= this.groups.length) throw this.invalid(`invalid group reference ${ref.gid}`, ref.at);
    }
    // A pattern Python rejects is invalid whatever else it contains, so "unsupported" waits until here.
    if (this.firstUnsupported) throw this.firstUnsupported;
    // Case-insensitive letters are already spelled out; JS `i` is added only for backreferences (see jsCase).
    const flags = this.jsCase(this.flags) ? "ui" : "u";
    // Anchored with a lazy prefix so every attempt starts on a code point: V8 also tries (and can match
    // zero-width assertions at) positions inside a surrogate pair, which Python strings do not have.
    return { source: `^${ANY_CHAR}*?(?:${this.numberGroups(top.js)})`, flags };
  }

  // ------------------------------------------------------------ tokens (an escape is one token, as in sre)

  private peek(): string | null {
    const ch = this.chars[this.pos];
    if (ch === undefined) return null;
    if (ch !== "\\") return ch;
    const next = this.chars[this.pos + 1];
    if (next === undefined) throw this.invalid("bad escape (end of pattern)", this.pos);
    return ch + next;
  }

  private get(): string | null {
    const tok = this.peek();
    if (tok !== null) this.pos += isEscape(tok) ? 2 : 1;
    return tok;
  }

  private match(tok: string): boolean {
    if (this.peek() !== tok) return false;
    this.get();
    return true;
  }

  private getWhile(n: number, set: ReadonlySet<string>): string {
    let out = "";
    for (let k = 0; k < n; k++) {
      const tok = this.peek();
      if (tok === null || !set.has(tok)) break;
      out += this.get();
    }
    return out;
  }

  private getUntil(terminator: string, name: string): string {
    let out = "";
    for (;;) {
      const tok = this.get();
      if (tok === null) throw this.invalid(out ? `missing ${terminator}, unterminated name` : `missing ${name}`, this.pos);
      if (tok === terminator) {
        if (!out) throw this.invalid(`missing ${name}`, this.pos - 1);
        return out;
      }
      out += tok;
    }
  }

  private invalid(message: string, position: number): PatternError {
    return new PatternError("invalid", message, position);
  }

  /** Records a construct JS cannot express and returns a placeholder, so parsing can still find Python errors. */
  private unsupported(message: string, position: number): string {
    this.firstUnsupported ??= new PatternError("unsupported", message, position);
    return "(?:)";
  }

  // ------------------------------------------------------------ structure

  private parseAlternation(nested: number): Item {
    const branches: Item[] = [];
    for (;;) {
      const branch = this.parseSequence(nested, nested === 0 && branches.length === 0);
      branches.push(branch);
      if (!this.match("|")) break;
      this.mayBeSkipped(branch.groups); // marked now, so a later branch cannot rely on it either
    }
    if (branches.length > 1) this.mayBeSkipped(branches[branches.length - 1]!.groups);
    return {
      js: branches.map((b) => b.js).join("|"),
      min: Math.min(...branches.map((b) => b.min)),
      max: Math.max(...branches.map((b) => b.max)),
      kind: "atom",
      groups: branches.flatMap((b) => b.groups),
      emptyLoop: branches.some((b) => b.emptyLoop),
    };
  }

  private parseSequence(nested: number, first: boolean): Item {
    const items: Item[] = [];
    for (;;) {
      const tok = this.peek();
      if (tok === null || tok === "|" || tok === ")") break;
      const start = this.pos;
      this.get();
      if (this.flags.x) {
        if (WHITESPACE.has(tok)) continue;
        if (tok === "#") {
          for (let t = this.get(); t !== null && t !== "\n"; t = this.get());
          continue;
        }
      }
      if (isEscape(tok)) items.push(this.escape(tok, start));
      else if (!SPECIAL.has(tok)) items.push(this.char(tok.codePointAt(0) ?? 0));
      else if (tok === "[") items.push(this.characterClass(start));
      else if ("*+?{".includes(tok)) this.repeat(tok, start, items);
      else if (tok === ".") items.push(atom(this.flags.s ? ANY_CHAR : "[^\\n]", 1));
      else if (tok === "^") items.push(anchor(this.flags.m ? "(?<![^\\n])" : STRING_START));
      else if (tok === "$") items.push(anchor(this.flags.m ? "(?![^\\n])" : `(?=\\n?${STRING_END})`));
      else if (tok === "(") {
        const item = this.group(start, nested, first && items.length === 0);
        if (item) items.push(item);
      } else throw this.invalid(`unexpected ${tok}`, start);
    }
    let min = 0;
    let max = 0;
    for (const it of items) {
      min += it.min;
      max += it.max;
    }
    return {
      js: items.map((it) => it.js).join(""),
      min,
      max,
      kind: "atom",
      groups: items.flatMap((it) => it.groups),
      emptyLoop: items.some((it) => it.emptyLoop),
    };
  }

  /** `* + ? {m,n}` (a `{` that does not form a repeat is a literal, as in Python). */
  private repeat(tok: string, start: number, items: Item[]): void {
    let lo = 0;
    let hi = Infinity;
    if (tok === "?") hi = 1;
    else if (tok === "+") lo = 1;
    else if (tok === "{") {
      if (this.peek() === "}") {
        items.push(this.char(0x7b));
        return;
      }
      const after = this.pos;
      const min = this.getWhile(Infinity, DIGITS);
      let max = min;
      if (this.match(",")) max = this.getWhile(Infinity, DIGITS);
      if (!this.match("}")) {
        this.pos = after;
        items.push(this.char(0x7b));
        return;
      }
      const MAXREPEAT = 4294967295;
      if (min) lo = Number(min);
      hi = max ? Number(max) : Infinity;
      if (lo >= MAXREPEAT || (hi !== Infinity && hi >= MAXREPEAT)) throw this.invalid("the repetition number is too large", start);
      if (hi < lo) throw this.invalid("min repeat greater than max repeat", start + 1);
    }
    const target = items[items.length - 1];
    if (!target || target.kind === "anchor") throw this.invalid("nothing to repeat", start);
    if (target.kind === "repeat") throw this.invalid("multiple repeat", start);
    const lazy = this.match("?");
    const possessive = !lazy && this.match("+");
    const quant =
      lo === 0 && hi === Infinity
        ? "*"
        : lo === 1 && hi === Infinity
          ? "+"
          : lo === 0 && hi === 1
            ? "?"
            : hi === lo
              ? `{${lo}}`
              : hi === Infinity
                ? `{${lo},}`
                : `{${lo},${hi}}`;
    // JS `u` mode cannot quantify a look-around directly.
    const body = target.kind === "assert" ? `(?:${target.js})` : target.js;
    if (this.lookbehindDepth > 0 && hi > 1) for (const g of target.groups) this.groups[g]!.reversedCapture = true;
    if (lo === 0) this.mayBeSkipped(target.groups);
    const emptyLoop = target.emptyLoop || (hi > 1 && target.min === 0);
    if (emptyLoop) for (const g of target.groups) this.groups[g]!.inEmptyLoop = true;
    const repeated: Item = {
      js: possessive ? this.atomic(`${body}${quant}`, emptyLoop, start) : `${body}${quant}${lazy ? "?" : ""}`,
      min: target.min * lo,
      max: target.max === 0 ? 0 : target.max * hi,
      kind: "repeat",
      groups: target.groups,
      emptyLoop,
    };
    items[items.length - 1] = repeated;
  }

  /** `(?>X)`: match X once, never backtrack into it — a look-ahead capture followed by its backreference. */
  private atomic(js: string, emptyLoop: boolean, start: number): string {
    if (this.lookbehindDepth > 0) return this.unsupported("an atomic group or possessive repeat inside a look-behind", start);
    if (emptyLoop) return this.unsupported("an atomic group or possessive repeat over a repeat that can match empty", start);
    const id = this.nextMarker++;
    return `(?:(?=(${captureMark(id)}${js}))${refMark(id)})`;
  }

  private char(cp: number): Item {
    if (this.flags.i) {
      // ASCII mode folds ASCII letters only; Unicode mode uses Python's case classes.
      const variants = this.flags.a ? (isAsciiLetter(cp) ? [cp, cp ^ 0x20] : null) : caseEquivalents(cp);
      if (variants) return atom(`[${variants.map((v) => literal(v, true)).join("")}]`, 1);
    }
    return atom(literal(cp, false), 1);
  }

  // ------------------------------------------------------------ groups

  /** After `(`; null for items Python does not add (comments, global flags). */
  private group(start: number, nested: number, atStart: boolean): Item | null {
    let capture = true;
    let atomicGroup = false;
    let name: string | null = null;
    let scoped: Flags | null = null;
    if (this.match("?")) {
      const ch = this.get();
      if (ch === null) throw this.invalid("unexpected end of pattern", this.pos);
      if (ch === "P") {
        if (this.match("<")) {
          name = this.groupName(this.getUntil(">", "group name"));
        } else if (this.match("=")) {
          const ref = this.groupName(this.getUntil(")", "group name"));
          const gid = this.names.get(ref);
          if (gid === undefined) throw this.invalid(`unknown group name '${ref}'`, start + 4);
          return this.backreference(gid, start + 4); // Python points at the name
        } else {
          const next = this.get();
          if (next === null) throw this.invalid("unexpected end of pattern", this.pos);
          throw this.invalid(`unknown extension ?P${next}`, start + 1);
        }
      } else if (ch === ":") capture = false;
      else if (ch === "#") {
        for (;;) {
          const tok = this.get();
          if (tok === null) throw this.invalid("missing ), unterminated comment", start);
          if (tok === ")") return null;
        }
      } else if (ch === "=" || ch === "!" || ch === "<") {
        return this.lookaround(ch, start, nested);
      } else if (ch === "(") {
        return this.conditional(start, nested);
      } else if (ch === ">") {
        capture = false;
        atomicGroup = true;
      } else if (FLAG_LETTERS.has(ch) || ch === "-") {
        const parsed = this.inlineFlags(ch, start);
        if (parsed === "global") {
          if (!atStart) throw this.invalid("global flags not at the start of the expression", start);
          return null;
        }
        scoped = parsed;
        capture = false;
      } else throw this.invalid(`unknown extension ?${ch}`, start + 1);
    }

    let gid = 0;
    if (capture) {
      gid = this.groups.length;
      if (name !== null) {
        const was = this.names.get(name);
        if (was !== undefined) throw this.invalid(`redefinition of group name '${name}' as group ${gid}; was group ${was}`, start + 4);
        this.names.set(name, gid);
      }
      this.groups.push({ closed: false, min: 0, max: 0, reversedCapture: false, mayBeUnset: false, inEmptyLoop: false });
      this.markerOf.push(this.nextMarker++);
    }
    const outer = this.flags;
    if (scoped && this.jsCase(outer) !== this.jsCase(scoped)) throw new MixedCaseScopes();
    if (scoped) this.flags = scoped;
    const inner = this.parseAlternation(nested + 1);
    this.flags = outer;
    if (!this.match(")")) throw this.invalid("missing ), unterminated subpattern", start);

    let js: string;
    if (capture) {
      const g = this.groups[gid]!;
      g.closed = true;
      g.min = inner.min;
      g.max = inner.max;
      js = `(${captureMark(this.markerOf[gid]!)}${inner.js})`;
    } else if (atomicGroup) js = this.atomic(inner.js, inner.emptyLoop, start);
    else js = `(?:${inner.js})`;
    return { js, min: inner.min, max: inner.max, kind: "atom", groups: capture ? [gid, ...inner.groups] : inner.groups, emptyLoop: inner.emptyLoop };
  }

  /** After `(?(`: Python's conditional `(?(id/name)yes|no)`, parsed for its errors; JS has no equivalent. */
  private conditional(start: number, nested: number): Item {
    const at = this.pos;
    const cond = this.getUntil(")", "group name");
    let gid: number;
    if (/^[\p{XID_Start}_]\p{XID_Continue}*$/u.test(cond)) {
      const named = this.names.get(cond);
      if (named === undefined) throw this.invalid(`unknown group name '${cond}'`, at);
      gid = named;
    } else {
      if (!/^[0-9]+$/.test(cond)) throw this.invalid(`bad character in group name '${cond}'`, at);
      gid = Number(cond);
      if (gid === 0) throw this.invalid("bad group number", at);
      this.conditionRefs.push({ gid, at });
    }
    if (this.lookbehindGroupStart !== null && gid < this.groups.length) {
      if (!this.groups[gid]!.closed) throw this.invalid("cannot refer to an open group", at);
      if (gid >= this.lookbehindGroupStart) throw this.invalid("cannot refer to group defined in the same lookbehind subpattern", at);
    }
    const yes = this.parseSequence(nested + 1, false);
    const no = this.match("|") ? this.parseSequence(nested + 1, false) : null;
    if (no && this.peek() === "|") throw this.invalid("conditional backref with more than two branches", this.pos);
    if (!this.match(")")) throw this.invalid("missing ), unterminated subpattern", start);
    const js = this.unsupported("a conditional group (?(id)yes|no)", start);
    return {
      js,
      min: Math.min(yes.min, no?.min ?? 0),
      max: Math.max(yes.max, no?.max ?? 0),
      kind: "atom",
      groups: [...yes.groups, ...(no?.groups ?? [])],
      emptyLoop: false,
    };
  }

  private mayBeSkipped(groups: readonly number[]): void {
    for (const g of groups) this.groups[g]!.mayBeUnset = true;
  }

  private groupName(name: string): string {
    if (!/^[\p{XID_Start}_]\p{XID_Continue}*$/u.test(name)) throw this.invalid(`bad character in group name '${name}'`, this.pos - name.length - 1);
    return name;
  }

  /** Python's _parse_flags: null-free; "global" for `(?flags)`, else the flags inside `(?flags-flags:...)`. */
  private inlineFlags(first: string, start: number): Flags | "global" {
    const add = new Set<string>();
    const del = new Set<string>();
    let ch: string | null = first;
    if (ch !== "-") {
      for (;;) {
        if (ch === "L") throw this.invalid("bad inline flags: cannot use 'L' flag with a str pattern", this.pos);
        add.add(ch);
        if (add.has("a") && add.has("u")) throw this.invalid("bad inline flags: flags 'a', 'u' and 'L' are incompatible", this.pos);
        ch = this.get();
        if (ch === null) throw this.invalid("missing -, : or )", this.pos);
        if (ch === ")" || ch === "-" || ch === ":") break;
        if (!FLAG_LETTERS.has(ch)) throw this.invalid(/^\p{L}$/u.test(ch) ? "unknown flag" : "missing -, : or )", this.pos - 1);
      }
    }
    if (add.has("t")) this.unsupported("the deprecated TEMPLATE flag (?t)", start);
    if (ch === ")") {
      // Global flags: they apply to the whole pattern (Python 3.11 only allows them at its start).
      this.flags = { ...this.flags, ...flagsFrom(add) };
      return "global";
    }
    if (ch === "-") {
      ch = this.get();
      if (ch === null) throw this.invalid("missing flag", this.pos);
      if (!FLAG_LETTERS.has(ch)) throw this.invalid(/^\p{L}$/u.test(ch) ? "unknown flag" : "missing flag", this.pos - 1);
      for (;;) {
        if ("aLu".includes(ch)) throw this.invalid("bad inline flags: cannot turn off flags 'a', 'u' and 'L'", this.pos);
        del.add(ch);
        ch = this.get();
        if (ch === null) throw this.invalid("missing :", this.pos);
        if (ch === ":") break;
        if (!FLAG_LETTERS.has(ch)) throw this.invalid(/^\p{L}$/u.test(ch) ? "unknown flag" : "missing :", this.pos - 1);
      }
    }
    for (const f of add) if (del.has(f)) throw this.invalid("bad inline flags: flag turned on and off", this.pos);
    // Python 3.11 keeps ASCII categories inside `(?u:...)` under `(?a)` but unfolds case: no faithful mapping.
    if (add.has("u") && this.flags.a) this.unsupported("(?u:...) inside an ASCII-only (?a) pattern", start);
    const next = { ...this.flags, ...flagsFrom(add) };
    for (const f of del) if (f in next) next[f as keyof Flags] = false;
    if (add.has("a") && !this.flags.a) next.scopedA = true;
    return next;
  }

  private lookaround(kind: string, start: number, nested: number): Item {
    let behind = false;
    let op = kind;
    if (kind === "<") {
      const ch = this.get();
      if (ch === null) throw this.invalid("unexpected end of pattern", this.pos);
      if (ch !== "=" && ch !== "!") throw this.invalid(`unknown extension ?<${ch}`, start + 1);
      behind = true;
      op = ch;
    }
    const outermost = behind && this.lookbehindGroupStart === null;
    if (outermost) this.lookbehindGroupStart = this.groups.length;
    if (behind) this.lookbehindDepth++;
    const inner = this.parseAlternation(nested + 1);
    if (behind) this.lookbehindDepth--;
    if (outermost) this.lookbehindGroupStart = null;
    if (!this.match(")")) throw this.invalid("missing ), unterminated subpattern", start);
    // Python checks this when compiling, so its message has no position.
    if (behind && inner.min !== inner.max) throw this.invalid("look-behind requires fixed-width pattern", -1);
    if (op === "!") this.mayBeSkipped(inner.groups); // a negative look-around keeps no captures
    return { js: `(?${behind ? "<" : ""}${op}${inner.js})`, min: 0, max: 0, kind: "assert", groups: inner.groups, emptyLoop: inner.emptyLoop };
  }

  private backreference(gid: number, start: number): Item {
    const g = this.groups[gid];
    if (!g) throw this.invalid(`invalid group reference ${gid}`, start + 1);
    if (!g.closed) throw this.invalid("cannot refer to an open group", start);
    if (this.lookbehindGroupStart !== null && gid >= this.lookbehindGroupStart) {
      throw this.invalid("cannot refer to group defined in the same lookbehind subpattern", start);
    }
    if (g.reversedCapture) this.unsupported("a backreference to a group repeated inside a look-behind", start);
    if (g.inEmptyLoop)
      this.unsupported(
        `a backreference to group ${gid}, captured in a repeat that can match empty (Python and JavaScript keep different iterations)`,
        start,
      );
    if (g.mayBeUnset)
      this.unsupported(
        `a backreference to group ${gid}, which may not have matched at that point (Python then fails, JavaScript matches empty)`,
        start,
      );
    // JS can only compare a backreference with its own `i` flag, which ASCII mode keeps off.
    if (this.flags.i && !this.jsCase(this.flags)) {
      this.unsupported("a case-insensitive backreference in a pattern that is not case-insensitive throughout, or is ASCII-only (?ai)", start);
    }
    return { js: `(?:${refMark(this.markerOf[gid]!)})`, min: g.min, max: g.max, kind: "atom", groups: [], emptyLoop: false };
  }

  // ------------------------------------------------------------ escapes

  private escape(tok: string, start: number): Item {
    const c = tok.slice(1);
    const a = this.flags.a;
    this.checkScopedAscii(c, start);
    switch (c) {
      case "A":
        return anchor(STRING_START);
      case "Z":
        return anchor(STRING_END);
      case "b":
      case "B": {
        const w = a ? ASCII_WORD : UNICODE_WORD;
        const boundary = `(?:(?<=[${w}])(?![${w}])|(?<![${w}])(?=[${w}]))`;
        // Python (before 3.14) never matches \B in an empty string.
        const inside = `(?:(?<=[${w}])(?=[${w}])|(?<![${w}])(?![${w}])(?:(?<=${ANY_CHAR})|(?=${ANY_CHAR})))`;
        return anchor(c === "b" ? boundary : inside);
      }
      case "d":
        return atom(a ? `[${ASCII_DIGIT}]` : "\\p{Nd}", 1);
      case "D":
        return atom(a ? `[^${ASCII_DIGIT}]` : "\\P{Nd}", 1);
      case "w":
        return atom(`[${a ? ASCII_WORD : UNICODE_WORD}]`, 1);
      case "W":
        return atom(`[^${a ? ASCII_WORD : UNICODE_WORD}]`, 1);
      case "s":
        return atom(`[${a ? ASCII_SPACE : UNICODE_SPACE}]`, 1);
      case "S":
        return atom(`[^${a ? ASCII_SPACE : UNICODE_SPACE}]`, 1);
    }
    const simple = this.simpleEscape(c);
    if (simple !== null) return this.char(simple);
    const coded = this.codedEscape(tok, start);
    if (coded !== null) return this.char(coded);
    if (c === "0") return this.char(parseInt(this.getWhile(2, OCT_DIGITS) || "0", 8));
    if (DIGITS.has(c)) {
      let digits = c;
      const next = this.peek();
      if (next !== null && DIGITS.has(next)) {
        digits += this.get();
        const third = this.peek();
        if (OCT_DIGITS.has(digits[0]!) && OCT_DIGITS.has(digits[1]!) && third !== null && OCT_DIGITS.has(third)) {
          digits += this.get();
          const value = parseInt(digits, 8);
          if (value > 0o377) throw this.invalid(`octal escape value \\${digits} outside of range 0-0o377`, start);
          return this.char(value);
        }
      }
      const gid = Number(digits);
      if (gid >= this.groups.length) throw this.invalid(`invalid group reference ${gid}`, start + 1);
      return this.backreference(gid, start);
    }
    if (/^[A-Za-z]$/.test(c)) throw this.invalid(`bad escape ${tok}`, start);
    return this.char(c.codePointAt(0) ?? 0);
  }

  /** CPython 3.11 gives `\D \W \S` their Unicode meaning inside a scoped `(?a:...)` but `\d \w \s` their ASCII one. */
  private checkScopedAscii(c: string, start: number): void {
    if (this.flags.scopedA && "dDwWsSbB".includes(c)) this.unsupported(`\\${c} inside a scoped (?a:...) group`, start);
  }

  /** `\a \f \n \r \t \v \\` (and `\b` inside a class, handled by the caller). */
  private simpleEscape(c: string): number | null {
    const map: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };
    return Object.hasOwn(map, c) ? (map[c] ?? null) : null;
  }

  /** `\xhh \uhhhh \Uhhhhhhhh \N{name}`; null for other escapes. */
  private codedEscape(tok: string, start: number): number | null {
    const c = tok.slice(1);
    const len = c === "x" ? 2 : c === "u" ? 4 : c === "U" ? 8 : 0;
    if (len > 0) {
      const digits = this.getWhile(len, HEX_DIGITS);
      if (digits.length !== len) throw this.invalid(`incomplete escape ${tok}${digits}`, start);
      const cp = parseInt(digits, 16);
      if (cp > 0x10ffff) throw this.invalid(`bad escape ${tok}${digits}`, start);
      return cp;
    }
    if (c === "N") {
      if (!this.match("{")) throw this.invalid("missing {", this.pos);
      const name = this.getUntil("}", "character name");
      this.unsupported(`the named character \\N{${name}} (write the character or \\uXXXX instead)`, start);
      return 0xfffd; // placeholder: the pattern is refused once parsing ends
    }
    return null;
  }

  // ------------------------------------------------------------ character classes

  private characterClass(start: number): Item {
    const negate = this.match("^");
    const ranges: Array<[number, number]> = [];
    const sets: string[] = []; // class bodies to include
    const complements: string[] = []; // class bodies whose complement to include (\W \S, ASCII \D)
    let count = 0;
    for (;;) {
      const at = this.pos;
      const tok = this.get();
      if (tok === null) throw this.invalid("unterminated character set", start);
      if (tok === "]" && count > 0) break;
      const first = this.classAtom(tok, at);
      count++;
      if (this.match("-")) {
        const thatAt = this.pos;
        const that = this.get();
        if (that === null) throw this.invalid("unterminated character set", start);
        if (that === "]") {
          this.addClassAtom(first, ranges, sets, complements);
          ranges.push([0x2d, 0x2d]);
          break;
        }
        const second = this.classAtom(that, thatAt);
        if (typeof first !== "number" || typeof second !== "number" || second < first) {
          throw this.invalid(`bad character range ${tok}-${that}`, at);
        }
        ranges.push([first, second]);
      } else this.addClassAtom(first, ranges, sets, complements);
    }
    if (this.flags.i && this.flags.a) {
      // ASCII-only case-insensitivity: add the other case of every ASCII letter in the class.
      for (const [lo, hi] of [...ranges]) {
        for (const [from, to, shift] of [
          [65, 90, 32],
          [97, 122, -32],
        ] as const) {
          const l = Math.max(lo, from);
          const h = Math.min(hi, to);
          if (l <= h) ranges.push([l + shift, h + shift]);
        }
      }
    } else if (this.flags.i) {
      for (const cp of caseClosureOf(ranges)) ranges.push([cp, cp]);
    }
    const body = ranges.map(([lo, hi]) => (lo === hi ? literal(lo, true) : `${literal(lo, true)}-${literal(hi, true)}`)).join("") + sets.join("");
    if (complements.length === 0) return atom(`[${negate ? "^" : ""}${body}]`, 1);
    // A u-mode class cannot hold a complemented set, so the union is written as an alternation.
    const union = [...(body ? [`[${body}]`] : []), ...complements.map((b) => `[^${b}]`)].join("|");
    return atom(negate ? `(?:(?!${union})${ANY_CHAR})` : `(?:${union})`, 1);
  }

  private addClassAtom(a: ClassAtom, ranges: Array<[number, number]>, sets: string[], complements: string[]): void {
    if (typeof a === "number") ranges.push([a, a]);
    else if (a.negated) complements.push(a.body);
    else sets.push(a.body);
  }

  /** One class member: a code point, or a category (`\d \w \s` and their negations). */
  private classAtom(tok: string, start: number): ClassAtom {
    if (!isEscape(tok)) return tok.codePointAt(0) ?? 0;
    const c = tok.slice(1);
    const a = this.flags.a;
    this.checkScopedAscii(c, start);
    switch (c) {
      case "d":
        return { body: a ? ASCII_DIGIT : "\\p{Nd}", negated: false };
      case "D":
        return a ? { body: ASCII_DIGIT, negated: true } : { body: "\\P{Nd}", negated: false };
      case "w":
        return { body: a ? ASCII_WORD : UNICODE_WORD, negated: false };
      case "W":
        return { body: a ? ASCII_WORD : UNICODE_WORD, negated: true };
      case "s":
        return { body: a ? ASCII_SPACE : UNICODE_SPACE, negated: false };
      case "S":
        return { body: a ? ASCII_SPACE : UNICODE_SPACE, negated: true };
      case "b":
        return 8; // backspace inside a class
    }
    const simple = this.simpleEscape(c);
    if (simple !== null) return simple;
    const coded = this.codedEscape(tok, start);
    if (coded !== null) return coded;
    if (OCT_DIGITS.has(c)) {
      const digits = c + this.getWhile(2, OCT_DIGITS);
      const value = parseInt(digits, 8);
      if (value > 0o377) throw this.invalid(`octal escape value \\${digits} outside of range 0-0o377`, start);
      return value;
    }
    if (DIGITS.has(c) || /^[A-Za-z]$/.test(c)) throw this.invalid(`bad escape ${tok}`, start);
    return c.codePointAt(0) ?? 0;
  }

  // ------------------------------------------------------------ output

  /** Replaces the group and backreference sentinels by JS group numbers (order of opening parentheses). */
  private numberGroups(js: string): string {
    const numberOf = new Map<string, number>();
    let n = 0;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks our own placeholders, never user text
    const withGroups = js.replace(/\u0000G(\d+)\u0000/g, (_m, id: string) => {
      numberOf.set(id, ++n);
      return "";
    });
    // `(?:\N)` keeps a following digit from joining the number.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks our own placeholders, never user text
    return withGroups.replace(/\u0000R(\d+)\u0000/g, (_m, id: string) => `\\${numberOf.get(id)}`);
  }
}

type ClassAtom = number | { body: string; negated: boolean };

function atom(js: string, width: number): Item {
  return { js, min: width, max: width, kind: "atom", groups: [], emptyLoop: false };
}

function anchor(js: string): Item {
  return { js, min: 0, max: 0, kind: "anchor", groups: [], emptyLoop: false };
}

/** Flags a set of inline letters turns on (`u` is Unicode matching, which turns ASCII mode off). */
function flagsFrom(letters: ReadonlySet<string>): Partial<Flags> {
  const out: Partial<Flags> = {};
  for (const f of letters) {
    if (f === "u") out.a = false;
    else if (f === "i" || f === "m" || f === "s" || f === "x" || f === "a") out[f] = true;
  }
  return out;
}

/** A token is one code point, or a backslash and the code point it escapes. */
const isEscape = (tok: string): boolean => tok.length > 1 && tok.startsWith("\\");
