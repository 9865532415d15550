/**
 * Under CI=true every test gets one retry (vitest.config.ts), so one scheduling hiccup on a loaded 2-core runner
 * cannot block a landing. A retry must not hide a flaky test, though: this reporter writes every test that
 * passed only on its retry to test-artifacts/flaky.txt, and scripts/test-all.ts prints that list at the end.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, TestCase } from "vitest/node";

const ROOT = path.resolve(import.meta.dirname, "..");
const FLAKY_FILE = path.join(ROOT, "test-artifacts", "flaky.txt");

export default class FlakyReporter implements Reporter {
  private readonly flaky: string[] = [];

  onTestCaseResult(test: TestCase): void {
    const diagnostic = test.diagnostic();
    if (diagnostic?.flaky)
      this.flaky.push(`FLAKY ${path.relative(ROOT, test.module.moduleId)} > ${test.fullName} (passed on retry ${diagnostic.retryCount})`);
  }

  onTestRunEnd(): void {
    mkdirSync(path.dirname(FLAKY_FILE), { recursive: true });
    writeFileSync(FLAKY_FILE, this.flaky.length ? `${this.flaky.join("\n")}\n` : "");
  }
}
