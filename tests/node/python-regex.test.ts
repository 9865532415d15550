// The Python-regex translator: each construct against results recorded from CPython 3.11's `re.search`.

import { describe, expect, it } from "vitest";
import { caseEquivalents } from "../../src/shared/scoring/python-case.ts";
import { translatePythonRegex } from "../../src/shared/scoring/python-regex.ts";
import { PYTHON_RESULTS } from "../fixtures/python-regex-results.ts";

function search(pattern: string, subject: string): boolean {
  const r = translatePythonRegex(pattern);
  if (!r.ok) throw new Error(`${pattern}: ${r.message}`);
  return r.regex.test(subject);
}

describe("Python regex → JS RegExp", () => {
  it.each(PYTHON_RESULTS)("%j on %j matches as in Python (%s)", (pattern, subject, expected) => {
    expect(search(pattern, subject)).toBe(expected);
  });

  it("rejects what Python rejects, with Python's message and position", () => {
    const invalid: Array<[string, string]> = [
      ["(", "missing ), unterminated subpattern at position 0"],
      ["a**", "multiple repeat at position 2"],
      ["(?<=a+)b", "look-behind requires fixed-width pattern"],
      ["\\q", "bad escape \\q at position 0"],
      ["(?<n>a)", "unknown extension ?<n at position 1"],
      ["a(?i)b", "global flags not at the start of the expression at position 1"],
      ["[z-a]", "bad character range z-a at position 1"],
      ["x{2,1}", "min repeat greater than max repeat at position 2"],
      ["\\1(a)", "invalid group reference 1 at position 1"],
      ["(?P=x)", "unknown group name 'x' at position 4"],
      ["(?(1)a|b)", "invalid group reference 1 at position 3"],
    ];
    for (const [pattern, message] of invalid) {
      const r = translatePythonRegex(pattern);
      expect(r.ok ? "translated" : r.kind, pattern).toBe("invalid");
      if (!r.ok) expect(r.message).toBe(`not a valid Python regular expression: ${message}`);
    }
  });

  it("refuses valid Python it cannot reproduce, saying what and where", () => {
    const unsupported: Array<[string, RegExp]> = [
      ["\\N{EM DASH}", /named character \\N\{EM DASH\}/],
      ["(a)?(?(1)b|c)", /conditional group .* \(at position 4\)/],
      ["(?a:\\w)", /\\w inside a scoped \(\?a:\.\.\.\) group/],
      ["(a)?b\\1", /backreference to group 1, which may not have matched/],
      ["(a?)+b\\1", /captured in a repeat that can match empty/],
      ["(?<=(?>a))b", /atomic group or possessive repeat inside a look-behind/],
      ["(?>(?:a?|b){2})", /atomic group or possessive repeat over a repeat that can match empty/],
      ["(?i:(a)\\1)x", /case-insensitive backreference/],
      ["(?ai)(a)\\1", /case-insensitive backreference/],
    ];
    for (const [pattern, message] of unsupported) {
      const r = translatePythonRegex(pattern);
      expect(r.ok ? "translated" : r.kind, pattern).toBe("unsupported");
      if (!r.ok) expect(r.message).toMatch(/^no JavaScript equivalent for /);
      if (!r.ok) expect(r.message).toMatch(message);
    }
  });

  it("reports a Python error before an unsupported construct, as Python would", () => {
    const r = translatePythonRegex("(?>\\N{EM DASH}");
    expect(r.ok ? "translated" : r.kind).toBe("invalid");
  });

  it("numbers groups as Python does when atomic groups add captures", () => {
    expect(search("(?>(a))(b)\\2\\1", "abba")).toBe(true);
    expect(search("(?>(a))(b)\\2\\1", "abab")).toBe(false);
  });
});

describe("Python's case classes", () => {
  const of = (ch: string) => [...(caseEquivalents(ch.codePointAt(0)!) ?? [])].map((cp) => String.fromCodePoint(cp)).sort();
  it("group characters whose lowercase forms share an uppercase, as CPython's IGNORECASE does", () => {
    expect(of("i")).toEqual(["I", "i", "İ", "ı"].sort());
    expect(of("s")).toEqual(["S", "s", "ſ"].sort());
    expect(of("k")).toEqual(["K", "k", "\u212a"].sort());
    expect(of("σ")).toEqual(["Σ", "ς", "σ"].sort());
    expect(of("ß")).toEqual(["ß", "ẞ"].sort());
    expect(caseEquivalents("1".codePointAt(0)!)).toBeNull();
  });
});
