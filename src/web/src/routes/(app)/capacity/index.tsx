// /capacity/: the capacity probe (issue 18). Pick models, a ladder of concurrency levels, closed or open loop, how
// long each level is held, the SLO and a budget (the server's estimate shows before Run); watch each target's curves
// grow as its levels finish, side by side, with the knee, the SLO limit and any stop; past probes below (open,
// export, delete). The active job lives in the URL (?job=) and sessionStorage like the tuners', so a reload carries on.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { type DocumentHead, useLocation } from "@builder.io/qwik-city";
import { liveTarget, modelKey, type ProviderOption, providerOptions, selectedModels } from "~/components/benchmark/form-state";
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
import { api } from "~/lib/api-client";
import {
  type CapacityLiveState,
  cancelCapacity,
  getCapacityLive,
  onCapacityLive,
  resetCapacityLive,
  resumeCapacityJob,
  setCapacityCatalog,
  submitCapacity,
} from "~/lib/capacity-live";
import { capacityTargets } from "~/lib/capacity-live-fold";
import { onConfigChanged } from "~/lib/event-bus";
import { describeError } from "~/lib/http";
import { describeSubmitError, isTerminalPhase, scrollToRun, setJobInUrl as setLiveJobInUrl } from "~/lib/live-job";
import { copyLiveCore } from "~/lib/live-job-reducer";
import { toastError } from "~/lib/toast";
import type { ConfigResponse, ProviderKeyInfo } from "~/lib/types";
import { SIMULATOR_CAPACITY_MODELS, SIMULATOR_PROVIDER_KEY } from "../../../../../shared/catalogue.ts";

interface CapacityPageState {
  loading: boolean;
  loadError: string;
  providers: ProviderOption[];
  form: CapacityForm;
  formReady: boolean;
  submitting: boolean;
  submitError: string;
  submitDetails: string[];
  cancelling: boolean;
}

const CAPACITY_PAGE = /^\/capacity\/?$/;
const setJobInUrl = (jobId: string | null) => setLiveJobInUrl(CAPACITY_PAGE, jobId);

