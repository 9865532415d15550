/**
 * How every reporting command (`run`, `tune`, `capacity`) takes its output options and writes its report: the chosen
 * format to --output (the table still goes to stdout, for the log) or to stdout, and the Markdown version appended to
 * $GITHUB_STEP_SUMMARY when it is set.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { CliError } from "./command.ts";
import { FORMATS, type Format } from "./report.ts";

/** The options every reporting command shares (parseArgs' shape). */
export const REPORT_OPTIONS = {
  format: { type: "string", default: "table" },
  output: { type: "string" },
  ci: { type: "boolean", default: false },
  quiet: { type: "boolean", default: false },
  help: { type: "boolean", short: "h" },
} as const;

export function reportFormat(text: string): Format {
  if (!FORMATS.includes(text as Format)) throw new CliError(`--format must be one of ${FORMATS.join(", ")}`);
  return text as Format;
}

export function emitReport(command: string, format: Format, output: string | undefined, render: (format: Format) => string): void {
  if (output) {
    try {
      writeFileSync(output, render(format));
    } catch (e) {
      throw new CliError(`cannot write --output ${output}: ${(e as Error).message}`);
    }
    process.stdout.write(render("table"));
  } else process.stdout.write(render(format));
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) {
    try {
      appendFileSync(summary, render("markdown"));
    } catch (e) {
      process.stderr.write(`llm-bench ${command}: cannot append to $GITHUB_STEP_SUMMARY: ${(e as Error).message}\n`);
    }
  }
}
