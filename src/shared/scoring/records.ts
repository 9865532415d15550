// Reading "a list of JSON objects" the way BFCL ships them: JSON Lines (despite the .json name), or a JSON
// array. Every record remembers its line (JSON Lines) or entry number (array) so errors can point at it.

import type { ImportIssue } from "./suite.ts";
import { type LosslessParseOptions, parseJsonLossless } from "./values.ts";

export interface SourceRecord {
  value: unknown;
  /** 1-based line number (JSON Lines) or entry number (JSON array). */
  line: number;
}

export type RecordsResult = { ok: true; records: SourceRecord[] } | { ok: false; errors: ImportIssue[] };

/** Parses JSON Lines or a JSON array; blank lines are skipped; all bad lines are reported, not just the first. */
export function parseRecords(text: string, file: string, options: LosslessParseOptions = {}): RecordsResult {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") return { ok: false, errors: [{ file, message: "file is empty" }] };
  if (trimmed.startsWith("[")) {
    try {
      const v = parseJsonLossless(trimmed, options);
      if (!Array.isArray(v)) return { ok: false, errors: [{ file, message: "expected a JSON array or JSON Lines" }] };
      return { ok: true, records: v.map((value, i) => ({ value, line: i + 1 })) };
    } catch (e) {
      return { ok: false, errors: [{ file, message: `invalid JSON array: ${(e as Error).message}` }] };
    }
  }
  const records: SourceRecord[] = [];
  const errors: ImportIssue[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, i) => {
    if (raw.trim() === "") return;
    try {
      records.push({ value: parseJsonLossless(raw, options), line: i + 1 });
    } catch (e) {
      errors.push({ file, line: i + 1, message: `invalid JSON: ${(e as Error).message}` });
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, records };
}

/** One JSON object per line, newline-terminated. */
export function toJsonLines(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + (records.length > 0 ? "\n" : "");
}