function copyLive(s: CapacityLiveState): CapacityLiveState {
  return {
    ...copyLiveCore(s),
    levels: [...s.levels],
    slo: s.slo ? { ...s.slo } : null,
    stops: s.stops.map((x) => ({ ...x })),
    summaries: s.summaries.map((x) => ({ ...x })),
    timelines: s.timelines.map((x) => ({ ...x, points: x.points.slice() })),
  };
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
  const loc = useLocation();
  const state = useStore<CapacityPageState>({
    loading: true,
    loadError: "",
    providers: [],
    form: emptyCapacityForm(),
    formReady: false,
    submitting: false,
    submitError: "",
    submitDetails: [],
    cancelling: false,
  });
  const liveSig = useSignal<CapacityLiveState>(copyLive(getCapacityLive()));

  const load = $(async () => {
    try {
      const [config, keys] = await Promise.all([
        api.get<ConfigResponse>("/api/config"),
        api.get<{ keys: ProviderKeyInfo[] }>("/api/keys").catch(() => ({ keys: [] as ProviderKeyInfo[] })),
      ]);
      state.providers = providerOptions(config.providers, keys.keys);
      setCapacityCatalog(config.providers);
      const known = new Set(state.providers.flatMap((p) => p.models.map(modelKey)));
      if (!state.formReady) {
        state.form.selected = capacityModelKeys(state.providers);
        applySavedCapacityForm(state.form, known);
        state.formReady = true;
      } else {
        state.form.selected = state.form.selected.filter((k) => known.has(k));
      }
      state.loadError = "";
    } catch (err) {
      state.loadError = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  useVisibleTask$(
    ({ cleanup }) => {
      cleanup(onCapacityLive((s) => (liveSig.value = copyLive(s))));
      void load();
      cleanup(onConfigChanged(["providers", "models", "keys"], () => void load()));
    },
    { strategy: "document-ready" },
  );

  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      void resumeCapacityJob(CAPACITY_PAGE);
    },
    { strategy: "document-ready" },
  );

  // Remember the form between visits.
  useVisibleTask$(
    ({ track, cleanup }) => {
      const json = track(() => JSON.stringify(state.form));
      if (!state.formReady) return;
      const timer = setTimeout(() => saveCapacityForm(JSON.parse(json) as CapacityForm), 300);
      cleanup(() => clearTimeout(timer));
    },
    { strategy: "document-ready" },
  );

  const run = $(async () => {
    const models = selectedModels(state.providers, state.form.selected);
    if (!models.length || state.submitting || Object.keys(capacityIssues(state.form)).length) return;
    state.submitting = true;
    state.submitError = "";
    state.submitDetails = [];
    setJobInUrl(null);
    try {
      const res = await submitCapacity(capacityRequest(state.form, models), models.map(liveTarget));
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
      await cancelCapacity();
    } catch (err) {
      toastError(err);
    } finally {
      state.cancelling = false;
    }
  });

  const dismiss = $(() => {
    resetCapacityLive();
    setJobInUrl(null);
  });

  const models = selectedModels(state.providers, state.form.selected);
  const live = liveSig.value;
  const attached = live.phase !== "idle" || Boolean(live.jobId);
  const running = Boolean(live.jobId) && !isTerminalPhase(live.phase) && live.phase !== "idle";
  const targets = capacityTargets(live);
  const pct = Math.round(live.progressPct);

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

      {state.loadError && <ErrorBanner message={state.loadError} onAction$={load} />}

      <div class="bench-grid">
        <ModelPicker form={state.form} providers={state.providers} loading={state.loading} disabled={state.submitting} />
        <CapacityConfigCard
          form={state.form}
          models={models}
          busy={state.submitting || state.loading}
          running={running}
          error={state.submitError}
          errorDetails={state.submitDetails}
          onRun$={run}
        />
      </div>

      <div id="run" class="run-anchor">
        {live.phase === "idle" && live.error ? (
          <ErrorBanner message={live.error} onAction$={dismiss} action="Dismiss" testId="capacity-load-error" />
        ) : (
          attached && (
            <>
              <section class="card capacity-progress" data-testid="capacity-progress" aria-live="polite">
                <div class="card-head">
                  <div>
                    <h2 class="card-title">
                      Capacity probe
                      <span class="muted small">
                        {" "}
                        · {live.loop ?? "…"} loop · levels {live.levels.join(", ") || "…"}
                        {live.slo && ` · SLO TTFT ≤ ${live.slo.ttft_ms} ms, ITL p95 ≤ ${live.slo.itl_p95_ms} ms`}
                      </span>
                    </h2>
                    <p class="small">
                      <span data-testid="capacity-status" class="text-strong">
                        {live.phase}
                      </span>
                      <span class="muted"> · {pct}%</span>
                      {live.progressDetail && running && <span class="muted"> · {live.progressDetail}</span>}
                    </p>
                  </div>
                  {running ? (
                    <button
                      type="button"
                      class="btn btn-sm btn-danger-ghost"
                      data-testid="cancel-capacity"
                      disabled={state.cancelling}
                      onClick$={cancel}
                    >
                      {state.cancelling ? "Cancelling…" : "Cancel"}
                    </button>
                  ) : (
                    <button type="button" class="btn btn-sm btn-ghost" data-testid="dismiss-capacity" onClick$={dismiss}>
                      Clear
                    </button>
                  )}
                </div>
                <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                  <div class="progress-fill" style={{ width: `${pct}%` }} />
                </div>
                {live.error && <p class="field-error">{live.error}</p>}
                {live.phase === "cancelled" && <p class="muted small">Cancelled: the levels that finished are kept below.</p>}
              </section>
              <CapacityRunView targets={targets} ladder={live.levels} slo={live.slo} live={running} />
            </>
          )
        )}
      </div>

      <CapacityHistory />
    </section>
  );
});

export const head: DocumentHead = { title: "Capacity" };
