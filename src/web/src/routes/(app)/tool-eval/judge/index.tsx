// /tool-eval/judge/: an LLM judges eval runs. Judge a run (post-eval; `?eval=` preselects it, as History's
// "Judge this run" does), compare two runs (each case judged in both orders), the reports with their grades, one
// report (`?id=`) with its calibration panel and verdicts, and the judge cards (agreement with your overrides).
// The form starts from the judge defaults saved on the account. A running report is followed through its job's
// WebSocket events like the other live pages (judge-live.ts): progress, verdicts as they arrive, the end; the stored
// report is read when the report opens, when the server says the judge finished, and after a reconnect (`sync`).
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, useLocation, useNavigate } from "@builder.io/qwik-city";
import { Badge } from "~/components/badge";
import { ErrorBanner } from "~/components/error-banner";
import { JudgeReportView } from "~/components/tool-eval/judge-report-view";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { onLiveEvent } from "~/lib/event-bus";
import { describeError } from "~/lib/http";
import { type JudgeFormDefaults, judgeFormDefaults, type SavedJudgeSettings } from "~/lib/judge-defaults";
import { attachJudgeJob, cancelJudge, getJudgeLive, type JudgeLiveState, onJudgeLive, submitJudge } from "~/lib/judge-live";
import { judgeReportView } from "~/lib/judge-live-fold";
import { fmtKappa, fmtRate, gradeTone, type JudgeCard, type JudgeReportDetail, type JudgeReportSummary } from "~/lib/judge-types";
import { describeSubmitError, isTerminalPhase } from "~/lib/live-job";
import { copyLiveCore } from "~/lib/live-job-reducer";
import { toastError } from "~/lib/toast";
import { JUDGE_INSTRUCTIONS_MAX_CHARS } from "../../../../../../shared/judge/limits.ts";

interface EvalRunItem {
  id: string;
  suite_name: string;
  status: string;
  timestamp: string;
  models: { provider_key: string; model_id: string }[];
}
interface ModelItem {
  provider_key: string;
  model_id: string;
  display_name: string;
}

const PAGE = "/tool-eval/judge/";
const runLabel = (r: EvalRunItem) => `${fmtDateTime(r.timestamp)} — ${r.suite_name} — ${r.models.map((m) => m.model_id).join(", ")}`;

/** A plain copy for the page's signal: every update swaps whole objects. */
function copyLive(s: JudgeLiveState): JudgeLiveState {
  return { ...copyLiveCore(s), reports: s.reports.slice() };
}

