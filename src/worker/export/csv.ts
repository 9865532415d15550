/**
 * CSV files for download, written by csv-stringify (RFC 4180 quoting) with its formula escaping on: a text cell
 * starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows a
 * model name or prompt like "=HYPERLINK(…)" as text instead of running it (OWASP "CSV injection"). Numbers are
 * written as numbers (a negative number is not text and is left alone).
 */
import { stringify } from "csv-stringify/sync";

export type Cell = string | number | boolean | null | undefined;

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return stringify([header as Cell[], ...(rows as Cell[][])], {
    escape_formulas: true,
    record_delimiter: "\r\n",
    cast: { boolean: (v) => (v ? "true" : "false") },
  });
}

/** A CSV download response. The file name is built by the caller from fixed words and ids only. */
export function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    status: 200,
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"` },
  });
}
