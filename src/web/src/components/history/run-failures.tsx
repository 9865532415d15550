// Every failed run of a stored benchmark, each with its own error (class, provider · host, message, hint).
import type { JSXOutput } from "@builder.io/qwik";
import { fmtTier } from "~/lib/bench-format";
import type { BenchmarkResult } from "~/lib/benchmark-types";
import { CallFailureNote } from "../call-failure";

const SHOWN = 50;

export function RunFailures({ results, runId }: { results: readonly BenchmarkResult[]; runId: string }): JSXOutput {
  const failed = results.filter((r) => r.type === "result" && !r.success);
  if (!failed.length) return null;
  return (
    <section class="run-failures" aria-label="Failed runs" data-testid={`history-failures-${runId}`}>
      <h4 class="subheading">
        {failed.length} failed run{failed.length === 1 ? "" : "s"}
      </h4>
      <ol class="error-list">
        {failed.slice(0, SHOWN).map((r, i) => (
          <li key={`${r.provider_key}:${r.model_id}:${r.context_tokens}:${r.run}`}>
            <CallFailureNote
              failure={r}
              testId={`history-failure-${runId}-${i}`}
              extra={`${r.model} · run ${r.run}/${r.runs}${r.context_tokens ? ` · ${fmtTier(r.context_tokens)} context` : ""}`}
            />
          </li>
        ))}
      </ol>
      {failed.length > SHOWN && <p class="muted small">…and {failed.length - SHOWN} more (Export CSV lists them all).</p>}
    </section>
  );
}
