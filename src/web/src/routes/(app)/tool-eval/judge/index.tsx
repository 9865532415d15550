// /tool-eval/judge/: an LLM judges eval runs. Judge a run (post-eval; `?eval=` preselects it, as History's
// "Judge this run" does), compare two runs (each case judged in both orders), the reports with their grades, one
// report (`?id=`) with its calibration panel and verdicts, and the judge cards (agreement with your overrides).
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, useLocation, useNavigate } from "@builder.io/qwik-city";
import { Badge } from "~/components/badge";
import { ErrorBanner } from "~/components/error-banner";
import { JudgeReportView } from "~/components/tool-eval/judge-report-view";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { describeError } from "~/lib/http";
import { fmtKappa, fmtRate, gradeTone, type JudgeCard, type JudgeReportDetail, type JudgeReportSummary } from "~/lib/judge-types";
import { toastError } from "~/lib/toast";

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

export default component$(() => {
  const loc = useLocation();
  const nav = useNavigate();
  const reports = useSignal<JudgeReportSummary[]>([]);
  const cards = useSignal<JudgeCard[]>([]);
  const runs = useSignal<EvalRunItem[]>([]);
  const models = useSignal<ModelItem[]>([]);
  const detail = useSignal<JudgeReportDetail | null>(null);
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

  const loadDetail = $(async () => {
    if (!state.selectedId) {
      detail.value = null;
      return;
    }
    try {
      detail.value = await api.get<JudgeReportDetail>(`/api/tool-eval/judge/reports/${encodeURIComponent(state.selectedId)}`);
    } catch (err) {
      state.error = describeError(err).message;
    }
  });

  useVisibleTask$(
    async () => {
      void loadLists();
      try {
        const [h, m] = await Promise.all([
          api.get<{ runs: EvalRunItem[] }>("/api/tool-eval/history?limit=200"),
          api.get<{ models: ModelItem[] }>("/api/v2/models"),
        ]);
        runs.value = h.runs.filter((r) => r.status === "completed");
        models.value = m.models;
        const wanted = new URL(location.href).searchParams.get("eval");
        state.evalId = wanted && runs.value.some((r) => r.id === wanted) ? wanted : (runs.value[0]?.id ?? "");
        // A model that names itself a judge first (the simulator's sim-judge), else the first one.
        const preferred = m.models.find((x) => x.model_id.includes("judge")) ?? m.models[0];
        state.judge ||= preferred ? `${preferred.provider_key}::${preferred.model_id}` : "";
      } catch (err) {
        state.error = describeError(err).message;
      }
    },
    { strategy: "document-ready" },
  );

  // The open report is in the query string; while it runs, it is read again every second.
  useVisibleTask$(
    ({ track, cleanup }) => {
      track(() => loc.url.href);
      state.selectedId = new URL(location.href).searchParams.get("id") ?? "";
      void loadDetail();
      const timer = setInterval(() => {
        if (detail.value && detail.value.status === "running") void loadDetail().then(loadLists);
      }, 1000);
      cleanup(() => clearInterval(timer));
    },
    { strategy: "document-ready" },
  );

  const open = $((id: string) => nav(id ? `${PAGE}?id=${encodeURIComponent(id)}` : PAGE));

  const submit = $(async (kind: "judge" | "compare") => {
    if (state.submitting || !state.judge || !state.evalId) return;
    state.submitting = true;
    state.submitError = "";
    try {
      const res =
        kind === "judge"
          ? await api.post<{ judge_report_id: string }>("/api/tool-eval/judge", {
              eval_run_id: state.evalId,
              judge_model: state.judge,
              ...(state.second ? { second_judge_model: state.second } : {}),
              ...(state.instructions.trim() ? { custom_instructions: state.instructions.trim() } : {}),
            })
          : await api.post<{ judge_report_id: string }>("/api/tool-eval/judge/compare", {
              eval_run_id_a: state.evalId,
              eval_run_id_b: state.runB,
              judge_model: state.judge,
              ...(state.instructions.trim() ? { custom_instructions: state.instructions.trim() } : {}),
            });
      await loadLists();
      await open(res.judge_report_id);
    } catch (err) {
      state.submitError = describeError(err).message;
    } finally {
      state.submitting = false;
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
          {detail.value ? (
            <JudgeReportView report={detail.value} onChanged$={loadDetail} />
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
                  maxLength={4000}
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
                    <td class="small">{r.status}</td>
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