export default component$(() => {
  const loc = useLocation();
  const nav = useNavigate();
  const reports = useSignal<JudgeReportSummary[]>([]);
  const cards = useSignal<JudgeCard[]>([]);
  const runs = useSignal<EvalRunItem[]>([]);
  const models = useSignal<ModelItem[]>([]);
  const detail = useSignal<JudgeReportDetail | null>(null);
  const liveSig = useSignal<JudgeLiveState>(copyLive(getJudgeLive()));
  const defaults = useSignal<JudgeFormDefaults | null>(null);
  const state = useStore({
    error: "",
    selectedId: "",
    evalId: "",
    runB: "",
    judge: "",
    second: "",
    instructions: "",
    submitting: false,
    submitError: "",
    cancelling: false,
    /** Bumped per report read, so an older read that answers late is dropped. */
    readSeq: 0,
  });

  const loadLists = $(async () => {
    try {
      const [r, c] = await Promise.all([
        api.get<{ reports: JudgeReportSummary[] }>("/api/tool-eval/judge/reports"),
        api.get<{ cards: JudgeCard[] }>("/api/tool-eval/judge/cards"),
      ]);
      reports.value = r.reports;
      cards.value = c.cards;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    }
  });

  /** Reads the open report; a running one's job is then followed live (once: attaching the same job again is a no-op). */
  const loadDetail = $(async () => {
    const seq = ++state.readSeq;
    if (!state.selectedId) {
      detail.value = null;
      return;
    }
    const id = state.selectedId;
    // Another report's figures must not show while this one loads.
    if (detail.value && detail.value.id !== id) detail.value = null;
    try {
      const read = await api.get<JudgeReportDetail>(`/api/tool-eval/judge/reports/${encodeURIComponent(id)}`);
      if (seq !== state.readSeq) return; // a later read (another report, or the finished one) wins
      detail.value = read;
      if (read.status === "running" && read.job_id) await attachJudgeJob(read.job_id);
    } catch (err) {
      state.error = describeError(err).message;
    }
  });

  useVisibleTask$(
    async () => {
      void loadLists();
      try {
        const [h, m, settings] = await Promise.all([
          api.get<{ runs: EvalRunItem[] }>("/api/tool-eval/history?limit=200"),
          api.get<{ models: ModelItem[] }>("/api/v2/models"),
          // The saved defaults only prefill the form: without them it still works.
          api.get<{ judge: SavedJudgeSettings }>("/api/settings/phase10").catch(() => null),
        ]);
        runs.value = h.runs.filter((r) => r.status === "completed");
        models.value = m.models;
        const wanted = new URL(location.href).searchParams.get("eval");
        state.evalId = wanted && runs.value.some((r) => r.id === wanted) ? wanted : (runs.value[0]?.id ?? "");
        const d = judgeFormDefaults(settings?.judge ?? null, m.models);
        defaults.value = d;
        state.judge ||= d.judge;
        state.instructions ||= d.instructions;
      } catch (err) {
        state.error = describeError(err).message;
      }
    },
    { strategy: "document-ready" },
  );

  // Live: the followed job's state, new reports (another tab, an eval's auto-judge) and finished ones. The stored
  // report is read again only when the server says the judge finished, and after a reconnect while it runs.
  useVisibleTask$(
    ({ cleanup }) => {
      cleanup(onJudgeLive((s) => (liveSig.value = copyLive(s))));
      for (const type of ["judge_start", "compare_start"] as const) cleanup(onLiveEvent(type, () => void loadLists()));
      for (const type of ["judge_complete", "compare_complete"] as const)
        cleanup(
          onLiveEvent(type, (e) => {
            void loadLists();
            if (e.judge_report_id === state.selectedId) void loadDetail();
          }),
        );
      cleanup(
        onLiveEvent("sync", () => {
          void loadLists();
          if (detail.value?.status === "running") void loadDetail();
        }),
      );
    },
    { strategy: "document-ready" },
  );

  // The open report is in the query string.
  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      state.selectedId = new URL(location.href).searchParams.get("id") ?? "";
      void loadDetail();
    },
    { strategy: "document-ready" },
  );

  const open = $((id: string) => nav(id ? `${PAGE}?id=${encodeURIComponent(id)}` : PAGE));

  const submit = $(async (kind: "judge" | "compare") => {
    if (state.submitting || !state.judge || !state.evalId) return;
    state.submitting = true;
    state.submitError = "";
    const instructions = state.instructions.trim() ? { custom_instructions: state.instructions.trim() } : {};
    try {
      const res = await submitJudge(
        kind,
        kind === "judge"
          ? { eval_run_id: state.evalId, judge_model: state.judge, ...(state.second ? { second_judge_model: state.second } : {}), ...instructions }
          : { eval_run_id_a: state.evalId, eval_run_id_b: state.runB, judge_model: state.judge, ...instructions },
      );
      void loadLists();
      await open(res.judge_report_id);
    } catch (err) {
      state.submitError = describeSubmitError(err).message;
    } finally {
      state.submitting = false;
    }
  });

  const cancel = $(async () => {
    state.cancelling = true;
    try {
      await cancelJudge();
    } catch (err) {
      toastError(err);
    } finally {
      state.cancelling = false;
    }
  });

  const remove = $(async (id: string) => {
    try {
      await api.del(`/api/tool-eval/judge/reports/${encodeURIComponent(id)}`);
      await loadLists();
      if (state.selectedId === id) await open("");
    } catch (err) {
      toastError(err);
    }
  });

  const modelOptions = (selected: string, empty?: string) =>
    [
      ...(empty !== undefined ? [{ key: "", label: empty }] : []),
      ...models.value.map((m) => ({ key: `${m.provider_key}::${m.model_id}`, label: `${m.display_name} (${m.provider_key})` })),
    ].map((o) => (
      <option key={o.key} value={o.key} selected={o.key === selected}>
        {o.label}
      </option>
    ));

  const live = liveSig.value;
  // The open report's job is followed: its events drive the view until the stored report says it is over.
  const liveHere = Boolean(state.selectedId) && live.runId === state.selectedId && live.phase !== "idle";
  const following = liveHere && (!detail.value || detail.value.status === "running");
  const shown = following ? judgeReportView(live, detail.value) : detail.value;
  const running = liveHere && !isTerminalPhase(live.phase);
  const pct = Math.round(live.progressPct);
  const inline = (shown?.mode ?? live.mode) === "live_inline";
  const d = defaults.value;

  return (
    <section class="page te-page judge-page">
      <ToolEvalTabs />
      <header class="page-header">
        <div>
          <h1>Judge</h1>
          <p class="page-lede">
            An LLM reviews each case of a run, explains what went wrong, grades each model, and says how far it agrees with the automated scorer.
          </p>
        </div>
      </header>

      {state.error && <ErrorBanner message={state.error} onAction$={loadLists} />}

      {state.selectedId ? (
        <>
          <button type="button" class="link-btn" data-testid="judge-back" onClick$={() => open("")}>
            ← All reports
          </button>
          {liveHere && (
            <section class="card judge-progress" data-testid="judge-progress" aria-live="polite">
              <div class="card-head">
                <p class="small">
                  <span data-testid="judge-status" class="text-strong">
                    {live.phase}
                  </span>
                  <span class="muted" data-testid="judge-progress-pct">
                    {" "}
                    · {pct}%
                  </span>
                  <span class="muted" data-testid="judge-verdict-count">
                    {" "}
                    · {live.results.length} {live.mode === "comparative" ? "cases compared" : "verdicts"}
                    {live.cases ? ` of ${live.cases}${live.mode === "comparative" ? "" : " results"}` : ""}
                  </span>
                  {running && live.progressDetail && (
                    <span class="muted" data-testid="judge-progress-detail">
                      {" "}
                      · {live.progressDetail}
                    </span>
                  )}
                </p>
                {running &&
                  (inline ? (
                    <span class="muted small">Judged inside its eval: cancel the evaluation on Evaluate.</span>
                  ) : (
                    <button
                      type="button"
                      class="btn btn-sm btn-danger-ghost"
                      data-testid="cancel-judge"
                      disabled={state.cancelling}
                      onClick$={cancel}
                    >
                      {state.cancelling ? "Cancelling…" : "Cancel"}
                    </button>
                  ))}
              </div>
              <div class="progress" role="progressbar" aria-label="Judge progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                <div class="progress-fill" style={{ width: `${pct}%` }} />
              </div>
              {live.error && (
                <p class="field-error" role="alert" data-testid="judge-live-error">
                  {live.error}
                </p>
              )}
              {live.phase === "cancelled" && <p class="muted small">Cancelled: the verdicts given so far are kept below.</p>}
            </section>
          )}
          {shown ? (
            <JudgeReportView report={shown} live={following && !live.final} onChanged$={loadDetail} />
          ) : (
            <p class="muted" data-testid="judge-report-loading">
              Loading…
            </p>
          )}
        </>
      ) : (
        <>
          <form class="card te-create" data-testid="judge-form" preventdefault:submit onSubmit$={() => submit("judge")} aria-label="Judge a run">
            <p class="card-title">Judge a run</p>
            <div class="form-grid">
              <div class="field">
                <label for="judge-eval">Eval run (A)</label>
                <select id="judge-eval" data-testid="judge-eval-select" onChange$={(_, el) => (state.evalId = el.value)}>
                  {runs.value.map((r) => (
                    <option key={r.id} value={r.id} selected={r.id === state.evalId}>
                      {runLabel(r)}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="judge-model">Judge model</label>
                <select id="judge-model" data-testid="judge-model-select" onChange$={(_, el) => (state.judge = el.value)}>
                  {modelOptions(state.judge)}
                </select>
              </div>
              <div class="field">
                <label for="judge-second">Second judge (optional)</label>
                <select id="judge-second" data-testid="judge-second-select" onChange$={(_, el) => (state.second = el.value)}>
                  {modelOptions(state.second, "None")}
                </select>
                <p class="field-hint">Judges the same cases, for the agreement between two judges.</p>
              </div>
              <div class="field">
                <label for="judge-instructions">Custom instructions (optional)</label>
                <textarea
                  id="judge-instructions"
                  rows={2}
                  maxLength={JUDGE_INSTRUCTIONS_MAX_CHARS}
                  value={state.instructions}
                  onInput$={(_, el) => (state.instructions = el.value)}
                />
              </div>
              <div class="field">
                <label for="judge-run-b">Compare with run (B)</label>
                <select id="judge-run-b" data-testid="judge-run-b-select" onChange$={(_, el) => (state.runB = el.value)}>
                  <option value="" selected={!state.runB}>
                    —
                  </option>
                  {runs.value
                    .filter((r) => r.id !== state.evalId)
                    .map((r) => (
                      <option key={r.id} value={r.id} selected={r.id === state.runB}>
                        {runLabel(r)}
                      </option>
                    ))}
                </select>
              </div>
            </div>
            {d && d.notes.length > 0 && (
              <p class="field-hint" data-testid="judge-defaults-note">
                {d.notes.join(" ")}
              </p>
            )}
            {state.submitError && (
              <p class="field-error" data-testid="judge-submit-error">
                {state.submitError}
              </p>
            )}
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" data-testid="judge-submit" disabled={state.submitting || !state.evalId || !state.judge}>
                {state.submitting ? "Starting…" : "Judge this run"}
              </button>
              <button
                type="button"
                class="btn btn-ghost"
                data-testid="judge-compare-submit"
                disabled={state.submitting || !state.evalId || !state.runB || !state.judge}
                onClick$={() => submit("compare")}
              >
                Compare A with B
              </button>
            </div>
          </form>

          <div class="card card-flush table-wrap">
            <table class="table" data-testid="judge-reports">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Judge</th>
                  <th scope="col">Suite</th>
                  <th scope="col">Grade</th>
                  <th scope="col">Score</th>
                  <th scope="col">Status</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {reports.value.map((r) => (
                  <tr key={r.id} data-testid={`judge-report-row-${r.id}`}>
                    <td class="small">{fmtDateTime(r.timestamp)}</td>
                    <td class="small">{r.mode}</td>
                    <td class="small">{r.judge_model_name}</td>
                    <td class="small">{r.suite_name}</td>
                    <td>
                      <Badge tone={gradeTone(r.mode === "comparative" ? null : r.overall_grade)}>{r.overall_grade ?? "—"}</Badge>
                    </td>
                    <td class="mono small">{r.overall_score ?? "—"}</td>
                    <td class="small" data-testid={`judge-report-status-${r.id}`}>
                      {r.status}
                      {r.status === "running" && r.id === live.runId && !isTerminalPhase(live.phase) ? ` · ${Math.round(live.progressPct)}%` : ""}
                    </td>
                    <td>
                      <button type="button" class="btn btn-ghost btn-sm" data-testid={`judge-report-open-${r.id}`} onClick$={() => open(r.id)}>
                        Open
                      </button>
                      <button type="button" class="btn btn-danger-ghost btn-sm" disabled={r.status === "running"} onClick$={() => remove(r.id)}>
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {!reports.value.length && <p class="muted small empty-state">No judge reports yet.</p>}
          </div>

          {cards.value.length > 0 && (
            <div class="card card-flush table-wrap">
              <p class="card-title">Judge cards</p>
              <table class="table" data-testid="judge-cards">
                <thead>
                  <tr>
                    <th scope="col">Judge</th>
                    <th scope="col">Prompt</th>
                    <th scope="col">Instructions</th>
                    <th scope="col">Labelled</th>
                    <th scope="col">κ vs your labels</th>
                    <th scope="col">False pass</th>
                    <th scope="col">False fail</th>
                    <th scope="col">Swap consistency</th>
                    <th scope="col">Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {cards.value.map((c) => (
                    <tr key={`${c.judge_provider_key}:${c.judge_model}:${c.prompt_version}:${c.custom_instructions}`}>
                      <td class="small">{c.judge_model}</td>
                      <td class="small">{c.prompt_version}</td>
                      <td class="small">{c.custom_instructions || "—"}</td>
                      <td class="mono small">
                        {c.labelled}/{c.verdicts}
                      </td>
                      <td class="mono small">{fmtKappa(c.kappa)}</td>
                      <td class="mono small">{fmtRate(c.false_pass_rate)}</td>
                      <td class="mono small">{fmtRate(c.false_fail_rate)}</td>
                      <td class="mono small">{fmtRate(c.swap_consistency)}</td>
                      <td class="mono small">{c.cost_usd === null ? "—" : `$${c.cost_usd.toFixed(4)}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
});

export const head: DocumentHead = { title: "Judge · Tool Eval" };
