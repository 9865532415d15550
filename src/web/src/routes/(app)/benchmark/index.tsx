// /benchmark/: pick models and settings, run, watch per-provider progress live, then read charts and tables.

import { $, component$, type PropFunction, type Signal, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import type { DocumentHead } from "@builder.io/qwik-city";
import { ConfigCard } from "~/components/benchmark/config-card";
import {
  applySaved,
  type BenchmarkForm,
  benchmarkFormIssues,
  CONTEXT_TIERS,
  EMPTY_PROVIDER_PARAMS,
  liveTarget,
  loadSavedForm,
  modelKey,
  type PromptTemplateOption,
  type ProviderOption,
  providerOptions,
  providerParamsPayload,
  saveForm,
  selectedModels,
  simulatorModelKeys,
  snapMaxTokens,
  typedNumber,
} from "~/components/benchmark/form-state";
import { ModelPicker } from "~/components/benchmark/model-picker";
import { ProgressPanel } from "~/components/benchmark/progress-panel";
import { RunResults } from "~/components/benchmark/run-results";
import { ErrorBanner } from "~/components/error-banner";
import { ProviderHealthCheck } from "~/components/health/provider-health";
import { api } from "~/lib/api-client";
import type { BenchLiveState } from "~/lib/bench-live";
import { loadBenchLive, resumeBenchJob, setModelCatalog, whenBenchLive } from "~/lib/bench-live-lazy";
import type { RateLimitInfo } from "~/lib/benchmark-types";
import { onConfigChanged } from "~/lib/event-bus";
import { describeError } from "~/lib/http";
import { describeSubmitError, scrollToRun, setJobInUrl as setLiveJobInUrl } from "~/lib/live-job";
import { isTerminalPhase } from "~/lib/live-phase";
import { useAppLocation } from "~/lib/router-context";
import { toastError } from "~/lib/toast";
import type { ConfigResponse, PromptTemplates, ProviderKeyInfo } from "~/lib/types";

interface BenchmarkPageState {
  loading: boolean;
  loadError: string;
  providers: ProviderOption[];
  templates: PromptTemplateOption[];
  defaultPrompt: string;
  form: BenchmarkForm;
  /** The form was initialised from defaults / saved choices (only once). */
  formReady: boolean;
  submitting: boolean;
  submitError: string;
  submitDetails: string[];
  cancelling: boolean;
  rate: RateLimitInfo | null;
}

const BENCHMARK_PAGE = /^\/benchmark\/?$/;
const setJobInUrl = (jobId: string | null) => setLiveJobInUrl(BENCHMARK_PAGE, jobId);

// Plain functions rather than $-closures: the load-time task imports them directly, so running them does not fetch
// the page component's chunk (Qwik groups a component's $-closures with it).
async function loadRate(state: BenchmarkPageState): Promise<void> {
  try {
    state.rate = await api.get<RateLimitInfo>("/api/user/rate-limit");
  } catch {
    state.rate = null;
  }
}

async function loadConfig(state: BenchmarkPageState): Promise<void> {
  try {
    const [config, prompts, keys] = await Promise.all([
      api.get<ConfigResponse>("/api/config"),
      api.get<PromptTemplates>("/api/config/prompts").catch(() => ({}) as PromptTemplates),
      api.get<{ keys: ProviderKeyInfo[] }>("/api/keys").catch(() => ({ keys: [] as ProviderKeyInfo[] })),
    ]);
    const providers = providerOptions(config.providers, keys.keys);
    state.providers = providers;
    state.templates = Object.entries(prompts)
      .map(([key, t]) => ({ key, label: t.label || key, category: t.category || "", prompt: t.prompt }))
      .sort((a, b) => a.label.localeCompare(b.label));
    state.defaultPrompt = config.defaults.prompt;
    setModelCatalog(config.providers);

    const known = new Set(providers.flatMap((p) => p.models.map(modelKey)));
    if (!state.formReady) {
      const form = state.form;
      form.maxTokens = snapMaxTokens(config.defaults.max_tokens || 512);
      form.temperature = Math.min(2, Math.max(0, config.defaults.temperature ?? 0.7));
      const tiers = (config.defaults.context_tiers ?? []).filter((t) => (CONTEXT_TIERS as readonly number[]).includes(t));
      form.tiers = tiers.length ? tiers : [0];
      form.prompt = config.defaults.prompt;
      form.selected = simulatorModelKeys(providers, "benchmark");
      applySaved(form, loadSavedForm(), known);
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
}

export default component$(() => {
  const loc = useAppLocation(); // not Qwik City's hook: this component re-renders on load (router-context.ts)
  const state = useStore<BenchmarkPageState>({
    loading: true,
    loadError: "",
    providers: [],
    templates: [],
    defaultPrompt: "",
    form: {
      selected: [],
      maxTokens: 512,
      temperature: 0.7,
      runs: "1",
      warmup: true,
      uniquePrefix: true,
      timeout: "120",
      tiers: [0],
      prompt: "",
      templateKey: "",
      providerParams: { ...EMPTY_PROVIDER_PARAMS },
    },
    formReady: false,
    submitting: false,
    submitError: "",
    submitDetails: [],
    cancelling: false,
    rate: null,
  });
  // Plain (non-proxied) snapshots: every update swaps the whole object, children re-render from values.
  // null = no run to show, and the live-run code not loaded (bench-live-lazy.ts).
  const liveSig = useSignal<BenchLiveState | null>(null);

  const retryLoad = $(() => loadConfig(state));

  useVisibleTask$(
    ({ cleanup }) => {
      let unsubscribe: (() => void) | undefined;
      cleanup(() => unsubscribe?.());
      cleanup(whenBenchLive((live) => (unsubscribe = live.onBenchLive((s) => (liveSig.value = live.copyBenchLive(s))))));
      void loadConfig(state);
      void loadRate(state);
      cleanup(onConfigChanged(["providers", "models", "keys", "prompts", "settings"], () => void loadConfig(state)));
    },
    { strategy: "document-ready" },
  );

  // Runs on load and whenever an in-app link changes the URL (e.g. the bell's /benchmark/?job=…).
  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      void resumeBenchJob(BENCHMARK_PAGE);
    },
    { strategy: "document-ready" },
  );

  // Remember the form between visits.
  useVisibleTask$(
    ({ track, cleanup }) => {
      track(() => [
        state.formReady,
        state.form.selected.length,
        state.form.selected.join(","),
        state.form.maxTokens,
        state.form.temperature,
        state.form.runs,
        state.form.warmup,
        state.form.uniquePrefix,
        state.form.timeout,
        state.form.tiers.join(","),
        state.form.prompt,
      ]);
      if (!state.formReady) return;
      const timer = setTimeout(() => saveForm(state.form), 300);
      cleanup(() => clearTimeout(timer));
    },
    { strategy: "document-ready" },
  );

  const run = $(async () => {
    const targets = selectedModels(state.providers, state.form.selected).map(liveTarget);
    const form = state.form;
    // The button is disabled meanwhile; a value the API would refuse is never sent (its message is on the field).
    if (!targets.length || state.submitting || Object.keys(benchmarkFormIssues(form)).length) return;
    state.submitting = true;
    state.submitError = "";
    state.submitDetails = [];
    setJobInUrl(null);
    try {
      const prompt = form.prompt.trim();
      const providerParams = providerParamsPayload(form);
      const res = await (await loadBenchLive()).submitBenchmark(
        {
          targets: targets.map((t) => ({ provider_key: t.provider_key, model_id: t.model_id })),
          ...(prompt ? { prompt } : {}),
          max_tokens: form.maxTokens,
          temperature: form.temperature,
          context_tiers: [...form.tiers].sort((a, b) => a - b),
          runs: typedNumber(form.runs),
          warmup: form.warmup,
          unique_prefix: form.uniquePrefix,
          timeout: typedNumber(form.timeout),
          ...(providerParams ? { provider_params: providerParams } : {}),
        },
        targets,
      );
      setJobInUrl(res.job_id);
      scrollToRun();
      void loadRate(state);
    } catch (err) {
      const { message, details, rateLimited } = describeSubmitError(err);
      state.submitError = message;
      state.submitDetails = details;
      if (rateLimited) void loadRate(state);
    } finally {
      state.submitting = false;
    }
  });

  const cancel = $(async () => {
    state.cancelling = true;
    try {
      await (await loadBenchLive()).cancelBenchmark();
    } catch (err) {
      toastError(err);
    } finally {
      state.cancelling = false;
    }
  });

  const dismiss = $(async () => {
    (await loadBenchLive()).resetBenchLive();
    setJobInUrl(null);
  });

  // The page body reads no store or signal directly (only bindings and child components do), so nothing on load
  // re-renders it: its code (run/cancel/...) loads only when used.

  return (
    <section class="page bench-page">
      <header class="page-header">
        <div>
          <h1>Benchmark</h1>
          <p class="page-lede">Stream one prompt to many models at once and measure what users feel: time to first token, output speed and cost.</p>
        </div>
        <RateBadge state={state} />
      </header>

      <LoadError state={state} onRetry$={retryLoad} />
      <ProviderHealthCheck compact />

      <div class="bench-grid">
        <ModelPicker form={state.form} providers={state.providers} loading={state.loading} disabled={state.submitting} />
        <BenchConfig state={state} liveSig={liveSig} onRun$={run} />
      </div>

      <div id="run" class="run-anchor">
        <RunArea liveSig={liveSig} state={state} onCancel$={cancel} onDismiss$={dismiss} />
      </div>
    </section>
  );
});

// Settings + Run: re-renders as models are chosen and runs start/finish.
const BenchConfig = component$<{
  state: BenchmarkPageState;
  liveSig: Signal<BenchLiveState | null>;
  onRun$: PropFunction<() => Promise<void>>;
}>(({ state, liveSig, onRun$ }) => {
  const live = liveSig.value;
  const running = !!live && Boolean(live.jobId) && !isTerminalPhase(live.phase) && live.phase !== "idle";
  // Computed here, not inline in the prop: Qwik would bind `f(...).length` to a one-off array and never update it.
  const modelCount = selectedModels(state.providers, state.form.selected).length;
  return (
    <ConfigCard
      form={state.form}
      templates={state.templates}
      defaultPrompt={state.defaultPrompt}
      modelCount={modelCount}
      busy={state.submitting || state.loading}
      running={running}
      error={state.submitError}
      errorDetails={state.submitDetails}
      onRun$={onRun$}
    />
  );
});

const RateBadge = component$<{ state: BenchmarkPageState }>(({ state }) => {
  const rate = state.rate;
  return rate ? (
    <span
      class={`badge ${rate.remaining === 0 ? "badge-coral" : rate.remaining <= 3 ? "badge-amber" : "badge-outline"}`}
      title={`Benchmark jobs you can start per ${rate.window}`}
      data-testid="rate-limit"
    >
      {rate.remaining}/{rate.limit} runs left this hour
    </span>
  ) : null;
});

const LoadError = component$<{ state: BenchmarkPageState; onRetry$: PropFunction<() => Promise<void>> }>(({ state, onRetry$ }) =>
  state.loadError ? <ErrorBanner message={state.loadError} onAction$={onRetry$} /> : null,
);

interface RunAreaProps {
  liveSig: Signal<BenchLiveState | null>;
  state: BenchmarkPageState;
  onCancel$: PropFunction<() => Promise<void>>;
  onDismiss$: PropFunction<() => Promise<void>>;
}

// The run being shown (progress, then results), or why it could not be loaded.
const RunArea = component$<RunAreaProps>(({ liveSig, state, onCancel$, onDismiss$ }) => {
  const live = liveSig.value;
  if (!live) return null;
  if (live.phase === "idle" && live.error) {
    return <ErrorBanner message={live.error} onAction$={onDismiss$} action="Dismiss" testId="benchmark-load-error" />;
  }
  if (live.phase === "idle" && !live.jobId) return null;
  return (
    <>
      <ProgressPanel live={live} cancelling={state.cancelling} onCancel$={onCancel$} onDismiss$={onDismiss$} />
      {live.phase !== "idle" && <RunResults live={live} />}
    </>
  );
});

export const head: DocumentHead = { title: "Benchmark" };
