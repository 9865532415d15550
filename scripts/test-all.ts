/**
 * `npm test`: builds the web app (the browser tests serve it), runs every vitest project (workerd, Node, and
 * real Chromium), and ends with the line CI reads: `N passed, N failed`.
 * Browser tests are mandatory when CI=true; elsewhere they are skipped, loudly, if Chromium is missing.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildWeb, ROOT } from "./stack.ts";

const artifacts = path.join(ROOT, "test-artifacts");
mkdirSync(artifacts, { recursive: true });
const report = path.join(artifacts, "vitest-report.json");

buildWeb();
const vitest = spawnSync("vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
});

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  passed = json.numPassedTests;
  // A file that fails to load has no failed tests but a failed suite: count it once.
  failed = json.numFailedTests || json.numFailedTestSuites;
  skipped = json.numPendingTests + json.numTodoTests;
} catch {
  failed = Math.max(1, failed);
}
if (vitest.status !== 0 && failed === 0) failed = 1;

const line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
writeFileSync(path.join(artifacts, "summary.txt"), `${line}\n`);
console.log(`\n${line}`);
process.exit(failed > 0 ? 1 : 0);
