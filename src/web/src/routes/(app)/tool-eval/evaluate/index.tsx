// /tool-eval/evaluate/: pick a suite, models and settings, run, watch progress and results live, drill into cases.
// The active job lives in the URL (?job=) and sessionStorage, like the Benchmark page, so a reload carries on.
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { useLocation, type DocumentHead } from "@builder.io/qwik-city";
import { modelKey, type ModelOption, type ProviderOption } from "~/components/benchmark/form-state";
import { ModelPicker } from "~/components/benchmark/model-picker";
import { ProgressPanel } from "~/components/benchmark/progress-panel";
import { EvalConfigCard } from "~/components/tool-eval/eval-config-card";
import { applySavedEvalForm, emptyEvalForm, evalRequest, saveEvalForm, type EvalForm } from "~/components/tool-eval/eval-form";
import { EvalRunView } from "~/components/tool-eval/eval-run-view";
import { ToolEvalTabs } from "~/components/tool-eval/tool-eval-tabs";
import { api } from "~/lib/api-client";
import { fmtDuration } from "~/lib/bench-format";
import type { JobView } from "~/lib/bench-types";
import {
  attachEvalJob,
  cancelEval,
  getEvalLive,
  onEvalLive,
  resetEvalLive,
  setEvalCatalog,
  storedEvalJobId,
  submitEval,
  type EvalLiveState,
} from "~/lib/eval-live";
import type { SuiteListItem } from "~/lib/eval-types";
import { onConfigChanged } from "~/lib/event-bus";
import { ApiError, describeError } from "~/lib/http";
import { isTerminalPhase, setJobInUrl as setLiveJobInUrl } from "~/lib/live-job";
import { ensureSession } from "~/lib/session";
import { toastError } from "~/lib/toast";
import type { ConfigResponse, KeyStatus, ProviderKeyInfo } from "~/lib/types";

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
const onEvaluatePage = () => EVALUATE_PAGE.test(location.pathname);
const setJobInUrl = (jobId: string | null) => setLiveJobInUrl(EVALUATE_PAGE, jobId);

function scrollToRun(): void {
  requestAnimationFrame(() => document.getElementById("run")?.scrollIntoView({ behavior: "smooth", block: "start" }));
}

function selectedModels(providers: readonly ProviderOption[], selected: readonly string[]): ModelOption[] {
  const chosen = new Set(selected);
  return providers.flatMap((p) => p.models.filter((m) => chosen.has(modelKey(m))));
}

function copyLive(s: EvalLiveState): EvalLiveState {
  return { ...s, targets: s.targets.map((t) => ({ ...t })), providers: s.providers.map((p) => ({ ...p })), results: s.results.slice(), summary: s.summary.slice() };
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

  const load = $(async () => {
    try {
      const [config, keys, suites] = await Promise.all([
        api.get<ConfigResponse>("/api/config"),
        api.get<{ keys: ProviderKeyInfo[] }>("/api/keys").catch(() => ({ keys: [] as ProviderKeyInfo[] })),
        api.get<{ suites: SuiteListItem[] }>("/api/tool-suites"),
      ]);
      const keyStatus = new Map<string, KeyStatus>(keys.keys.map((k) => [k.provider_key, k.status]));
      state.providers = config.providers
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
        .sort((a, b) => Number(a.key_status === "not_set") - Number(b.key_status === "not_set"));
      state.suites = suites.suites;
      setEvalCatalog(config.providers);
      const knownModels = new Set(state.providers.flatMap((p) => p.models.map(modelKey)));
      const knownSuites = new Set(suites.suites.map((s) => s.id));
      const form = state.form;
      if (!state.formReady) {
        form.selected = state.providers.filter((p) => p.provider_key === "local_simulator").flatMap((p) => p.models.map(modelKey));
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

  /** Follows the job in the URL, else the one this tab last ran, else any active tool eval. */
  const resolveJob = $(async () => {
    if (!onEvaluatePage()) return;
    await ensureSession().catch(() => null);
    const fromUrl = new URL(location.href).searchParams.get("job");
    if (fromUrl) {
      const first = getEvalLive().jobId !== fromUrl;
      await attachEvalJob(fromUrl);
      if (first) scrollToRun();
      return;
    }
    const current = getEvalLive().jobId ?? storedEvalJobId();
    if (current) {
      setJobInUrl(current);
      await attachEvalJob(current);
      const after = getEvalLive();
      if (after.phase === "idle" && after.error) {
        resetEvalLive();
        setJobInUrl(null);
      }
      return;
    }
    try {
      const { jobs } = await api.get<{ jobs: JobView[] }>("/api/jobs?status=pending,queued,running&limit=20");
      const active = jobs.find((j) => j.job_type === "tool_eval");
      if (active && !getEvalLive().jobId) {
        setJobInUrl(active.id);
        await attachEvalJob(active.id);
      }
    } catch {
      // Nothing to resume.
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
      void resolveJob();
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
        state.form.toolChoice,
        state.form.scorer,
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
    if (!models.length || !suite || state.submitting) return;
    state.submitting = true;
    state.submitError = "";
    state.submitDetails = [];
    setJobInUrl(null);
    try {
      // Targets in grid order (the form keeps click order).
      const request = evalRequest({ ...state.form, selected: models.map(modelKey) });
      const res = await submitEval(request, {
        targets: models.map((m) => ({ provider_key: m.provider_key, model_id: m.model_id, display_name: m.display_name, provider: m.provider })),
        suiteName: suite.name,
        scorer: state.form.scorer,
        casesPerModel: suite.test_case_count,
      });
      setJobInUrl(res.job_id);
      scrollToRun();
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        const wait = err.retryAfterSeconds;
        state.submitError = `${err.message}${wait ? ` Try again in ${fmtDuration(wait)}.` : ""}`;
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
          <p class="page-lede">
            Run a tool suite on many models: does each one pick the right tool and fill in the right arguments?
          </p>
        </div>
      </header>

      {state.loadError && (
        <div class="banner banner-danger" role="alert">
          <span>{state.loadError}</span>
          <button type="button" class="btn btn-sm btn-ghost" onClick$={load}>
            Retry
          </button>
        </div>
      )}

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
          <div class="banner banner-danger" role="alert" data-testid="eval-load-error">
            <span>{live.error}</span>
            <button type="button" class="btn btn-sm btn-ghost" onClick$={dismiss}>
              Dismiss
            </button>
          </div>
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
                <EvalRunView evalId={live.runId} results={live.results} summary={live.summary} mode={live.final ? "final" : "live"} />
              )}
            </>
          )
        )}
      </div>
    </section>
  );
});

export const head: DocumentHead = { title: "Evaluate · Tool Eval" };
