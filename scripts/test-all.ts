/**
 * `npm test`: builds the web app (the browser tests serve it) and the CLI's bundle (a test runs the bin as
 * published), runs every vitest project (workerd, Node, and real Chromium), and ends with the line CI reads:
 * `N passed, N failed`.
 * Browser tests are mandatory when CI=true; elsewhere they are skipped, loudly, if Chromium is missing.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildCli, buildWeb, ROOT } from "./stack.ts";

const artifacts = path.join(ROOT, "test-artifacts");
mkdirSync(artifacts, { recursive: true });
const report = path.join(artifacts, "vitest-report.json");
// CI shows only the tail of its log, after the bench: .ci/run prints this list again just above the summary line.
const failuresFile = path.join(artifacts, "failures.txt");
writeFileSync(failuresFile, "");
writeFileSync(path.join(artifacts, "flaky.txt"), ""); // tests/flaky-reporter.ts fills it

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

/** One line per failed test (file, name, the error's first line), and per file that failed to load. */
function failureLines(json: VitestReport): string[] {
  const lines: string[] = [];
  for (const file of json.testResults) {
    const where = path.relative(ROOT, file.name);
    const failedTests = file.assertionResults.filter((t) => t.status === "failed");
    for (const t of failedTests) lines.push(`FAILED ${where} > ${t.fullName}: ${firstLine(t.failureMessages[0])}`);
    if (file.status === "failed" && failedTests.length === 0) lines.push(`FAILED ${where}: ${firstLine(file.message)}`);
  }
  return lines;
}

function readIfThere(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n")[0]?.slice(0, 300) ?? "";
}

buildWeb();
buildCli();
const vitest = spawnSync(
  "vitest",
  ["run", "--reporter=default", "--reporter=json", "--reporter=./tests/flaky-reporter.ts", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  },
);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, "utf8")) as VitestReport;
  passed = json.numPassedTests;
  // A file that fails to load has no failed tests but a failed suite: count it once.
  failed = json.numFailedTests || json.numFailedTestSuites;
  skipped = json.numPendingTests + json.numTodoTests;
  writeFileSync(failuresFile, failureLines(json).join("\n") + (failed ? "\n" : ""));
} catch {
  failed = Math.max(1, failed);
}
if (vitest.status !== 0 && failed === 0) failed = 1;

const line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
writeFileSync(path.join(artifacts, "summary.txt"), `${line}\n`);
const flaky = readIfThere(path.join(artifacts, "flaky.txt"));
if (flaky) console.log(`\nPassed only on their CI retry (flaky, to be fixed):\n${flaky}`);
const failures = readIfThere(failuresFile);
if (failures) console.log(`\n${failures}`);
console.log(`\n${line}`);
process.exit(failed > 0 ? 1 : 0);
