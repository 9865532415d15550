// Error summary: a red banner when every run failed, a quieter expandable note when only some did. Each kind of
// failure shows its class, provider and host, the provider's message and what to check.
import type { JSXOutput } from "@builder.io/qwik";
import { errorSummary } from "~/lib/bench-stats";
import type { BenchmarkResult } from "~/lib/benchmark-types";
import { plural } from "~/lib/format";
import { CallFailureNote } from "../call-failure";

export function FailureBanner({ results }: { results: readonly BenchmarkResult[] }): JSXOutput {
  const measured = results.filter((r) => r.type === "result");
  const errors = errorSummary(results);
  if (!errors.length) return null;
  const allFailed = measured.length > 0 && measured.every((r) => !r.success);
  const list = (
    <ul class="error-list">
      {errors.slice(0, 8).map((e, i) => (
        <li key={`${e.error_class}-${e.provider}-${e.error}`}>
          <CallFailureNote failure={e} testId={`failure-${i}`} extra={`${plural(e.count, "run")} — ${e.models.join(", ")}`} />
        </li>
      ))}
    </ul>
  );
  if (allFailed) {
    return (
      <div class="banner banner-danger failure-banner" role="alert" data-testid="all-failed-banner">
        <div>
          <strong>Every run failed.</strong> Nothing could be measured; what went wrong and what to check:
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
