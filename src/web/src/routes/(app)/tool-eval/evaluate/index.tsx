// /tool-eval/evaluate/: pick a suite, models and settings, run, watch progress and results live, drill into cases.
// The active job lives in the URL (?job=) and sessionStorage, like the Benchmark page, so a reload carries on.

import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, useLocation } from "@builder.io/qwik-city";
import { liveTarget, modelKey, type ProviderOption, providerOptions, selectedModels, simulatorModelKeys } from "~/components/benchmark/form-state";
import { ModelPicker } from "~/components/benchmark/model-picker";
import { ProgressPanel } from "~/components/benchmark/progress-panel";
import { ErrorBanner } from "~/components/error-banner";
import { ExperimentPicker, experimentFromUrl } from "~/components/experiments/experiment-picker";
import { ProviderHealthCheck } from "~/components/health/provider-health";
import { EvalConfigCard } from "~/components/tool-eval/eval-config-card";
import { applySavedEvalForm, type EvalForm, emptyEvalForm, evalFormIssues, evalRequest, saveEvalForm } from "~/components/tool-eval/eval-form";
import { EvalRunView } from "~/components/tool-eval/eval-run-view";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import { cancelEval, type EvalLiveState, getEvalLive, onEvalLive, resetEvalLive, resumeEvalJob, setEvalCatalog, submitEval } from "~/lib/eval-live";
import type { SuiteListItem } from "~/lib/eval-types";
import { onConfigChanged } from "~/lib/event-bus";
import { describeError } from "~/lib/http";
import { describeSubmitError, isTerminalPhase, scrollToRun, setJobInUrl as setLiveJobInUrl } from "~/lib/live-job";
import { copyLiveCore } from "~/lib/live-job-reducer";
import { toastError } from "~/lib/toast";
import type { ConfigResponse, ProviderKeyInfo } from "~/lib/types";

interface EvaluatePageState {
  loading: boolean;
  loadError: string;
  providers: ProviderOption[];
  suites: SuiteListItem[];
  form: EvalForm;
  formReady: boolean;
  submitting: boolean;
  submitError: string;
  submitDetails: string[];
  cancelling: boolean;
}

const EVALUATE_PAGE = /^\/tool-eval\/evaluate\/?$/;
const setJobInUrl = (jobId: string | null) => setLiveJobInUrl(EVALUATE_PAGE, jobId);

function copyLive(s: EvalLiveState): EvalLiveState {
  return { ...copyLiveCore(s), summary: s.summary.slice() };
}

