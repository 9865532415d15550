// /tool-eval/prompt-tune/: configure a prompt tune (suite, mode, meta-model, targets, base prompt, population,
// generations, selection, held-out share) with the server's estimate, run it, watch generations and prompts arrive,
// read the best prompt with its significance, apply it to Evaluate or keep it in the prompt library.
// The active job lives in the URL (?job=) and sessionStorage like Evaluate's, so a reload carries on.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, useLocation } from "@builder.io/qwik-city";
import { liveTarget, modelKey, type ProviderOption, providerOptions, selectedModels, simulatorModelKeys } from "~/components/benchmark/form-state";
import { ModelPicker } from "~/components/benchmark/model-picker";
import { ErrorBanner } from "~/components/error-banner";
import { ExperimentPicker, experimentFromUrl } from "~/components/experiments/experiment-picker";
import { type EstimateState, PromptTuneConfigCard } from "~/components/prompt-tune/prompt-tune-config-card";
import {
  applySavedPromptTuneForm,
  DEFAULT_BASE_PROMPT,
  emptyPromptTuneForm,
  estimateQuery,
  type PromptTuneForm,
  promptTuneFormIssues,
  promptTuneRequest,
  SIMULATOR_WRITER,
  savePromptTuneForm,
} from "~/components/prompt-tune/prompt-tune-form";
import { PromptTuneHistory } from "~/components/prompt-tune/prompt-tune-history";
import { PromptTuneRunView } from "~/components/prompt-tune/prompt-tune-run-view";
import { applyTunedPrompt, storedEvalPrompt } from "~/components/tool-eval/eval-form";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import type { SuiteListItem } from "~/lib/eval-types";
import { onConfigChanged } from "~/lib/event-bus";
import { describeError } from "~/lib/http";
import { describeSubmitError, isTerminalPhase, scrollToRun, setJobInUrl as setLiveJobInUrl } from "~/lib/live-job";
import { copyLiveCore } from "~/lib/live-job-reducer";
import {
  cancelPromptTune,
  getPromptTuneLive,
  onPromptTuneLive,
  type PromptTuneLiveState,
  resetPromptTuneLive,
  resumePromptTuneJob,
  setPromptTuneCatalog,
  submitPromptTune,
} from "~/lib/prompt-tune-live";
import type { PromptTuneEstimate } from "~/lib/prompt-tune-types";
import { showToast, toastError } from "~/lib/toast";
import type { ConfigResponse, ProviderKeyInfo } from "~/lib/types";

interface PromptTunePageState {
  loading: boolean;
  loadError: string;
  providers: ProviderOption[];
  suites: SuiteListItem[];
  form: PromptTuneForm;
  formReady: boolean;
  estimate: EstimateState;
  submitting: boolean;
  submitError: string;
  submitDetails: string[];
  cancelling: boolean;
}

const PAGE = /^\/tool-eval\/prompt-tune\/?$/;
const setJobInUrl = (jobId: string | null) => setLiveJobInUrl(PAGE, jobId);
const TUNABLE = "local_simulator::sim-tunable";

function copyLive(s: PromptTuneLiveState): PromptTuneLiveState {
  return { ...copyLiveCore(s) };
}

