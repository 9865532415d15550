// /tool-eval/prompt-tune/: configure a prompt tune (suite, mode, meta-model, targets, base prompt, population,
// generations, selection, held-out share) with the server's estimate, run it, watch generations and prompts arrive,
// read the best prompt with its significance, apply it to Evaluate or keep it in the prompt library.
// The active job lives in the URL (?job=) and sessionStorage like Evaluate's, so a reload carries on (use-live-job.ts).
import { $, component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { liveTarget, modelKey, type ProviderOption, readModelChoices, selectedModels, simulatorModelKeys } from "~/components/benchmark/form-state";
import { ModelPicker } from "~/components/benchmark/model-picker";
import { ErrorBanner } from "~/components/error-banner";
import { ExperimentPicker, useExperimentId } from "~/components/experiments/experiment-picker";
import { JobProgressCard, LiveRun } from "~/components/live-run";
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
import type { FeatureSettings } from "~/lib/feature-defaults";
import { describeError } from "~/lib/http";
import { promptTuneJob, setPromptTuneCatalog, submitPromptTune } from "~/lib/prompt-tune-live";
import type { PromptTuneEstimate } from "~/lib/prompt-tune-types";
import { showToast } from "~/lib/toast";
import { promptTunerFormDefaults } from "~/lib/tuner-defaults";
import { jobShown, useLiveJob, useSavedForm } from "~/lib/use-live-job";
import { useLiveLoad } from "~/lib/use-live-load";

interface PromptTunePageState {
  loading: boolean;
  error: string;
  providers: ProviderOption[];
  suites: SuiteListItem[];
  form: PromptTuneForm;
  formReady: boolean;
  estimate: EstimateState;
}

const TUNABLE = "local_simulator::sim-tunable";

export default component$(() => {
  const state = useStore<PromptTunePageState>({
    loading: true,
    error: "",
    providers: [],
    suites: [],
    form: emptyPromptTuneForm(),
    formReady: false,
    estimate: { loading: false, data: null, error: "" },
  });
  const job = useLiveJob({ page: /^\/tool-eval\/prompt-tune\/?$/, job$: $(() => promptTuneJob), initial: promptTuneJob.get() });
  // Experiments (issue 14): the run may be linked to an experiment of its suite (?experiment= preselects one).
  const experimentId = useExperimentId();

  const load = useLiveLoad(
    state,
    ["providers", "models", "keys"],
    $(async () => {
      const [{ config, providers, known: knownModels }, suites, saved] = await Promise.all([
        readModelChoices(),
        api.get<{ suites: SuiteListItem[] }>("/api/tool-suites"),
        // The account's defaults (Settings → Defaults) only prefill the form: without them the built-in ones serve.
        api.get<Pick<FeatureSettings, "prompt_tuner">>("/api/settings/phase10").catch(() => null),
      ]);
      state.providers = providers;
      state.suites = suites.suites;
      setPromptTuneCatalog(config.providers);
      const knownSuites = new Set(suites.suites.map((s) => s.id));
      const form = state.form;
      if (!state.formReady) {
        // A first visit tunes for the simulator's keyword-sensitive model with its prompt writer (a known optimum).
        form.selected = knownModels.has(TUNABLE) ? [TUNABLE] : simulatorModelKeys(state.providers, "tool-eval");
        if (knownModels.has(SIMULATOR_WRITER)) form.metaModel = SIMULATOR_WRITER;
        form.basePrompt = storedEvalPrompt().trim() || DEFAULT_BASE_PROMPT;
        // The account's defaults first; the form this browser remembers (the user's last one) wins over them.
        const defaults = promptTunerFormDefaults(saved?.prompt_tuner ?? null);
        form.mode = defaults.mode;
        form.generations = defaults.generations;
        form.populationSize = defaults.populationSize;
        applySavedPromptTuneForm(form, knownModels, knownSuites);
        state.formReady = true;
      } else {
        form.selected = form.selected.filter((k) => knownModels.has(k));
        if (!knownModels.has(form.metaModel)) form.metaModel = "";
      }
      if (!knownSuites.has(form.suiteId)) form.suiteId = suites.suites[0]?.id ?? "";
    }),
    "document-ready",
  );
  useSavedForm(state, $(savePromptTuneForm));

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
    if (!models.length || !suite || !state.form.metaModel || Object.keys(promptTuneFormIssues(state.form)).length) return;
    await job.start(() => {
      // Targets in grid order (the form keeps click order).
      const request = {
        ...promptTuneRequest({ ...state.form, selected: models.map(modelKey) }),
        ...(experimentId.value ? { experiment_id: experimentId.value } : {}),
      };
      return submitPromptTune(request, { targets: models.map(liveTarget), suiteName: suite.name });
    });
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
  const liveSig = job.live; // two steps, not `job.live.value`: see LiveJob.live
  const live = liveSig.value;
  const { running } = jobShown(live);
  const modelNames = Object.fromEntries(state.providers.flatMap((p) => p.models.map((m) => [modelKey(m), m.display_name])));

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

      {state.error && <ErrorBanner message={state.error} onAction$={load} />}

      <ExperimentPicker id="prompt-tune-experiment" suiteId={state.form.suiteId} chosen={experimentId} disabled={job.flags.submitting} />
      <div class="bench-grid">
        <ModelPicker form={state.form} providers={state.providers} loading={state.loading} disabled={job.flags.submitting} />
        <PromptTuneConfigCard
          form={state.form}
          suites={state.suites}
          providers={state.providers}
          models={models}
          estimate={state.estimate}
          loading={state.loading}
          busy={job.flags.submitting || state.loading}
          running={running}
          error={job.flags.submitError}
          errorDetails={job.flags.submitDetails}
          onRun$={run}
        />
      </div>

      <LiveRun job={job} errorTestId="pt-load-error">
        <JobProgressCard
          job={job}
          ids={{ card: "pt-progress", status: "pt-status", cancel: "cancel-prompt-tune", dismiss: "dismiss-prompt-tune" }}
          title={live.suiteName || "Prompt tune"}
          facts={
            <>
              {live.mode ?? "…"} · {live.totalPrompts} prompts
              {live.mode === "evolutionary" && ` in ${live.generations} generations`} · {live.totalEvalCalls} evaluation calls
              {live.seed !== null && ` · seed ${live.seed}`}
              {live.holdoutCases > 0 && ` · ${live.holdoutCases} held-out cases`}
            </>
          }
          detail={running && live.progressDetail && <span class="muted"> · {live.progressDetail}</span>}
          cancelledNote="Cancelled: the prompts written and the trials run are kept and scored below."
        />
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
      </LiveRun>

      <PromptTuneHistory modelNames={modelNames} onApply$={apply} refreshKey={live.final && live.runId ? live.runId : ""} />
    </section>
  );
});

export const head: DocumentHead = { title: "Prompt Tuner · Tool Eval" };
