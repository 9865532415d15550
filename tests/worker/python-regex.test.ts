// The Python-regex translator inside workerd: the Worker's V8 must give the same results as CPython 3.11.

import { describe, expect, it } from "vitest";
import { matchValue } from "../../src/shared/scoring/classic.ts";
import { translatePythonRegex } from "../../src/shared/scoring/python-regex.ts";
import { PYTHON_RESULTS } from "../fixtures/python-regex-results.ts";

describe("Python regex translation in workerd", () => {
  it("matches every recorded CPython result", () => {
    const wrong = PYTHON_RESULTS.filter(([pattern, subject, expected]) => {
      const r = translatePythonRegex(pattern);
      return !r.ok || r.regex.test(subject) !== expected;
    });
    expect(wrong).toEqual([]);
  });

  it("scores classic regex mode with it", () => {
    expect(matchValue("(?i)^istanbul\\Z", "İSTANBUL", "regex")).toBe(true);
    expect(matchValue("(?i)^istanbul\\Z", "İSTANBUL\n", "regex")).toBe(false);
  });
});
