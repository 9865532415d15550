// /benchmark/: pick models and settings, run, watch per-provider progress live, then read charts and tables.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { useLocation, type DocumentHead } from "@builder.io/qwik-city";
import { ConfigCard } from "~/components/benchmark/config-card";
import {
  applySaved,
  CONTEXT_TIERS,
  EMPTY_PROVIDER_PARAMS,
  loadSavedForm,
  modelKey,
  providerParamsPayload,
  saveForm,
  snapMaxTokens,
  type BenchmarkForm,
  type PromptTemplateOption,
  type ProviderOption,
} from "~/components/benchmark/form-state";
import { ModelPicker } from "~/components/benchmark/model-picker";
import { ProgressPanel } from "~/components/benchmark/progress-panel";
import { RunResults } from "~/components/benchmark/run-results";
import { api } from "~/lib/api-client";
import { fmtDuration } from "~/lib/bench-format";
import {
  attachJob,
  cancelBenchmark,
  getBenchLive,
  isTerminalPhase,
  onBenchLive,
  resetBenchLive,
  setModelCatalog,
  storedJobId,
  submitBenchmark,
  type BenchLiveState,
} from "~/lib/bench-live";
import type { BenchTarget, JobView, RateLimitInfo } from "~/lib/bench-types";
import { onConfigChanged } from "~/lib/event-bus";
import { ApiError, describeError } from "~/lib/http";
import { setJobInUrl as setLiveJobInUrl } from "~/lib/live-job";
import { ensureSession } from "~/lib/session";
import { showToast, toastError } from "~/lib/toast";
import type { ConfigResponse, KeyStatus, PromptTemplates, ProviderKeyInfo } from "~/lib/types";

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
const onBenchmarkPage = () => BENCHMARK_PAGE.test(location.pathname);
const setJobInUrl = (jobId: string | null) => setLiveJobInUrl(BENCHMARK_PAGE, jobId);

function scrollToRun(): void {
  requestAnimationFrame(() => document.getElementById("run")?.scrollIntoView({ behavior: "smooth", block: "start" }));
}

/** Selected models in grid order, with names for the live view. */
function selectedTargets(providers: readonly ProviderOption[], selected: readonly string[]): BenchTarget[] {
  const chosen = new Set(selected);
  return providers.flatMap((p) =>
    p.models
      .filter((m) => chosen.has(modelKey(m)))
      .map((m) => ({ provider_key: p.provider_key, model_id: m.model_id, display_name: m.display_name, provider: p.display_name })),
  );
}

function copyLive(s: BenchLiveState): BenchLiveState {
  return {
    ...s,
    targets: s.targets.map((t) => ({ ...t })),
    tiers: [...s.tiers],
    providers: s.providers.map((p) => ({ ...p })),
    results: s.results.slice(),
    aggregates: s.aggregates.slice(),
  };
}

