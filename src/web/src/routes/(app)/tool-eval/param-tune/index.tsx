// /tool-eval/param-tune/: configure a parameter tune (suite, models, search space, strategy, repeats, budgets,
// held-out share), run it, watch the combos live, read the best config with its significance, apply it to Evaluate.
// The active job lives in the URL (?job=) and sessionStorage like Evaluate's, so a reload carries on.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, useLocation } from "@builder.io/qwik-city";
import { liveTarget, modelKey, type ProviderOption, providerOptions, selectedModels, simulatorModelKeys } from "~/components/benchmark/form-state";
import { ModelPicker } from "~/components/benchmark/model-picker";
import { ErrorBanner } from "~/components/error-banner";
import { ExperimentPicker, experimentFromUrl } from "~/components/experiments/experiment-picker";
import { type ModelFacts, TuneConfigCard } from "~/components/param-tune/tune-config-card";
import { applySavedTuneForm, emptyTuneForm, saveTuneForm, type TuneForm, tuneFormIssues, tuneRequest } from "~/components/param-tune/tune-form";
import { TuneHistory } from "~/components/param-tune/tune-history";
import { TuneRunView } from "~/components/param-tune/tune-run-view";
import { applyTunedConfig, storedEvalSettings } from "~/components/tool-eval/eval-form";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import type { SuiteListItem } from "~/lib/eval-types";
import { onConfigChanged } from "~/lib/event-bus";
import { describeError } from "~/lib/http";
import { describeSubmitError, isTerminalPhase, scrollToRun, setJobInUrl as setLiveJobInUrl } from "~/lib/live-job";
import { copyLiveCore } from "~/lib/live-job-reducer";
import {
  cancelTune,
  getTuneLive,
  onTuneLive,
  resetTuneLive,
  resumeTuneJob,
  setTuneCatalog,
  submitTune,
  type TuneLiveState,
} from "~/lib/param-tune-live";
import { latestRows } from "~/lib/param-tune-live-fold";
import { showToast, toastError } from "~/lib/toast";
import type { Baseline } from "~/lib/tune-space";
import type { ConfigResponse, ProviderKeyInfo } from "~/lib/types";

interface TunePageState {
  loading: boolean;
  loadError: string;
  providers: ProviderOption[];
  facts: Record<string, ModelFacts>;
  suites: SuiteListItem[];
  form: TuneForm;
  formReady: boolean;
  baseline: Baseline;
  scorer: "classic" | "bfcl" | "partial";
  submitting: boolean;
  submitError: string;
  submitDetails: string[];
  cancelling: boolean;
}

const TUNE_PAGE = /^\/tool-eval\/param-tune\/?$/;
const setJobInUrl = (jobId: string | null) => setLiveJobInUrl(TUNE_PAGE, jobId);

function copyLive(s: TuneLiveState): TuneLiveState {
  return { ...copyLiveCore(s) };
}

function fmtEta(at: number | null): string {
  if (!at) return "";
  const s = Math.max(0, Math.round((at - Date.now()) / 1000));
  return s < 90 ? `ETA ${s}s` : `ETA ${Math.round(s / 60)} min`;
}

