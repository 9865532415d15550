// A failed LLM call as a user can act on it: what went wrong (its class), where (provider · host), the provider's
// own words, and what to check. Benchmark, History and Tool Eval all show failures with this.
import type { JSXOutput } from "@builder.io/qwik";
import type { CallFailureFacts } from "~/lib/call-failures";
import { errorClassLabel } from "../../../shared/call-errors.ts";
import { Badge } from "./badge";

export function CallFailureNote({ failure, testId, extra }: { failure: CallFailureFacts; testId?: string; extra?: string }): JSXOutput {
  const where = [failure.provider, failure.error_host].filter(Boolean).join(" · ");
  return (
    <div class="call-failure" data-testid={testId} data-error-class={failure.error_class ?? ""}>
      <div class="call-failure-head">
        <Badge tone="coral" testId={testId ? `${testId}-class` : undefined}>
          {errorClassLabel(failure.error_class)}
        </Badge>
        {where && <span class="muted small mono">{where}</span>}
        {extra && <span class="muted small">{extra}</span>}
      </div>
      {failure.error && <p class="call-failure-message mono small">{failure.error}</p>}
      {failure.error_hint && (
        <p class="call-failure-hint small" data-testid={testId ? `${testId}-hint` : undefined}>
          {failure.error_hint}
        </p>
      )}
    </div>
  );
}
