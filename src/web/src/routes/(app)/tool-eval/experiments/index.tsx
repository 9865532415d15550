// /tool-eval/experiments/: experiments group the evals and tunes of one suite to track improvement against a
// baseline. The list (active, or archived too), the create form (suite, optional baseline eval from history), and
// one experiment (?id=) with its baseline and best, "run best" and its timeline.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, useLocation, useNavigate } from "@builder.io/qwik-city";
import { Badge } from "~/components/badge";
import { ErrorBanner } from "~/components/error-banner";
import { ExperimentDetail } from "~/components/experiments/experiment-detail";
import { TextField } from "~/components/text-field";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import { fmtDateTime, fmtRelative } from "~/lib/bench-format";
import type { SuiteListItem } from "~/lib/eval-types";
import type { Experiment } from "~/lib/experiment-types";
import { describeError } from "~/lib/http";
import { toastError } from "~/lib/toast";

interface EvalRunItem {
  id: string;
  suite_id: string | null;
  status: string;
  timestamp: string;
  models: { provider_key: string; model_id: string }[];
}

interface PageState {
  loading: boolean;
  error: string;
  showArchived: boolean;
  selectedId: string;
  name: string;
  description: string;
  suiteId: string;
  baselineEvalId: string;
  createError: string;
  creating: boolean;
}

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
const PAGE = "/tool-eval/experiments/";