export default component$(() => {
  const loc = useLocation();
  const state = useStore<TunePageState>({
    loading: true,
    loadError: "",
    providers: [],
    facts: {},
    suites: [],
    form: emptyTuneForm(),
    formReady: false,
    baseline: { temperature: 0, tool_choice: "auto", provider_params: {} },
    scorer: "classic",
    submitting: false,
    submitError: "",
    submitDetails: [],
    cancelling: false,
  });
  const liveSig = useSignal<TuneLiveState>(copyLive(getTuneLive()));
  // Experiments (issue 14): the run may be linked to an experiment of its suite (?experiment= preselects one).
  const experimentId = useSignal("");
  useVisibleTask$(
    () => {
      experimentId.value = experimentFromUrl();
    },
    { strategy: "document-ready" },
  );

  const load = $(async () => {
    try {
      const [config, keys, suites] = await Promise.all([
        api.get<ConfigResponse>("/api/config"),
        api.get<{ keys: ProviderKeyInfo[] }>("/api/keys").catch(() => ({ keys: [] as ProviderKeyInfo[] })),
        api.get<{ suites: SuiteListItem[] }>("/api/tool-suites"),
      ]);
      state.providers = providerOptions(config.providers, keys.keys);
      state.facts = Object.fromEntries(
        config.providers.flatMap((p) =>
          p.models.map((m) => [
            `${p.provider_key}::${m.model_id}`,
            { skip: m.skip_params ?? [], input: m.input_cost_per_mtok, output: m.output_cost_per_mtok },
          ]),
        ),
      );
      state.suites = suites.suites;
      setTuneCatalog(config.providers);
      const settings = storedEvalSettings();
      state.baseline = { temperature: settings.temperature, tool_choice: settings.toolChoice, provider_params: settings.providerParams };
      state.scorer = settings.scorer;
      const knownModels = new Set(state.providers.flatMap((p) => p.models.map(modelKey)));
      const knownSuites = new Set(suites.suites.map((s) => s.id));
      const form = state.form;
      if (!state.formReady) {
        // A first visit starts on the simulator's tunable model (its optimum is known), else Evaluate's picks.
        const tunable = state.providers.flatMap((p) => p.models).filter((m) => m.provider_key === "local_simulator" && m.model_id === "sim-tunable");
        form.selected = tunable.length ? tunable.map(modelKey) : simulatorModelKeys(state.providers, "tool-eval");
        applySavedTuneForm(form, knownModels, knownSuites);
        state.formReady = true;
      } else {
        form.selected = form.selected.filter((k) => knownModels.has(k));
      }
      if (!knownSuites.has(form.suiteId)) form.suiteId = suites.suites[0]?.id ?? "";
      state.loadError = "";
    } catch (err) {
      state.loadError = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  useVisibleTask$(
    ({ cleanup }) => {
      cleanup(onTuneLive((s) => (liveSig.value = copyLive(s))));
      void load();
      cleanup(onConfigChanged(["providers", "models", "keys"], () => void load()));
    },
    { strategy: "document-ready" },
  );

  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      void resumeTuneJob(TUNE_PAGE);
    },
    { strategy: "document-ready" },
  );

  // Remember the form between visits.
  useVisibleTask$(
    ({ track, cleanup }) => {
      const json = track(() => JSON.stringify(state.form));
      if (!state.formReady) return;
      const timer = setTimeout(() => saveTuneForm(JSON.parse(json) as TuneForm), 300);
      cleanup(() => clearTimeout(timer));
    },
    { strategy: "document-ready" },
  );

  const run = $(async () => {
    const models = selectedModels(state.providers, state.form.selected);
    const suite = state.suites.find((s) => s.id === state.form.suiteId);
    const issues = tuneFormIssues(state.form);
    if (!models.length || !suite || state.submitting || Object.keys(issues.fields).length || Object.keys(issues.space).length) return;
    state.submitting = true;
    state.submitError = "";
    state.submitDetails = [];
    setJobInUrl(null);
    try {
      const request = {
        ...tuneRequest({ ...state.form, selected: models.map(modelKey) }, state.baseline, state.scorer),
        ...(experimentId.value ? { experiment_id: experimentId.value } : {}),
      };
      const res = await submitTune(request, { targets: models.map(liveTarget), suiteName: suite.name });
      setJobInUrl(res.job_id);
      if (res.merged_combos.length) showToast("info", `${res.merged_combos.length} combos merged: the provider's limits made them the same call.`);
      scrollToRun();
    } catch (err) {
      const { message, details } = describeSubmitError(err);
      state.submitError = message;
      state.submitDetails = details;
    } finally {
      state.submitting = false;
    }
  });

  const cancel = $(async () => {
    state.cancelling = true;
    try {
      await cancelTune();
    } catch (err) {
      toastError(err);
    } finally {
      state.cancelling = false;
    }
  });

  const dismiss = $(() => {
    resetTuneLive();
    setJobInUrl(null);
  });

  /** Writes the call into Evaluate's stored form and opens Evaluate (a full load, so it reads the form afresh). */
  const apply = $((call: Record<string, unknown>) => {
    if (!applyTunedConfig(call)) {
      showToast("error", "This browser would not store the settings.");
      return;
    }
    location.assign("/tool-eval/evaluate/");
  });

  const models = selectedModels(state.providers, state.form.selected);
  const live = liveSig.value;
  const attached = live.phase !== "idle" || Boolean(live.jobId);
  const running = Boolean(live.jobId) && !isTerminalPhase(live.phase) && live.phase !== "idle";
  const rows = latestRows(live.results);
  const modelNames = Object.fromEntries(state.providers.flatMap((p) => p.models.map((m) => [modelKey(m), m.display_name])));
  const pct = Math.round(live.progressPct);
  // ETA from the job's own percentage (trials stored of planned): elapsed × remaining share.
  const etaAt =
    running && live.startedAt && live.progressPct > 2
      ? Date.now() + ((Date.now() - live.startedAt) * (100 - live.progressPct)) / live.progressPct
      : null;

  return (
    <section class="page bench-page te-page">
      <ToolEvalTabs />
      <header class="page-header">
        <div>
          <h1>Param Tuner</h1>
          <p class="page-lede">
            Search sampling parameters for tool calling: the best config per model, how sure the statistics are, and what it costs in latency and
            money.
          </p>
        </div>
      </header>

      {state.loadError && <ErrorBanner message={state.loadError} onAction$={load} />}

      <ExperimentPicker
        id="tune-experiment"
        suiteId={state.form.suiteId}
        value={experimentId.value}
        disabled={state.submitting}
        onChange$={(id) => (experimentId.value = id)}
      />
      <div class="bench-grid">
        <ModelPicker form={state.form} providers={state.providers} loading={state.loading} disabled={state.submitting} />
        <TuneConfigCard
          form={state.form}
          suites={state.suites}
          models={models}
          facts={state.facts}
          baseline={state.baseline}
          scorer={state.scorer}
          loading={state.loading}
          busy={state.submitting || state.loading}
          running={running}
          error={state.submitError}
          errorDetails={state.submitDetails}
          onRun$={run}
        />
      </div>

      <div id="run" class="run-anchor">
        {live.phase === "idle" && live.error ? (
          <ErrorBanner message={live.error} onAction$={dismiss} action="Dismiss" testId="tune-load-error" />
        ) : (
          attached && (
            <>
              <section class="card tune-progress" data-testid="tune-progress" aria-live="polite">
                <div class="card-head">
                  <div>
                    <h2 class="card-title">
                      {live.suiteName || "Tune"}
                      <span class="muted small">
                        {" "}
                        · {live.strategy ?? "…"} · {live.totalCombos} combos · {live.plannedTrials} planned calls
                        {live.gridTrials > live.plannedTrials && ` (the grid would make ${live.gridTrials})`}
                        {live.seed !== null && ` · seed ${live.seed}`}
                        {live.holdoutCases > 0 && ` · ${live.holdoutCases} held-out cases`}
                      </span>
                    </h2>
                    <p class="small">
                      <span data-testid="tune-status" class="text-strong">
                        {live.phase}
                      </span>
                      <span class="muted"> · {pct}%</span>
                      {etaAt && (
                        <span class="muted" data-testid="tune-eta">
                          {" "}
                          · {fmtEta(etaAt)}
                        </span>
                      )}
                      {running && live.current && (
                        <span class="muted" data-testid="tune-current">
                          {" "}
                          · now {live.current.label} ({live.current.stage})
                        </span>
                      )}
                    </p>
                  </div>
                  {running ? (
                    <button type="button" class="btn btn-sm btn-danger-ghost" data-testid="cancel-tune" disabled={state.cancelling} onClick$={cancel}>
                      {state.cancelling ? "Cancelling…" : "Cancel"}
                    </button>
                  ) : (
                    <button type="button" class="btn btn-sm btn-ghost" data-testid="dismiss-tune" onClick$={dismiss}>
                      Clear
                    </button>
                  )}
                </div>
                <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                  <div class="progress-fill" style={{ width: `${pct}%` }} />
                </div>
                {live.error && <p class="field-error">{live.error}</p>}
                {live.phase === "cancelled" && <p class="muted small">Cancelled: the trials that finished are kept and scored below.</p>}
              </section>
              <TuneRunView
                tuneId={live.runId}
                rows={rows}
                answer={live.answer}
                final={live.final}
                current={running ? live.current : null}
                modelNames={modelNames}
                onApply$={apply}
              />
            </>
          )
        )}
      </div>

      <TuneHistory modelNames={modelNames} onApply$={apply} />
    </section>
  );
});

export const head: DocumentHead = { title: "Param Tuner · Tool Eval" };
