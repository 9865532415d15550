// One case × model in a modal: expected vs actual calls, every score part, the multi-turn chain and the raw
// request/response. Live results carry no score parts or raw exchange, so those are read from the stored run.
import { component$, type PropFunction, useSignal, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { fmtMs, fmtPct } from "~/lib/bench-format";
import { type EvalResult, type EvalRunDetail, resultKey } from "~/lib/eval-types";
import { describeError } from "~/lib/http";
import { Badge } from "../badge";
import { CallFailureNote } from "../call-failure";
import { actualLabel, expectedLabel } from "./eval-results-table";

export interface CaseDrilldownProps {
  result: EvalResult | null;
  /** The address names a case this run has no result for: the dialog says so. */
  missing?: boolean;
  evalId: string | null;
  onClose$: PropFunction<() => void>;
}

const pretty = (v: unknown) => (v === undefined ? "—" : JSON.stringify(v, null, 2));
const score = (n: number | null | undefined) => (n === null || n === undefined ? "—" : fmtPct(n * 100, 0));
const num = (n: number | null | undefined) => (n === null || n === undefined ? "—" : String(Math.round(n * 1000) / 1000));

export const CaseDrilldown = component$<CaseDrilldownProps>((props) => {
  const dialogRef = useSignal<HTMLDialogElement>();
  /** The stored version of the case (score parts, raw exchange) when the shown one lacks them. */
  const full = useSignal<EvalResult | null>(null);
  const loadError = useSignal("");

  useVisibleTask$(({ track }) => {
    const r = track(() => props.result);
    const open = Boolean(r) || track(() => Boolean(props.missing));
    const dialog = dialogRef.value;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
    full.value = null;
    loadError.value = "";
    if (!r || r.raw_request !== undefined || !props.evalId) return;
    const want = resultKey(r);
    void api
      .get<EvalRunDetail>(`/api/tool-eval/history/${encodeURIComponent(props.evalId)}`)
      .then((run) => {
        if (props.result && resultKey(props.result) === want) full.value = run.results.find((x) => resultKey(x) === want) ?? null;
      })
      .catch((err) => (loadError.value = describeError(err).message));
  });

  const r = full.value ?? props.result;
  const parts = r?.score_parts ?? null;
  const loadingParts = Boolean(r && r.raw_request === undefined && !loadError.value);

  return (
    <dialog
      ref={dialogRef}
      class="modal-dialog te-drill"
      aria-labelledby="drill-title"
      data-testid="case-drilldown"
      onCancel$={() => props.onClose$()}
    >
      {r && (
        <div class="te-drill-body">
          <header class="te-drill-head">
            <div>
              <p class="eyebrow">
                {r.model_name} · {r.category ?? "uncategorized"}
              </p>
              <h2 id="drill-title" class="te-drill-prompt">
                {r.prompt}
              </h2>
            </div>
            <div class="btn-row">
              <Badge tone={r.passed ? "lime" : r.success ? "coral" : "amber"} testId="drill-verdict">
                {r.passed ? "PASSED" : r.success ? "NOT PASSED" : "CALL FAILED"}
              </Badge>
              <button type="button" class="btn btn-ghost btn-sm" data-testid="drill-close" onClick$={() => props.onClose$()}>
                Close
              </button>
            </div>
          </header>

          <div class="te-drill-grid">
            <section class="te-drill-box" data-testid="drill-expected">
              <h3>Expected</h3>
              <p class="mono">{expectedLabel(r)}</p>
              {r.expected_params !== null && <pre class="te-json-view">{pretty(r.expected_params)}</pre>}
            </section>
            <section class={`te-drill-box ${r.success && r.tool_selection_score === 1 ? "is-ok" : "is-bad"}`} data-testid="drill-actual">
              <h3>Actual</h3>
              <p class="mono">{actualLabel(r)}</p>
              {r.actual_calls.map((c, i) => (
                <pre key={i} class="te-json-view">{`${c.name}(${pretty(c.arguments)})`}</pre>
              ))}
              {!r.success && <CallFailureNote failure={r} testId="drill-failure" />}
            </section>
          </div>

          <section data-testid="drill-scores">
            <h3>Scores</h3>
            <dl class="te-scores">
              <div>
                <dt>Tool selection</dt>
                <dd class="mono">{score(r.tool_selection_score)}</dd>
              </div>
              <div>
                <dt>Param accuracy</dt>
                <dd class="mono">{r.param_accuracy === null ? "not scored" : score(r.param_accuracy)}</dd>
              </div>
              <div>
                <dt>Overall</dt>
                <dd class="mono text-strong">{score(r.overall_score)}</dd>
              </div>
              <div>
                <dt>Irrelevance</dt>
                <dd class="mono" title="1 when calling (or not) was right">
                  {score(r.irrelevance_score)}
                </dd>
              </div>
              <div>
                <dt>Format</dt>
                <dd class="mono">{r.format_compliance ?? "—"}</dd>
              </div>
              <div>
                <dt>Error type</dt>
                <dd class="mono">{r.error_type ?? "—"}</dd>
              </div>
              <div>
                <dt>Latency</dt>
                <dd class="mono">{fmtMs(r.latency_ms)}</dd>
              </div>
              <div>
                <dt>Rounds</dt>
                <dd class="mono">{r.rounds ?? "—"}</dd>
              </div>
            </dl>
            {loadingParts && <p class="muted small">Loading the score parts and raw exchange…</p>}
            {loadError.value && <p class="text-danger small">{loadError.value}</p>}
            {parts && (
              <>
                {parts.error && (
                  <p class="small" data-testid="drill-score-error">
                    <span class="mono text-danger">{parts.error.code}</span> — {parts.error.message}
                  </p>
                )}
                <div class="table-wrap">
                  <table class="table results-table te-parts" data-testid="drill-call-parts">
                    <caption class="muted small">
                      {parts.scorer} scorer · pairing: {parts.matching.method}
                      {parts.extra_calls.length > 0 && ` · ${parts.extra_calls.length} extra call(s)`}
                      {parts.penalties && ` · penalties: extra ${num(parts.penalties.extra_calls)}, residual ${num(parts.penalties.residual)}`}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Expected call</th>
                        <th scope="col">Paired actual</th>
                        <th scope="col" class="num">
                          Tool
                        </th>
                        <th scope="col" class="num">
                          Params
                        </th>
                        <th scope="col" class="num">
                          Score
                        </th>
                        <th scope="col">Parts / verdict</th>
                      </tr>
                    </thead>
                    <tbody>
                      {parts.calls.map((c) => (
                        <tr key={c.expected_index}>
                          <td class="mono">{Array.isArray(c.expected_name) ? c.expected_name.join(" | ") : (c.expected_name ?? "—")}</td>
                          <td class="mono">{c.actual_name ?? "—"}</td>
                          <td class="num mono">{num(c.tool)}</td>
                          <td class="num mono">{num(c.params)}</td>
                          <td class="num mono">{num(c.score)}</td>
                          <td class="small">
                            {c.parts &&
                              Object.entries(c.parts)
                                .map(([k, v]) => `${k} ${num(v)}`)
                                .join(" · ")}
                            {c.valid !== undefined && <span class={c.valid ? "text-ok" : "text-danger"}>{c.valid ? " valid" : " invalid"}</span>}
                            {c.error && <span class="mono"> {c.error.code}</span>}
                          </td>
                        </tr>
                      ))}
                      {parts.calls.length === 0 && (
                        <tr>
                          <td colSpan={6} class="muted">
                            No call expected.
                          </td>
                        </tr>
                      )}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </section>

          {(r.actual_chain?.length || parts?.multi_turn) && (
            <section data-testid="drill-chain">
              <h3>Multi-turn chain</h3>
              <ol class="te-chain">
                {(r.actual_chain ?? []).map((c, i) => (
                  <li key={i}>
                    <span class="mono text-strong">{c.name}</span>
                    <span class="mono small muted"> {typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments)}</span>
                  </li>
                ))}
              </ol>
              {parts?.multi_turn && (
                <dl class="te-scores">
                  <div>
                    <dt>Completion</dt>
                    <dd class="mono">{num(parts.multi_turn.completion)}</dd>
                  </div>
                  <div>
                    <dt>Efficiency</dt>
                    <dd class="mono">{num(parts.multi_turn.efficiency)}</dd>
                  </div>
                  <div>
                    <dt>Redundancy penalty</dt>
                    <dd class="mono">{num(parts.multi_turn.redundancy_penalty)}</dd>
                  </div>
                  <div>
                    <dt>Detour penalty</dt>
                    <dd class="mono">{num(parts.multi_turn.detour_penalty)}</dd>
                  </div>
                </dl>
              )}
            </section>
          )}

          <section>
            <h3>Raw exchange</h3>
            <p class="muted small">
              As sent and received, without keys. Multi-turn cases show the last request (it carries the whole conversation, mock tool results
              included) and every round's response.
            </p>
            <details class="te-raw" data-testid="drill-raw-request">
              <summary>Request</summary>
              <pre class="te-json-view">{pretty(r.raw_request ?? null)}</pre>
            </details>
            <details class="te-raw" data-testid="drill-raw-response">
              <summary>Response</summary>
              <pre class="te-json-view">{pretty(r.raw_response ?? null)}</pre>
            </details>
          </section>
        </div>
      )}
      {!r && props.missing && (
        <div class="te-drill-body" data-testid="drill-not-found">
          <header class="te-drill-head">
            <h2 id="drill-title" class="te-drill-prompt">
              Case not found
            </h2>
            <button type="button" class="btn btn-ghost btn-sm" data-testid="drill-close" onClick$={() => props.onClose$()}>
              Close
            </button>
          </header>
          <p class="muted">This run has no result for the case named in the address: it may belong to another run, or the link is mistyped.</p>
        </div>
      )}
    </dialog>
  );
});