export default component$(() => {
  const loc = useLocation();
  const nav = useNavigate();
  const experiments = useSignal<Experiment[]>([]);
  const suites = useSignal<SuiteListItem[]>([]);
  const runs = useSignal<EvalRunItem[]>([]);
  const state = useStore<PageState>({
    loading: true,
    error: "",
    showArchived: false,
    selectedId: "",
    name: "",
    description: "",
    suiteId: "",
    baselineEvalId: "",
    createError: "",
    creating: false,
  });

  const loadList = $(async () => {
    try {
      const status = state.showArchived ? "all" : "active";
      experiments.value = (await api.get<{ experiments: Experiment[] }>(`/api/experiments?status=${status}`)).experiments;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  const loadForm = $(async () => {
    try {
      const [s, r] = await Promise.all([
        api.get<{ suites: SuiteListItem[] }>("/api/tool-suites"),
        api.get<{ runs: EvalRunItem[] }>("/api/tool-eval/history?limit=200"),
      ]);
      suites.value = s.suites;
      runs.value = r.runs;
      if (!s.suites.some((x) => x.id === state.suiteId)) state.suiteId = s.suites[0]?.id ?? "";
    } catch (err) {
      state.error = describeError(err).message;
    }
  });

  useVisibleTask$(
    () => {
      void loadList();
      void loadForm();
    },
    { strategy: "document-ready" },
  );

  // The open experiment is in the query string, which only the browser knows (the page is prerendered).
  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      state.selectedId = new URL(location.href).searchParams.get("id") ?? "";
    },
    { strategy: "document-ready" },
  );

  const open = $((id: string) => nav(id ? `${PAGE}?id=${encodeURIComponent(id)}` : PAGE));

  const create = $(async () => {
    if (!state.name.trim() || !state.suiteId || state.creating) {
      state.createError = state.name.trim() ? "Choose a suite." : "Give the experiment a name.";
      return;
    }
    state.creating = true;
    state.createError = "";
    try {
      const res = await api.post<{ experiment_id: string }>("/api/experiments", {
        name: state.name.trim(),
        suite_id: state.suiteId,
        ...(state.description.trim() ? { description: state.description.trim() } : {}),
        ...(state.baselineEvalId ? { baseline_eval_id: state.baselineEvalId } : {}),
      });
      state.name = "";
      state.description = "";
      state.baselineEvalId = "";
      await loadList();
      await open(res.experiment_id);
    } catch (err) {
      state.createError = describeError(err).message;
    } finally {
      state.creating = false;
    }
  });

  const onDeleted = $(async () => {
    await loadList();
    await open("");
  });

  // Finished evals of the chosen suite: the baseline choices.
  const baselineChoices = runs.value.filter((r) => r.suite_id === state.suiteId && r.status === "completed");

  return (
    <section class="page te-page experiments-page">
      <ToolEvalTabs />
      <header class="page-header">
        <div>
          <h1>Experiments</h1>
          <p class="page-lede">Group the evals and tunes of one suite, measure each against a baseline, and keep the best config to run again.</p>
        </div>
      </header>

      {state.error && <ErrorBanner message={state.error} onAction$={loadList} />}

      {state.selectedId ? (
        <>
          <button type="button" class="link-btn" data-testid="experiments-back" onClick$={() => open("")}>
            ← All experiments
          </button>
          <ExperimentDetail id={state.selectedId} onChanged$={loadList} onDeleted$={onDeleted} />
        </>
      ) : (
        <>
          <form class="card te-create" data-testid="experiment-create" preventdefault:submit onSubmit$={create} aria-label="New experiment">
            <p class="card-title">New experiment</p>
            <div class="form-grid">
              <TextField
                prefix="exp"
                name="name"
                label="Name"
                value={state.name}
                maxLength={256}
                required
                testId="experiment-name-input"
                onInput$={$((_: Event, el: HTMLInputElement) => {
                  state.name = el.value;
                })}
              />
              <TextField
                prefix="exp"
                name="description"
                label="Description (optional)"
                value={state.description}
                onInput$={$((_: Event, el: HTMLInputElement) => {
                  state.description = el.value;
                })}
              />
              <div class="field">
                <label for="exp-suite">Suite</label>
                <select
                  id="exp-suite"
                  data-testid="experiment-suite-select"
                  value={state.suiteId}
                  onChange$={(_, el) => {
                    state.suiteId = el.value;
                    state.baselineEvalId = "";
                  }}
                >
                  {suites.value.map((s) => (
                    <option key={s.id} value={s.id} selected={s.id === state.suiteId}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="exp-baseline">Baseline</label>
                <select
                  id="exp-baseline"
                  data-testid="experiment-baseline-select"
                  value={state.baselineEvalId}
                  onChange$={(_, el) => (state.baselineEvalId = el.value)}
                >
                  <option value="">The first linked eval</option>
                  {baselineChoices.map((r) => (
                    <option key={r.id} value={r.id} selected={r.id === state.baselineEvalId}>
                      {`${fmtDateTime(r.timestamp)} — ${r.models.map((m) => m.model_id).join(", ")}`}
                    </option>
                  ))}
                </select>
                <p class="field-hint">A finished eval of this suite from history, or leave it to the first eval you link.</p>
              </div>
            </div>
            {state.createError && (
              <p class="field-error" role="alert" data-testid="experiment-create-error">
                {state.createError}
              </p>
            )}
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" data-testid="experiment-create-submit" disabled={state.creating || !suites.value.length}>
                {state.creating ? "Creating…" : "Create experiment"}
              </button>
            </div>
          </form>

          <div class="te-toolbar">
            <label class="muted small">
              <input
                type="checkbox"
                data-testid="experiments-show-archived"
                checked={state.showArchived}
                onChange$={(_, el) => {
                  state.showArchived = el.checked;
                  void loadList().catch(toastError);
                }}
              />{" "}
              Show archived
            </label>
          </div>

          {state.loading ? (
            <div class="skeleton-list" aria-hidden="true" />
          ) : !experiments.value.length ? (
            <div class="card empty-state" data-testid="experiments-empty">
              <p class="muted">No experiments yet. Create one above, then link evals and tunes to it.</p>
            </div>
          ) : (
            <div class="card card-flush table-wrap">
              <table class="table" data-testid="experiments-table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Suite</th>
                    <th class="num">Baseline</th>
                    <th class="num">Best</th>
                    <th class="num">Runs</th>
                    <th>Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {experiments.value.map((e) => (
                    <tr key={e.id} data-testid={`experiment-row-${e.id}`}>
                      <td>
                        <button type="button" class="link-btn" onClick$={() => open(e.id)} data-testid="experiment-open">
                          {e.name}
                        </button>{" "}
                        {e.status === "archived" && <Badge tone="outline">archived</Badge>}
                      </td>
                      <td>{e.suite_name}</td>
                      <td class="num mono">{pct(e.baseline_score)}</td>
                      <td class="num mono">{pct(e.best_score)}</td>
                      <td class="num">{e.run_count}</td>
                      <td class="nowrap muted">{fmtRelative(e.updated_at)}</td>
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

export const head: DocumentHead = { title: "Experiments · Tool Eval" };
