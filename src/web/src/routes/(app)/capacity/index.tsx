// /capacity/: the capacity probe (issue 18). Pick models, a ladder of concurrency levels, closed or open loop, how
// long each level is held, the SLO and a budget (the server's estimate shows before Run); watch each target's curves
// grow as its levels finish, side by side, with the knee, the SLO limit and any stop; past probes below (open,
// export, delete). The active job lives in the URL (?job=) and sessionStorage like the tuners', so a reload carries on
// (use-live-job.ts).
import { $, component$, useStore } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { liveTarget, modelKey, type ProviderOption, readModelChoices, selectedModels } from "~/components/benchmark/form-state";
import { ModelPicker } from "~/components/benchmark/model-picker";
import { CapacityConfigCard } from "~/components/capacity/capacity-config-card";
import {
  applySavedCapacityForm,
  type CapacityForm,
  capacityIssues,
  capacityRequest,
  emptyCapacityForm,
  saveCapacityForm,
} from "~/components/capacity/capacity-form";
import { CapacityHistory } from "~/components/capacity/capacity-history";
import { CapacityRunView } from "~/components/capacity/capacity-run-view";
import { ErrorBanner } from "~/components/error-banner";
import { JobProgressCard, LiveRun } from "~/components/live-run";
import { capacityJob, setCapacityCatalog, submitCapacity } from "~/lib/capacity-live";
import { capacityTargets } from "~/lib/capacity-live-fold";
import { jobShown, useLiveJob, useSavedForm } from "~/lib/use-live-job";
import { useLiveLoad } from "~/lib/use-live-load";
import { SIMULATOR_CAPACITY_MODELS, SIMULATOR_PROVIDER_KEY } from "../../../../../shared/catalogue.ts";

interface CapacityPageState {
  loading: boolean;
  error: string;
  providers: ProviderOption[];
  form: CapacityForm;
  formReady: boolean;
}

/** The simulator's capacity-modelled server is the natural first pick (its knee is known). */
function capacityModelKeys(providers: readonly ProviderOption[]): string[] {
  return providers
    .filter((p) => p.provider_key === SIMULATOR_PROVIDER_KEY)
    .flatMap((p) => p.models)
    .filter((m) => SIMULATOR_CAPACITY_MODELS.some((c) => c.model_id === m.model_id))
    .slice(0, 2)
    .map(modelKey);
}

export default component$(() => {
  const state = useStore<CapacityPageState>({
    loading: true,
    error: "",
    providers: [],
    form: emptyCapacityForm(),
    formReady: false,
  });
  const job = useLiveJob({ page: /^\/capacity\/?$/, job$: $(() => capacityJob), initial: capacityJob.get() });

  const load = useLiveLoad(
    state,
    ["providers", "models", "keys"],
    $(async () => {
      const { config, providers, known } = await readModelChoices();
      state.providers = providers;
      setCapacityCatalog(config.providers);
      if (!state.formReady) {
        state.form.selected = capacityModelKeys(state.providers);
        applySavedCapacityForm(state.form, known);
        state.formReady = true;
      } else {
        state.form.selected = state.form.selected.filter((k) => known.has(k));
      }
    }),
    "document-ready",
  );
  useSavedForm(state, $(saveCapacityForm));

  const run = $(async () => {
    const models = selectedModels(state.providers, state.form.selected);
    if (!models.length || Object.keys(capacityIssues(state.form)).length) return;
    await job.start(() => submitCapacity(capacityRequest(state.form, models), models.map(liveTarget)));
  });

  const models = selectedModels(state.providers, state.form.selected);
  const liveSig = job.live; // two steps, not `job.live.value`: see LiveJob.live
  const live = liveSig.value;
  const { running } = jobShown(live);

  return (
    <section class="page bench-page capacity-page">
      <header class="page-header">
        <div>
          <h1>Capacity</h1>
          <p class="page-lede">
            How a provider or your own server holds up as requests pile up: latency, throughput and goodput under your SLO at each concurrency level,
            side by side.
          </p>
        </div>
      </header>

      {state.error && <ErrorBanner message={state.error} onAction$={load} />}

      <div class="bench-grid">
        <ModelPicker form={state.form} providers={state.providers} loading={state.loading} disabled={job.flags.submitting} />
        <CapacityConfigCard
          form={state.form}
          models={models}
          busy={job.flags.submitting || state.loading}
          running={running}
          error={job.flags.submitError}
          errorDetails={job.flags.submitDetails}
          onRun$={run}
        />
      </div>

      <LiveRun job={job} errorTestId="capacity-load-error">
        <JobProgressCard
          job={job}
          ids={{ card: "capacity-progress", status: "capacity-status", cancel: "cancel-capacity", dismiss: "dismiss-capacity" }}
          title="Capacity probe"
          facts={
            <>
              {live.loop ?? "…"} loop · levels {live.levels.join(", ") || "…"}
              {live.slo && ` · SLO TTFT ≤ ${live.slo.ttft_ms} ms, ITL p95 ≤ ${live.slo.itl_p95_ms} ms`}
            </>
          }
          detail={live.progressDetail && running && <span class="muted"> · {live.progressDetail}</span>}
          cancelledNote="Cancelled: the levels that finished are kept below."
        />
        <CapacityRunView targets={capacityTargets(live)} ladder={live.levels} slo={live.slo} live={running} />
      </LiveRun>

      <CapacityHistory />
    </section>
  );
});

export const head: DocumentHead = { title: "Capacity" };
