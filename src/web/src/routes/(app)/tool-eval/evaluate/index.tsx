// /tool-eval/evaluate/: pick a suite, models and settings, run, watch progress and results live, drill into cases.
// The active job lives in the URL (?job=) and sessionStorage, like the Benchmark page, so a reload carries on
// (use-live-job.ts).

import { $, component$, useSignal, useStore } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { liveTarget, modelKey, type ProviderOption, readModelChoices, selectedModels, simulatorModelKeys } from "~/components/benchmark/form-state";
import { ModelPicker } from "~/components/benchmark/model-picker";
import { ProgressPanel } from "~/components/benchmark/progress-panel";
import { ErrorBanner } from "~/components/error-banner";
import { ExperimentPicker, useExperimentId } from "~/components/experiments/experiment-picker";
import { ProviderHealthCheck } from "~/components/health/provider-health";
import { LiveRun } from "~/components/live-run";
import { EvalConfigCard } from "~/components/tool-eval/eval-config-card";
import { applySavedEvalForm, type EvalForm, emptyEvalForm, evalFormIssues, evalRequest, saveEvalForm } from "~/components/tool-eval/eval-form";
import { EvalRunView } from "~/components/tool-eval/eval-run-view";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import { evalJob, setEvalCatalog, submitEval } from "~/lib/eval-live";
import type { SuiteListItem } from "~/lib/eval-types";
import type { FeatureSettings } from "~/lib/feature-defaults";
import { autoJudgeDefault } from "~/lib/judge-defaults";
import { jobShown, useLiveJob, useSavedForm } from "~/lib/use-live-job";
import { useLiveLoad } from "~/lib/use-live-load";

interface EvaluatePageState {
  loading: boolean;
  error: string;
  providers: ProviderOption[];
  suites: SuiteListItem[];
  form: EvalForm;
  formReady: boolean;
}

export default component$(() => {
  const state = useStore<EvaluatePageState>({
    loading: true,
    error: "",
    providers: [],
    suites: [],
    form: emptyEvalForm(),
    formReady: false,
  });
  const job = useLiveJob({ page: /^\/tool-eval\/evaluate\/?$/, job$: $(() => evalJob), initial: evalJob.get() });
  // Experiments (issue 14): the run may be linked to an experiment of its suite (?experiment= preselects one).
  const experimentId = useExperimentId();
  /** The judge model ("provider_key::model_id") for live-inline judging; empty: no auto-judge. */
  const autoJudge = useSignal("");
  /** Whether Auto-judge was preselected from the saved judge defaults (the hint says so). */
  const autoJudgeFromDefaults = useSignal(false);

  const load = useLiveLoad(
    state,
    ["providers", "models", "keys"],
    $(async () => {
      const [{ config, providers, known: knownModels }, suites, saved] = await Promise.all([
        readModelChoices(),
        api.get<{ suites: SuiteListItem[] }>("/api/tool-suites"),
        // Saved judge defaults in live-inline mode preselect Auto-judge (Settings → Defaults).
        api.get<Pick<FeatureSettings, "judge">>("/api/settings/phase10").catch(() => null),
      ]);
      state.providers = providers;
      state.suites = suites.suites;
      setEvalCatalog(config.providers);
      const knownSuites = new Set(suites.suites.map((s) => s.id));
      const form = state.form;
      if (!state.formReady) {
        autoJudge.value = autoJudgeDefault(
          saved?.judge ?? null,
          state.providers.flatMap((p) => p.models),
        );
        autoJudgeFromDefaults.value = autoJudge.value !== "";
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
    }),
    "document-ready",
  );
  useSavedForm(state, $(saveEvalForm));

  const run = $(async () => {
    const models = selectedModels(state.providers, state.form.selected);
    const suite = state.suites.find((s) => s.id === state.form.suiteId);
    // The button is disabled meanwhile; a value the API would refuse is never sent (its message is on the field).
    if (!models.length || !suite || Object.keys(evalFormIssues(state.form)).length) return;
    await job.start(() => {
      // Targets in grid order (the form keeps click order).
      const request = {
        ...evalRequest({ ...state.form, selected: models.map(modelKey) }),
        ...(experimentId.value ? { experiment_id: experimentId.value } : {}),
        // Auto-judge: each case is judged as its result arrives (live inline), in the same job.
        ...(autoJudge.value ? { judge: { judge_model: autoJudge.value } } : {}),
      };
      return submitEval(request, {
        targets: models.map(liveTarget),
        suiteName: suite.name,
        scorer: state.form.scorer,
        casesPerModel: suite.test_case_count,
      });
    });
  });

  const models = selectedModels(state.providers, state.form.selected);
  const liveSig = job.live; // two steps, not `job.live.value`: see LiveJob.live
  const live = liveSig.value;
  const { running } = jobShown(live);

  return (
    <section class="page bench-page te-page">
      <ToolEvalTabs />
      <header class="page-header">
        <div>
          <h1>Evaluate</h1>
          <p class="page-lede">Run a tool suite on many models: does each one pick the right tool and fill in the right arguments?</p>
        </div>
      </header>

      {state.error && <ErrorBanner message={state.error} onAction$={load} />}
      <ProviderHealthCheck compact />

      <ExperimentPicker id="eval-experiment" suiteId={state.form.suiteId} chosen={experimentId} disabled={job.flags.submitting} />
      <div class="field te-auto-judge" data-testid="eval-auto-judge">
        <label for="eval-auto-judge">Auto-judge (live inline)</label>
        <select
          id="eval-auto-judge"
          data-testid="eval-auto-judge-select"
          disabled={job.flags.submitting}
          onChange$={(_, el) => {
            autoJudge.value = el.value;
            autoJudgeFromDefaults.value = false;
          }}
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
          {autoJudgeFromDefaults.value && (
            <span data-testid="eval-auto-judge-default"> Chosen by your judge defaults (live inline, Settings → Defaults).</span>
          )}
        </p>
      </div>
      <div class="bench-grid">
        <ModelPicker form={state.form} providers={state.providers} loading={state.loading} disabled={job.flags.submitting} />
        <EvalConfigCard
          form={state.form}
          suites={state.suites}
          models={models}
          loading={state.loading}
          busy={job.flags.submitting || state.loading}
          running={running}
          error={job.flags.submitError}
          errorDetails={job.flags.submitDetails}
          onRun$={run}
        />
      </div>

      <LiveRun job={job} errorTestId="eval-load-error">
        {live.suiteName && (
          <p class="muted small te-run-suite" data-testid="eval-run-suite">
            Suite <strong class="text-strong">{live.suiteName}</strong>
            {live.scorer && ` · ${live.scorer} scorer`}
          </p>
        )}
        <ProgressPanel
          variant="eval"
          live={{ ...live, runs: live.casesPerModel, tiers: [0], warmup: false }}
          cancelling={job.flags.cancelling}
          onCancel$={job.cancel}
          onDismiss$={job.dismiss}
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
      </LiveRun>
    </section>
  );
});

export const head: DocumentHead = { title: "Evaluate · Tool Eval" };
