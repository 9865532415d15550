// /tool-eval/param-tune/: configure a parameter tune (suite, models, search space, strategy, repeats, budgets,
// held-out share), run it, watch the combos live, read the best config with its significance, apply it to Evaluate.
// The active job lives in the URL (?job=) and sessionStorage like Evaluate's, so a reload carries on (use-live-job.ts).
import { $, component$, useStore } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { liveTarget, modelKey, type ProviderOption, readModelChoices, selectedModels, simulatorModelKeys } from "~/components/benchmark/form-state";
import { ModelPicker } from "~/components/benchmark/model-picker";
import { ErrorBanner } from "~/components/error-banner";
import { ExperimentPicker, useExperimentId } from "~/components/experiments/experiment-picker";
import { JobProgressCard, LiveRun } from "~/components/live-run";
import { type ModelFacts, TuneConfigCard } from "~/components/param-tune/tune-config-card";
import { applySavedTuneForm, emptyTuneForm, saveTuneForm, type TuneForm, tuneFormIssues, tuneRequest } from "~/components/param-tune/tune-form";
import { TuneHistory } from "~/components/param-tune/tune-history";
import { TuneRunView } from "~/components/param-tune/tune-run-view";
import { applyTunedConfig, storedEvalSettings } from "~/components/tool-eval/eval-form";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import type { SuiteListItem } from "~/lib/eval-types";
import type { FeatureSettings } from "~/lib/feature-defaults";
import { setTuneCatalog, submitTune, tuneJob } from "~/lib/param-tune-live";
import { latestRows } from "~/lib/param-tune-live-fold";
import { showToast } from "~/lib/toast";
import type { Baseline, SpacePreset } from "~/lib/tune-space";
import { paramTunerFormDefaults } from "~/lib/tuner-defaults";
import { jobShown, useLiveJob, useSavedForm } from "~/lib/use-live-job";
import { useLiveLoad } from "~/lib/use-live-load";

interface TunePageState {
  loading: boolean;
  error: string;
  providers: ProviderOption[];
  facts: Record<string, ModelFacts>;
  suites: SuiteListItem[];
  form: TuneForm;
  formReady: boolean;
  baseline: Baseline;
  scorer: "classic" | "bfcl" | "partial";
  /** The account's saved presets (Settings → Defaults), listed after the built-in ones. */
  accountPresets: SpacePreset[];
  /** What the form says about the account defaults it started from. */
  defaultsNotes: string[];
}

function fmtEta(at: number | null): string {
  if (!at) return "";
  const s = Math.max(0, Math.round((at - Date.now()) / 1000));
  return s < 90 ? `ETA ${s}s` : `ETA ${Math.round(s / 60)} min`;
}

