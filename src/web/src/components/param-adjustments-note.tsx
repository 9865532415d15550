// What the provider parameter registry changed before a run (clamped, dropped, renamed, warned), per model; shown
// with the run in Benchmark, History and Tool Eval so an adjusted value is never a silent one.
import type { JSXOutput } from "@builder.io/qwik";
import type { ModelParamAdjustments } from "../../../shared/events.ts";

const fmt = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** Only what changes or may not work; `passthrough` (a custom key sent as given) is listed too, last. */
export function ParamAdjustmentsNote({ models, testId }: { models: ModelParamAdjustments | null | undefined; testId?: string }): JSXOutput {
  const rows = (models ?? []).flatMap((m) => m.adjustments.map((a) => ({ ...a, model_id: m.model_id, provider: m.provider })));
  if (!rows.length) return null;
  const changed = rows.filter((r) => r.action === "clamp" || r.action === "drop" || r.action === "rename").length;
  return (
    <details class="param-note" data-testid={testId} open={changed > 0}>
      <summary>Parameter adjustments applied{changed ? ` — ${changed} value${changed === 1 ? "" : "s"} changed for the provider` : ""}</summary>
      <ul class="param-note-list small">
        {rows.map((r) => (
          <li key={`${r.provider}:${r.model_id}:${r.param}:${r.action}`}>
            <span class="mono">{r.model_id}</span> · <span class="mono">{r.param}</span>{" "}
            <span class={`param-action param-${r.action}`}>{r.action}</span>
            {r.action === "clamp" || r.action === "rename" ? (
              <span class="mono">
                {" "}
                {fmt(r.original)} → {fmt(r.adjusted)}
              </span>
            ) : null}
            <span class="muted"> — {r.reason}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