export default component$(() => {
  const loc = useLocation();
  const state = useStore<EvaluatePageState>({
    loading: true,
    loadError: "",
    providers: [],
    suites: [],
    form: emptyEvalForm(),
    formReady: false,
    submitting: false,
    submitError: "",
    submitDetails: [],
    cancelling: false,
  });
  // Plain snapshots: every update swaps the whole object, children re-render from values.
  const liveSig = useSignal<EvalLiveState>(copyLive(getEvalLive()));
  // Experiments (issue 14): the run may be linked to an experiment of its suite (?experiment= preselects one).
  const experimentId = useSignal("");
  /** The judge model ("provider_key::model_id") for live-inline judging; empty: no auto-judge. */
  const autoJudge = useSignal("");
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
      setEvalCatalog(config.providers);
      const knownModels = new Set(state.providers.flatMap((p) => p.models.map(modelKey)));
      const knownSuites = new Set(suites.suites.map((s) => s.id));
      const form = state.form;
      if (!state.formReady) {
        form.selected = simulatorModelKeys(state.providers, "tool-eval");
        applySavedEvalForm(form, knownModels, knownSuites);
        state.formReady = true;
      } else {
        form.selected = form.selected.filter((k) => knownModels.has(k));
      }
      // A suite given in the URL (?suite=, from the Suites page) wins; else keep a valid choice, else the newest.
      const fromUrl = new URL(location.href).searchParams.get("suite");
      if (fromUrl && knownSuites.has(fromUrl)) form.suiteId = fromUrl;
      else if (!knownSuites.has(form.suiteId)) form.suiteId = suites.suites[0]?.id ?? "";
      state.loadError = "";
    } catch (err) {
      state.loadError = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  useVisibleTask$(
    ({ cleanup }) => {
      cleanup(onEvalLive((s) => (liveSig.value = copyLive(s))));
      void load();
      cleanup(onConfigChanged(["providers", "models", "keys"], () => void load()));
    },
    { strategy: "document-ready" },
  );

  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      void resumeEvalJob(EVALUATE_PAGE);
    },
    { strategy: "document-ready" },
  );

  // Remember the form between visits.
  useVisibleTask$(
    ({ track, cleanup }) => {
      track(() => [
        state.formReady,
        state.form.suiteId,
        state.form.selected.join(","),
        state.form.temperature,
        state.form.maxTokens,
        state.form.timeout,
        state.form.toolChoice,
        state.form.scorer,
        JSON.stringify(state.form.providerParams),
        JSON.stringify(state.form.prompts),
      ]);
      if (!state.formReady) return;
      const timer = setTimeout(() => saveEvalForm(state.form), 300);
      cleanup(() => clearTimeout(timer));
    },
    { strategy: "document-ready" },
  );

  const run = $(async () => {
    const models = selectedModels(state.providers, state.form.selected);
    const suite = state.suites.find((s) => s.id === state.form.suiteId);
    // The button is disabled meanwhile; a value the API would refuse is never sent (its message is on the field).
    if (!models.length || !suite || state.submitting || Object.keys(evalFormIssues(state.form)).length) return;
    state.submitting = true;
    state.submitError = "";
    state.submitDetails = [];
    setJobInUrl(null);
    try {
      // Targets in grid order (the form keeps click order).
      const request = {
        ...evalRequest({ ...state.form, selected: models.map(modelKey) }),
        ...(experimentId.value ? { experiment_id: experimentId.value } : {}),
        // Auto-judge: each case is judged as its result arrives (live inline), in the same job.
        ...(autoJudge.value ? { judge: { judge_model: autoJudge.value } } : {}),
      };
      const res = await submitEval(request, {
        targets: models.map(liveTarget),
        suiteName: suite.name,
        scorer: state.form.scorer,
        casesPerModel: suite.test_case_count,
      });
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
      await cancelEval();
    } catch (err) {
      toastError(err);
    } finally {
      state.cancelling = false;
    }
  });

  const dismiss = $(() => {
    resetEvalLive();
    setJobInUrl(null);
  });

  const models = selectedModels(state.providers, state.form.selected);
  const live = liveSig.value;
  const attached = live.phase !== "idle" || Boolean(live.jobId);
  const running = Boolean(live.jobId) && !isTerminalPhase(live.phase) && live.phase !== "idle";

  return (
    <section class="page bench-page te-page">
      <ToolEvalTabs />
      <header class="page-header">
        <div>
          <h1>Evaluate</h1>
          <p class="page-lede">Run a tool suite on many models: does each one pick the right tool and fill in the right arguments?</p>
        </div>
      </header>

      {state.loadError && <ErrorBanner message={state.loadError} onAction$={load} />}
      <ProviderHealthCheck compact />

      <ExperimentPicker
        id="eval-experiment"
        suiteId={state.form.suiteId}
        value={experimentId.value}
        disabled={state.submitting}
        onChange$={(id) => (experimentId.value = id)}
      />
      <div class="field te-auto-judge" data-testid="eval-auto-judge">
        <label for="eval-auto-judge">Auto-judge (live inline)</label>
        <select
          id="eval-auto-judge"
          data-testid="eval-auto-judge-select"
          disabled={state.submitting}
          onChange$={(_, el) => (autoJudge.value = el.value)}
        >
          <option value="" selected={!autoJudge.value}>
            Off
          </option>
          {state.providers.flatMap((p) =>
            p.models.map((m) => (
              <option key={modelKey(m)} value={modelKey(m)} selected={modelKey(m) === autoJudge.value}>
                {`${m.display_name} (${p.display_name})`}
              </option>
            )),
          )}
        </select>
        <p class="field-hint">
          An LLM judges each case as its result arrives; the report is on the <a href="/tool-eval/judge/">Judge</a> page.
        </p>
      </div>
      <div class="bench-grid">
        <ModelPicker form={state.form} providers={state.providers} loading={state.loading} disabled={state.submitting} />
        <EvalConfigCard
          form={state.form}
          suites={state.suites}
          models={models}
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
          <ErrorBanner message={live.error} onAction$={dismiss} action="Dismiss" testId="eval-load-error" />
        ) : (
          attached && (
            <>
              {live.suiteName && (
                <p class="muted small te-run-suite" data-testid="eval-run-suite">
                  Suite <strong class="text-strong">{live.suiteName}</strong>
                  {live.scorer && ` · ${live.scorer} scorer`}
                </p>
              )}
              <ProgressPanel
                variant="eval"
                live={{ ...live, runs: live.casesPerModel, tiers: [0], warmup: false }}
                cancelling={state.cancelling}
                onCancel$={cancel}
                onDismiss$={dismiss}
              />
              {live.phase !== "idle" && (
                <EvalRunView
                  evalId={live.runId}
                  results={live.results}
                  summary={live.summary}
                  mode={live.final ? "final" : "live"}
                  paramAdjustments={live.paramAdjustments}
                />
              )}
            </>
          )
        )}
      </div>
    </section>
  );
});

export const head: DocumentHead = { title: "Evaluate · Tool Eval" };
