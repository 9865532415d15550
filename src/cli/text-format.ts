/**
 * The building blocks every `llm-bench` report shares: a plain-text table, a Markdown table, XML escaping and the
 * JUnit document around a report's test cases (one place, so run, capacity and tune reports parse the same way).
 */

export function textTable(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(w[i]!))
      .join("  ")
      .trimEnd();
  return [line(head), w.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)].join("\n");
}

/** One Markdown table cell: pipes escaped, whitespace (newlines too) collapsed. */
export const mdCell = (s: string) => s.replaceAll("|", "\\|").replace(/\s+/g, " ");

export function mdTable(head: string[], rows: string[][]): string {
  return [`| ${head.join(" | ")} |`, `|${head.map(() => " --- ").join("|")}|`, ...rows.map((row) => `| ${row.map(mdCell).join(" | ")} |`)].join("\n");
}

// biome-ignore lint/complexity/useRegexLiterals: a literal would trip noControlCharactersInRegex
const CONTROL_CHARS = new RegExp("[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]", "g");

export const xml = (s: string) =>
  s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    // Control characters other than tab and newlines are not allowed in XML 1.0.
    .replace(CONTROL_CHARS, "");

export interface JunitCase {
  classname: string;
  name: string;
  outcome: "pass" | "fail" | "skipped";
  /** The failure's or skip's one-line message. */
  message?: string;
  /** A failure's longer text (the message when absent). */
  detail?: string;
}

/** A JUnit XML document with one suite of these cases. */
export function junitDocument(suiteName: string, startedAt: string, durationMs: number, cases: readonly JunitCase[]): string {
  const failures = cases.filter((c) => c.outcome === "fail").length;
  const skipped = cases.filter((c) => c.outcome === "skipped").length;
  const time = (durationMs / 1000).toFixed(3);
  const lines = cases.map((c) => {
    const head = `    <testcase classname="${xml(c.classname)}" name="${xml(c.name)}"`;
    if (c.outcome === "pass") return `${head}/>`;
    const message = xml(c.message ?? "");
    if (c.outcome === "skipped") return `${head}>\n      <skipped message="${message}"/>\n    </testcase>`;
    return c.detail === undefined
      ? `${head}>\n      <failure message="${message}"/>\n    </testcase>`
      : `${head}>\n      <failure message="${message}">${xml(c.detail)}</failure>\n    </testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="llm-bench" tests="${cases.length}" failures="${failures}" skipped="${skipped}" time="${time}">
  <testsuite name="${xml(suiteName)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}" timestamp="${xml(startedAt.replace(/Z$/, ""))}">
${lines.join("\n")}
  </testsuite>
</testsuites>
`;
}