export default component$(() => {
  const state = useStore<TunePageState>({
    loading: true,
    error: "",
    providers: [],
    facts: {},
    suites: [],
    form: emptyTuneForm(),
    formReady: false,
    baseline: { temperature: 0, tool_choice: "auto", provider_params: {} },
    scorer: "classic",
    accountPresets: [],
    defaultsNotes: [],
  });
  const job = useLiveJob({ page: /^\/tool-eval\/param-tune\/?$/, job$: $(() => tuneJob), initial: tuneJob.get() });
  // Experiments (issue 14): the run may be linked to an experiment of its suite (?experiment= preselects one).
  const experimentId = useExperimentId();

  const load = useLiveLoad(
    state,
    ["providers", "models", "keys"],
    $(async () => {
      const [{ config, providers, known: knownModels }, suites, saved] = await Promise.all([
        readModelChoices(),
        api.get<{ suites: SuiteListItem[] }>("/api/tool-suites"),
        // The account's defaults only prefill the form: without them the built-in ones serve.
        api.get<Pick<FeatureSettings, "param_tuner">>("/api/settings/phase10").catch(() => null),
      ]);
      const defaults = paramTunerFormDefaults(saved?.param_tuner ?? null);
      state.accountPresets = defaults.presets;
      state.defaultsNotes = defaults.notes;
      state.providers = providers;
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
      const knownSuites = new Set(suites.suites.map((s) => s.id));
      const form = state.form;
      if (!state.formReady) {
        // A first visit starts on the simulator's tunable model (its optimum is known), else Evaluate's picks.
        const tunable = state.providers.flatMap((p) => p.models).filter((m) => m.provider_key === "local_simulator" && m.model_id === "sim-tunable");
        form.selected = tunable.length ? tunable.map(modelKey) : simulatorModelKeys(state.providers, "tool-eval");
        // The account's defaults first; the form this browser remembers (the user's last one) wins over them.
        form.space = defaults.space;
        form.nTrials = defaults.nTrials;
        applySavedTuneForm(form, knownModels, knownSuites);
        state.formReady = true;
      } else {
        form.selected = form.selected.filter((k) => knownModels.has(k));
      }
      if (!knownSuites.has(form.suiteId)) form.suiteId = suites.suites[0]?.id ?? "";
    }),
    "document-ready",
  );
  useSavedForm(state, $(saveTuneForm));

  const run = $(async () => {
    const models = selectedModels(state.providers, state.form.selected);
    const suite = state.suites.find((s) => s.id === state.form.suiteId);
    const issues = tuneFormIssues(state.form);
    if (!models.length || !suite || Object.keys(issues.fields).length || Object.keys(issues.space).length) return;
    await job.start(async () => {
      const request = {
        ...tuneRequest({ ...state.form, selected: models.map(modelKey) }, state.baseline, state.scorer),
        ...(experimentId.value ? { experiment_id: experimentId.value } : {}),
      };
      const res = await submitTune(request, { targets: models.map(liveTarget), suiteName: suite.name });
      if (res.merged_combos.length) showToast("info", `${res.merged_combos.length} combos merged: the provider's limits made them the same call.`);
      return res;
    });
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
  const liveSig = job.live; // two steps, not `job.live.value`: see LiveJob.live
  const live = liveSig.value;
  const { running } = jobShown(live);
  const rows = latestRows(live.results);
  const modelNames = Object.fromEntries(state.providers.flatMap((p) => p.models.map((m) => [modelKey(m), m.display_name])));
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

      {state.error && <ErrorBanner message={state.error} onAction$={load} />}

      <ExperimentPicker id="tune-experiment" suiteId={state.form.suiteId} chosen={experimentId} disabled={job.flags.submitting} />
      <div class="bench-grid">
        <ModelPicker form={state.form} providers={state.providers} loading={state.loading} disabled={job.flags.submitting} />
        <TuneConfigCard
          form={state.form}
          suites={state.suites}
          models={models}
          facts={state.facts}
          baseline={state.baseline}
          scorer={state.scorer}
          accountPresets={state.accountPresets}
          defaultsNotes={state.defaultsNotes}
          loading={state.loading}
          busy={job.flags.submitting || state.loading}
          running={running}
          error={job.flags.submitError}
          errorDetails={job.flags.submitDetails}
          onRun$={run}
        />
      </div>

      <LiveRun job={job} errorTestId="tune-load-error">
        <JobProgressCard
          job={job}
          ids={{ card: "tune-progress", status: "tune-status", cancel: "cancel-tune", dismiss: "dismiss-tune" }}
          title={live.suiteName || "Tune"}
          facts={
            <>
              {live.strategy ?? "…"} · {live.totalCombos} combos · {live.plannedTrials} planned calls
              {live.gridTrials > live.plannedTrials && ` (the grid would make ${live.gridTrials})`}
              {live.seed !== null && ` · seed ${live.seed}`}
              {live.holdoutCases > 0 && ` · ${live.holdoutCases} held-out cases`}
            </>
          }
          detail={
            <>
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
            </>
          }
          cancelledNote="Cancelled: the trials that finished are kept and scored below."
        />
        <TuneRunView
          tuneId={live.runId}
          rows={rows}
          answer={live.answer}
          final={live.final}
          current={running ? live.current : null}
          modelNames={modelNames}
          onApply$={apply}
        />
      </LiveRun>

      <TuneHistory modelNames={modelNames} onApply$={apply} />
    </section>
  );
});

export const head: DocumentHead = { title: "Param Tuner · Tool Eval" };