export default component$(() => {
  const loc = useLocation();
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
      runs: 1,
      warmup: true,
      timeout: 120,
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
  const liveSig = useSignal<BenchLiveState>(copyLive(getBenchLive()));

  const loadRate = $(async () => {
    try {
      state.rate = await api.get<RateLimitInfo>("/api/user/rate-limit");
    } catch {
      state.rate = null;
    }
  });

  const loadConfig = $(async () => {
    try {
      const [config, prompts, keys] = await Promise.all([
        api.get<ConfigResponse>("/api/config"),
        api.get<PromptTemplates>("/api/config/prompts").catch(() => ({}) as PromptTemplates),
        api.get<{ keys: ProviderKeyInfo[] }>("/api/keys").catch(() => ({ keys: [] as ProviderKeyInfo[] })),
      ]);
      const keyStatus = new Map<string, KeyStatus>(keys.keys.map((k) => [k.provider_key, k.status]));
      const providers: ProviderOption[] = config.providers
        .filter((p) => p.models.length > 0)
        .map((p) => ({
          provider_key: p.provider_key,
          display_name: p.display_name,
          is_local: p.is_local,
          key_status: keyStatus.get(p.provider_key) ?? null,
          models: p.models.map((m) => ({
            provider_key: p.provider_key,
            provider: p.display_name,
            model_id: m.model_id,
            display_name: m.display_name || m.model_id,
            context_window: m.context_window,
          })),
        }))
        // Providers that can run right now first; the rest keep the server's order.
        .sort((a, b) => Number(a.key_status === "not_set") - Number(b.key_status === "not_set"));
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
        form.selected = providers
          .filter((p) => p.provider_key === "local_simulator")
          .flatMap((p) => p.models.map(modelKey));
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
  });

  /** Follows the job in the URL, else the one this tab last ran, else any active benchmark. */
  const resolveJob = $(async () => {
    if (!onBenchmarkPage()) return;
    await ensureSession().catch(() => null); // the stored job is checked against the signed-in account
    const fromUrl = new URL(location.href).searchParams.get("job");
    if (fromUrl) {
      const first = getBenchLive().jobId !== fromUrl;
      await attachJob(fromUrl);
      if (first) scrollToRun();
      return;
    }
    const current = getBenchLive().jobId ?? storedJobId();
    if (current) {
      setJobInUrl(current);
      await attachJob(current);
      const after = getBenchLive();
      if (after.phase === "idle" && after.error) {
        // A remembered job that is gone (deleted, other account): forget it quietly.
        resetBenchLive();
        setJobInUrl(null);
      }
      return;
    }
    try {
      const { jobs } = await api.get<{ jobs: JobView[] }>("/api/jobs?status=pending,queued,running&limit=20");
      const active = jobs.find((j) => j.job_type === "benchmark");
      if (active && !getBenchLive().jobId) {
        setJobInUrl(active.id);
        await attachJob(active.id);
      }
    } catch {
      // Nothing to resume.
    }
  });

  useVisibleTask$(
    ({ cleanup }) => {
      cleanup(onBenchLive((s) => (liveSig.value = copyLive(s))));
      void loadConfig();
      void loadRate();
      cleanup(onConfigChanged(["providers", "models", "keys", "prompts", "settings"], () => void loadConfig()));
    },
    { strategy: "document-ready" },
  );

  // Runs on load and whenever an in-app link changes the URL (e.g. the bell's /benchmark/?job=…).
  useVisibleTask$(
    ({ track }) => {
      track(() => loc.url.href);
      void resolveJob();
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
    const targets = selectedTargets(state.providers, state.form.selected);
    if (!targets.length || state.submitting) return;
    const form = state.form;
    state.submitting = true;
    state.submitError = "";
    state.submitDetails = [];
    setJobInUrl(null);
    try {
      const prompt = form.prompt.trim();
      const providerParams = providerParamsPayload(form);
      const res = await submitBenchmark(
        {
          targets: targets.map((t) => ({ provider_key: t.provider_key, model_id: t.model_id })),
          ...(prompt ? { prompt } : {}),
          max_tokens: form.maxTokens,
          temperature: form.temperature,
          context_tiers: [...form.tiers].sort((a, b) => a - b),
          runs: form.runs,
          warmup: form.warmup,
          timeout: form.timeout,
          ...(providerParams ? { provider_params: providerParams } : {}),
        },
        targets,
      );
      if (res.param_adjustments?.length) {
        const lines = res.param_adjustments.flatMap((m) => m.adjustments.map((a) => `${m.model_id}: ${a.param} ${a.action} (${a.reason})`));
        showToast("info", "Parameter adjustments applied", lines.slice(0, 8));
      }
      setJobInUrl(res.job_id);
      scrollToRun();
      void loadRate();
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        const wait = err.retryAfterSeconds;
        state.submitError = `${err.message}${wait ? ` Try again in ${fmtDuration(wait)}.` : ""}`;
        void loadRate();
      } else {
        const { message, details } = describeError(err);
        state.submitError = message;
        state.submitDetails = details;
      }
    } finally {
      state.submitting = false;
    }
  });

  const cancel = $(async () => {
    state.cancelling = true;
    try {
      await cancelBenchmark();
    } catch (err) {
      toastError(err);
    } finally {
      state.cancelling = false;
    }
  });

  const dismiss = $(() => {
    resetBenchLive();
    setJobInUrl(null);
  });

  const modelCount = selectedTargets(state.providers, state.form.selected).length;
  const live = liveSig.value;
  const attached = live.phase !== "idle" || Boolean(live.jobId);
  const running = Boolean(live.jobId) && !isTerminalPhase(live.phase) && live.phase !== "idle";
  const rate = state.rate;

  return (
    <section class="page bench-page">
      <header class="page-header">
        <div>
          <h1>Benchmark</h1>
          <p class="page-lede">
            Stream one prompt to many models at once and measure what users feel: time to first token, output
            speed and cost.
          </p>
        </div>
        {rate && (
          <span
            class={`badge ${rate.remaining === 0 ? "badge-coral" : rate.remaining <= 3 ? "badge-amber" : "badge-outline"}`}
            title={`Benchmark jobs you can start per ${rate.window}`}
            data-testid="rate-limit"
          >
            {rate.remaining}/{rate.limit} runs left this hour
          </span>
        )}
      </header>

      {state.loadError && (
        <div class="banner banner-danger" role="alert">
          <span>{state.loadError}</span>
          <button type="button" class="btn btn-sm btn-ghost" onClick$={loadConfig}>
            Retry
          </button>
        </div>
      )}

      <div class="bench-grid">
        <ModelPicker form={state.form} providers={state.providers} loading={state.loading} disabled={state.submitting} />
        <ConfigCard
          form={state.form}
          templates={state.templates}
          defaultPrompt={state.defaultPrompt}
          modelCount={modelCount}
          busy={state.submitting || state.loading}
          running={running}
          error={state.submitError}
          errorDetails={state.submitDetails}
          onRun$={run}
        />
      </div>

      <div id="run" class="run-anchor">
        {live.phase === "idle" && live.error ? (
          <div class="banner banner-danger" role="alert" data-testid="benchmark-load-error">
            <span>{live.error}</span>
            <button type="button" class="btn btn-sm btn-ghost" onClick$={dismiss}>
              Dismiss
            </button>
          </div>
        ) : (
          attached && (
          <>
            <ProgressPanel live={live} cancelling={state.cancelling} onCancel$={cancel} onDismiss$={dismiss} />
            {live.phase !== "idle" && <RunResults live={live} />}
          </>
          )
        )}
      </div>
    </section>
  );
});

export const head: DocumentHead = { title: "Benchmark" };
