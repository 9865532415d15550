// Spawning the real llm-bench CLI (node runs the .ts entry directly, or the bundled bin), with a private environment per call.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const CLI = path.join(ROOT, "src/cli/llm-bench.ts");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to a copy of this process's environment. */
  env?: Record<string, string>;
  /** Written to standard input (closed after); none: stdin is /dev/null. */
  input?: string;
  /** The file node runs: the TypeScript entry by default, or e.g. the bundled bin. */
  entry?: string;
}

/** Starts `llm-bench ...args`; stdout and stderr are collected on the returned object as they arrive. */
export function spawnCli(args: string[], opts: CliOptions = {}): { child: ChildProcessWithoutNullStreams; output: CliRun; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [opts.entry ?? CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, GITHUB_STEP_SUMMARY: "", ...opts.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const output: CliRun = { code: null, stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    output.stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    output.stderr += d;
  });
  if (opts.input !== undefined) child.stdin.end(opts.input);
  else child.stdin.end();
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      output.code = code;
      resolve(output);
    });
  });
  return { child, output, done };
}

/** Runs `llm-bench ...args` in `cwd` to the end. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return spawnCli(args, opts).done;
}

// sax is in node_modules through the toolchain; a strict parser that throws on XML that is not well-formed.
const sax = createRequire(import.meta.url)("sax") as {
  parser(strict: boolean): {
    onerror: (e: Error) => void;
    onopentag: (t: { name: string; attributes: Record<string, string> }) => void;
    write(s: string): { close(): void };
  };
};

/** A JUnit report's test cases, read by a strict XML parser (it throws on XML that is not well-formed). */
export function parseJunit(text: string) {
  const cases: { classname: string; name: string; failed: boolean; skipped: boolean }[] = [];
  const p = sax.parser(true);
  p.onerror = (e) => {
    throw e;
  };
  p.onopentag = (t) => {
    if (t.name === "testcase") cases.push({ classname: t.attributes.classname!, name: t.attributes.name!, failed: false, skipped: false });
    if (t.name === "failure") cases[cases.length - 1]!.failed = true;
    if (t.name === "skipped") cases[cases.length - 1]!.skipped = true;
  };
  p.write(text).close();
  return cases;
}
