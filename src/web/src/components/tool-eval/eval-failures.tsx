// The calls of an eval run that failed (as opposed to answering wrongly), grouped: class, provider · host,
// message, what to check, and how many cases of which models.
import type { JSXOutput } from "@builder.io/qwik";
import { groupFailures } from "~/lib/call-failures";
import type { EvalResult } from "~/lib/eval-types";
import { plural } from "~/lib/format";
import { CallFailureNote } from "../call-failure";

export function EvalFailures({ results }: { results: readonly EvalResult[] }): JSXOutput {
  const failed = results.filter((r) => !r.success);
  if (!failed.length) return null;
  const groups = groupFailures(failed.map((r) => ({ ...r, model: r.model_name })));
  const list = (
    <ul class="error-list">
      {groups.slice(0, 8).map((g, i) => (
        <li key={`${g.error_class}-${g.provider}-${g.error}`}>
          <CallFailureNote failure={g} testId={`eval-failure-${i}`} extra={`${plural(g.count, "case")} — ${g.models.join(", ")}`} />
        </li>
      ))}
    </ul>
  );
  if (failed.length === results.length) {
    return (
      <div class="banner banner-danger failure-banner" role="alert" data-testid="eval-failures">
        <div>
          <strong>Every call failed.</strong> Nothing could be scored; what went wrong and what to check:
          {list}
        </div>
      </div>
    );
  }
  return (
    <details class="failure-note" data-testid="eval-failures">
      <summary>{plural(failed.length, "case")} failed to run — show errors</summary>
      {list}
    </details>
  );
}