export default component$(() => {
  const loc = useLocation();
  const state = useStore<PromptTunePageState>({
    loading: true,
    loadError: "",
    providers: [],
    suites: [],
    form: emptyPromptTuneForm(),
    formReady: false,
    estimate: { loading: false, data: null, error: "" },
    submitting: false,
    submitError: "",
    submitDetails: [],
    cancelling: false,
  });
  const liveSig = useSignal<PromptTuneLiveState>(copyLive(getPromptTuneLive()));
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
      state.suites = suites.suites;
      setPromptTuneCatalog(config.providers);
      const knownModels = new Set(state.providers.flatMap((p) => p.models.map(modelKey)));
      const knownSuites = new Set(suites.suites.map((s) => s.id));
      const form = state.form;
      if (!state.formReady) {
        // A first visit tunes for the simulator's keyword-sensitive model with its prompt writer (a known optimum).
        form.selected = knownModels.has(TUNABLE) ? [TUNABLE] : simulatorModelKeys(state.providers, "tool-eval");
        if (knownModels.has(SIMULATOR_WRITER)) form.metaModel = SIMULATOR_WRITER;
        form.basePrompt = storedEvalPrompt().trim() || DEFAULT_BASE_PROMPT;
        applySavedPromptTuneForm(form, knownModels, knownSuites);
        state.formReady = true;
      } else {
        form.selected = form.selected.filter((k) => knownModels.has(k));
        if (!knownModels.has(form.metaModel)) form.metaModel = "";
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
      cleanup(onPromptTuneLive((s) => (liveSig.value = copyLive(s))));
      void load();
      cleanup(onConfigChanged(["providers", "models", "keys"], () => void load()));
    },
    { strategy: "document-ready" },
  );

  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      void resumePromptTuneJob(PAGE);
    },
    { strategy: "document-ready" },
  );

  // Remember the form between visits.
  useVisibleTask$(
    ({ track, cleanup }) => {
      const json = track(() => JSON.stringify(state.form));
      if (!track(() => state.formReady)) return;
      const timer = setTimeout(() => savePromptTuneForm(JSON.parse(json) as PromptTuneForm), 300);
      cleanup(() => clearTimeout(timer));
    },
    { strategy: "document-ready" },
  );

  // The estimate follows the inputs (debounced); an answer for older inputs is dropped.
  useVisibleTask$(
    ({ track, cleanup }) => {
      const query = track(() => (state.formReady ? estimateQuery(state.form) : null));
      if (!query) {
        state.estimate = { loading: false, data: null, error: "" };
        return;
      }
      let stale = false;
      cleanup(() => {
        stale = true;
      });
      state.estimate = { ...state.estimate, loading: true };
      const timer = setTimeout(async () => {
        try {
          const data = await api.get<PromptTuneEstimate>(`/api/tool-eval/prompt-tune/estimate?${query}`);
          if (!stale) state.estimate = { loading: false, data, error: "" };
        } catch (err) {
          if (!stale) state.estimate = { loading: false, data: null, error: describeError(err).message };
        }
      }, 350);
      cleanup(() => clearTimeout(timer));
    },
    { strategy: "document-ready" },
  );

  const run = $(async () => {
    const models = selectedModels(state.providers, state.form.selected);
    const suite = state.suites.find((s) => s.id === state.form.suiteId);
    if (!models.length || !suite || !state.form.metaModel || state.submitting || Object.keys(promptTuneFormIssues(state.form)).length) return;
    state.submitting = true;
    state.submitError = "";
    state.submitDetails = [];
    setJobInUrl(null);
    try {
      // Targets in grid order (the form keeps click order).
      const request = {
        ...promptTuneRequest({ ...state.form, selected: models.map(modelKey) }),
        ...(experimentId.value ? { experiment_id: experimentId.value } : {}),
      };
      const res = await submitPromptTune(request, { targets: models.map(liveTarget), suiteName: suite.name });
      setJobInUrl(res.job_id);
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
      await cancelPromptTune();
    } catch (err) {
      toastError(err);
    } finally {
      state.cancelling = false;
    }
  });

  const dismiss = $(() => {
    resetPromptTuneLive();
    setJobInUrl(null);
  });

  /** Writes the prompt into Evaluate's stored form and opens Evaluate (a full load, so it reads the form afresh). */
  const apply = $((prompt: string) => {
    if (!applyTunedPrompt(prompt)) {
      showToast("error", "This browser would not store the prompt.");
      return;
    }
    location.assign("/tool-eval/evaluate/");
  });

  const models = selectedModels(state.providers, state.form.selected);
  const live = liveSig.value;
  const attached = live.phase !== "idle" || Boolean(live.jobId);
  const running = Boolean(live.jobId) && !isTerminalPhase(live.phase) && live.phase !== "idle";
  const modelNames = Object.fromEntries(state.providers.flatMap((p) => p.models.map((m) => [modelKey(m), m.display_name])));
  const pct = Math.round(live.progressPct);

  return (
    <section class="page bench-page te-page">
      <ToolEvalTabs />
      <header class="page-header">
        <div>
          <h1>Prompt Tuner</h1>
          <p class="page-lede">
            Let a model write system prompts for your suite, score each one on the target models, and see whether the best is really better than
            yours.
          </p>
        </div>
      </header>

      {state.loadError && <ErrorBanner message={state.loadError} onAction$={load} />}

      <ExperimentPicker
        id="prompt-tune-experiment"
        suiteId={state.form.suiteId}
        value={experimentId.value}
        disabled={state.submitting}
        onChange$={(id) => (experimentId.value = id)}
      />
      <div class="bench-grid">
        <ModelPicker form={state.form} providers={state.providers} loading={state.loading} disabled={state.submitting} />
        <PromptTuneConfigCard
          form={state.form}
          suites={state.suites}
          providers={state.providers}
          models={models}
          estimate={state.estimate}
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
          <ErrorBanner message={live.error} onAction$={dismiss} action="Dismiss" testId="pt-load-error" />
        ) : (
          attached && (
            <>
              <section class="card pt-progress" data-testid="pt-progress" aria-live="polite">
                <div class="card-head">
                  <div>
                    <h2 class="card-title">
                      {live.suiteName || "Prompt tune"}
                      <span class="muted small">
                        {" "}
                        · {live.mode ?? "…"} · {live.totalPrompts} prompts
                        {live.mode === "evolutionary" && ` in ${live.generations} generations`} · {live.totalEvalCalls} evaluation calls
                        {live.seed !== null && ` · seed ${live.seed}`}
                        {live.holdoutCases > 0 && ` · ${live.holdoutCases} held-out cases`}
                      </span>
                    </h2>
                    <p class="small">
                      <span data-testid="pt-status" class="text-strong">
                        {live.phase}
                      </span>
                      <span class="muted"> · {pct}%</span>
                      {running && live.progressDetail && <span class="muted"> · {live.progressDetail}</span>}
                    </p>
                  </div>
                  {running ? (
                    <button
                      type="button"
                      class="btn btn-sm btn-danger-ghost"
                      data-testid="cancel-prompt-tune"
                      disabled={state.cancelling}
                      onClick$={cancel}
                    >
                      {state.cancelling ? "Cancelling…" : "Cancel"}
                    </button>
                  ) : (
                    <button type="button" class="btn btn-sm btn-ghost" data-testid="dismiss-prompt-tune" onClick$={dismiss}>
                      Clear
                    </button>
                  )}
                </div>
                <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                  <div class="progress-fill" style={{ width: `${pct}%` }} />
                </div>
                {live.error && <p class="field-error">{live.error}</p>}
                {live.phase === "cancelled" && (
                  <p class="muted small">Cancelled: the prompts written and the trials run are kept and scored below.</p>
                )}
              </section>
              {live.phase !== "loading" && (
                <PromptTuneRunView
                  tuneId={live.runId}
                  items={live.results}
                  answer={live.answer}
                  final={live.final}
                  running={running}
                  mode={live.mode}
                  generations={live.generations}
                  targets={live.targets.filter((t) => t.provider_key).map((t) => ({ provider_key: t.provider_key, model_id: t.model_id }))}
                  basePrompt={live.basePrompt}
                  modelNames={modelNames}
                  onApply$={apply}
                />
              )}
            </>
          )
        )}
      </div>

      <PromptTuneHistory modelNames={modelNames} onApply$={apply} refreshKey={live.final && live.runId ? live.runId : ""} />
    </section>
  );
});

export const head: DocumentHead = { title: "Prompt Tuner · Tool Eval" };
