// Error summary: a red banner when every run failed, a quieter expandable note when only some did.
import type { JSXOutput } from "@builder.io/qwik";
import { errorSummary } from "~/lib/bench-stats";
import type { BenchmarkResult } from "~/lib/benchmark-types";

export function FailureBanner({ results }: { results: readonly BenchmarkResult[] }): JSXOutput {
  const measured = results.filter((r) => r.type === "result");
  const errors = errorSummary(results);
  if (!errors.length) return null;
  const allFailed = measured.length > 0 && measured.every((r) => !r.success);
  const list = (
    <ul class="error-list">
      {errors.slice(0, 8).map((e) => (
        <li key={e.message}>
          <span class="error-count mono">{e.count}×</span>
          <span class="error-message">{e.message}</span>
          <span class="muted small"> — {e.models.join(", ")}</span>
        </li>
      ))}
    </ul>
  );
  if (allFailed) {
    return (
      <div class="banner banner-danger failure-banner" role="alert" data-testid="all-failed-banner">
        <div>
          <strong>Every run failed.</strong> Nothing could be measured — check the errors below (API keys, model names, rate limits).
          {list}
        </div>
      </div>
    );
  }
  const failed = errors.reduce((n, e) => n + e.count, 0);
  return (
    <details class="failure-note" data-testid="partial-failures">
      <summary>
        {failed} run{failed === 1 ? "" : "s"} failed — show errors
      </summary>
      {list}
    </details>
  );
}
