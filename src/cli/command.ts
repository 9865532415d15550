/** What every `llm-bench` command shares: its shape, the exit codes, and the error that carries one. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";

export const EXIT = {
  ok: 0,
  /** An assertion (or `score --min-score`) failed. */
  failed: 1,
  /** Bad usage, input file or config. */
  input: 2,
  /** A provider or the network failed (or llm-bench itself hit a bug): no verdict on the models. */
  provider: 3,
  /** A baseline gate could not decide with the evidence at hand. */
  insufficient: 4,
  /** Stopped by Ctrl+C (the shell's convention, 128 + SIGINT). */
  interrupted: 130,
} as const;

export interface Command {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** The full `--help` text. */
  usage: string;
  /** Runs the command and returns its exit code; output goes to process.stdout / process.stderr. */
  run(argv: string[]): Promise<number>;
}

/** An error the user can fix (or a provider failure), printed without a stack and mapped to its exit code. */
export class CliError extends Error {
  readonly code: number;
  constructor(message: string, code: number = EXIT.input) {
    super(message);
    this.code = code;
  }
}

/** node:util parseArgs, with its usage errors turned into exit 2. */
export function parseOptions<O extends ParseArgsConfig["options"]>(argv: string[], options: O, positionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\nSee --help for the options.`);
  }
}

/** The package's version (package.json next to src/). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, "../../package.json"), "utf8")) as { version: string };
  return pkg.version;
}
