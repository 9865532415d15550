// Create or edit a schedule: what runs (a benchmark on chosen models, or a tool eval of a suite), when (every N
// hours, or a cron expression in a time zone, with the next five runs as the server computes them), and the alert
// settings (thresholds, baseline size, webhook). The config sent is the body POST /api/benchmark or
// POST /api/tool-eval takes.
import { $, component$, type QRL, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import type { SuiteListItem } from "~/lib/eval-types";
import { describeError } from "~/lib/http";
import type { AlertThresholds, Schedule, ScheduleKind } from "~/lib/schedule-types";
import { showToast, toastError } from "~/lib/toast";
import type { Model } from "~/lib/types";

const INTERVALS = [
  { hours: 1, label: "Every hour" },
  { hours: 6, label: "Every 6 hours" },
  { hours: 12, label: "Every 12 hours" },
  { hours: 24, label: "Every day" },
  { hours: 168, label: "Every week" },
];

const THRESHOLD_FIELDS: Array<{ key: keyof AlertThresholds; label: string; unit: string }> = [
  { key: "ttft_p50_pct", label: "TTFT p50 rises by", unit: "%" },
  { key: "output_speed_p50_pct", label: "Output speed p50 drops by", unit: "%" },
  { key: "error_rate_pts", label: "Error rate rises by", unit: "pts" },
  { key: "cost_per_run_pct", label: "Cost per call / case rises by", unit: "%" },
  { key: "tool_accuracy_pts", label: "Tool accuracy drops by", unit: "pts" },
];

interface FormState {
  name: string;
  kind: ScheduleKind;
  models: string[]; // "provider_key::model_id"
  prompt: string;
  maxTokens: number;
  runs: number;
  suiteId: string;
  mode: "interval" | "cron";
  intervalHours: number;
  cron: string;
  timezone: string;
  alertsEnabled: boolean;
  baselineRuns: number;
  minBaselineRuns: number;
  thresholds: AlertThresholds;
  webhookUrl: string;
  webhookSecret: string;
  preview: string[];
  previewError: string;
  saving: boolean;
  error: string;
}

function initialState(s: Schedule | null): FormState {
  const config = (s?.config ?? {}) as {
    targets?: Array<{ provider_key: string; model_id: string }>;
    models?: string[];
    prompt?: string;
    max_tokens?: number;
    runs?: number;
    suite_id?: string;
  };
  const browserZone = typeof Intl !== "undefined" ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  return {
    name: s?.name ?? "",
    kind: s?.kind ?? "benchmark",
    models: config.targets?.map((t) => `${t.provider_key}::${t.model_id}`) ?? [],
    prompt: config.prompt ?? "Write a short story about a robot learning to paint.",
    maxTokens: config.max_tokens ?? (s?.kind === "tool_eval" ? 1024 : 256),
    runs: config.runs ?? 3,
    suiteId: config.suite_id ?? "",
    mode: s?.cron ? "cron" : "interval",
    intervalHours: s?.interval_hours ?? 24,
    cron: s?.cron ?? "0 6 * * *",
    timezone: s?.timezone && s.timezone !== "UTC" ? s.timezone : (s?.timezone ?? browserZone ?? "UTC"),
    alertsEnabled: s?.alerts.enabled ?? true,
    baselineRuns: s?.alerts.baseline_runs ?? 10,
    minBaselineRuns: s?.alerts.min_baseline_runs ?? 5,
    thresholds: s?.alerts.thresholds ?? {
      ttft_p50_pct: 25,
      output_speed_p50_pct: 20,
      error_rate_pts: 10,
      cost_per_run_pct: 20,
      tool_accuracy_pts: 5,
    },
    webhookUrl: s?.alerts.webhook_url ?? "",
    webhookSecret: "",
    preview: [],
    previewError: "",
    saving: false,
    error: "",
  };
}

export interface ScheduleFormProps {
  schedule: Schedule | null;
  onSaved$: QRL<(schedule: Schedule) => void>;
  onCancel$: QRL<() => void>;
}

export const ScheduleForm = component$<ScheduleFormProps>((props) => {
  const state = useStore<FormState>(initialState(props.schedule));
  const models = useSignal<Model[]>([]);
  const suites = useSignal<SuiteListItem[]>([]);

  useVisibleTask$(async () => {
    try {
      const [m, s] = await Promise.all([api.get<{ models: Model[] }>("/api/v2/models"), api.get<{ suites: SuiteListItem[] }>("/api/tool-suites")]);
      models.value = m.models;
      suites.value = s.suites;
      if (!state.suiteId) state.suiteId = s.suites[0]?.id ?? "";
    } catch (err) {
      state.error = describeError(err).message;
    }
  });

  // The cron helper: the next five runs as the server computes them (croner, the zone's DST rules).
  useVisibleTask$(({ track, cleanup }) => {
    const query =
      track(() => state.mode) === "cron"
        ? `cron=${encodeURIComponent(track(() => state.cron))}&timezone=${encodeURIComponent(track(() => state.timezone))}`
        : `interval_hours=${track(() => state.intervalHours)}`;
    const timer = setTimeout(async () => {
      try {
        state.preview = (await api.get<{ runs: string[] }>(`/api/schedules/next-runs?count=5&${query}`)).runs;
        state.previewError = "";
      } catch (err) {
        state.preview = [];
        state.previewError = describeError(err).message;
      }
    }, 250);
    cleanup(() => clearTimeout(timer));
  });

  const save = $(async () => {
    if (!state.name.trim()) {
      state.error = "Give the schedule a name.";
      return;
    }
    if (!state.models.length) {
      state.error = "Choose at least one model.";
      return;
    }
    const targets = state.models.map((m) => {
      const [provider_key, ...rest] = m.split("::");
      return { provider_key: provider_key!, model_id: rest.join("::") };
    });
    const config =
      state.kind === "benchmark"
        ? { targets, prompt: state.prompt, max_tokens: state.maxTokens, runs: state.runs, warmup: false }
        : { suite_id: state.suiteId, targets, max_tokens: state.maxTokens };
    const body = {
      name: state.name.trim(),
      config,
      ...(state.mode === "cron" ? { cron: state.cron, timezone: state.timezone } : { interval_hours: state.intervalHours }),
      alerts: {
        enabled: state.alertsEnabled,
        baseline_runs: state.baselineRuns,
        min_baseline_runs: state.minBaselineRuns,
        thresholds: state.thresholds,
        webhook_url: state.webhookUrl.trim() || null,
        ...(state.webhookSecret ? { webhook_secret: state.webhookSecret } : {}),
      },
    };
    state.saving = true;
    state.error = "";
    try {
      const saved = props.schedule
        ? await api.put<{ schedule: Schedule; webhook_secret?: string }>(`/api/schedules/${encodeURIComponent(props.schedule.id)}`, body)
        : await api.post<{ schedule: Schedule; webhook_secret?: string }>("/api/schedules", { ...body, kind: state.kind });
      if (saved.webhook_secret) showToast("info", `Webhook signing secret (shown once): ${saved.webhook_secret}`);
      await props.onSaved$(saved.schedule);
    } catch (err) {
      const e = describeError(err);
      state.error = [e.message, ...e.details].join(" · ");
      toastError(err);
    } finally {
      state.saving = false;
    }
  });

  const tz = state.timezone;
  return (
    <form
      class="card schedule-form"
      data-testid="schedule-form"
      preventdefault:submit
      onSubmit$={save}
      aria-label={props.schedule ? "Edit schedule" : "New schedule"}
    >
      <p class="card-title">{props.schedule ? `Edit “${props.schedule.name}”` : "New schedule"}</p>
      <div class="form-grid">
        <div class="field">
          <label for="sch-name">Name</label>
          <input
            id="sch-name"
            data-testid="schedule-name"
            value={state.name}
            maxLength={256}
            required
            onInput$={(_, el) => (state.name = el.value)}
          />
        </div>
        <div class="field">
          <label for="sch-kind">Runs</label>
          <select
            id="sch-kind"
            data-testid="schedule-kind"
            disabled={Boolean(props.schedule)}
            onChange$={(_, el) => (state.kind = el.value as ScheduleKind)}
          >
            <option value="benchmark" selected={state.kind === "benchmark"}>
              Speed benchmark
            </option>
            <option value="tool_eval" selected={state.kind === "tool_eval"}>
              Tool eval
            </option>
          </select>
        </div>
        {state.kind === "benchmark" ? (
          <>
            <div class="field field-wide">
              <label for="sch-prompt">Prompt</label>
              <textarea id="sch-prompt" rows={2} data-testid="schedule-prompt" value={state.prompt} onInput$={(_, el) => (state.prompt = el.value)} />
            </div>
            <div class="field">
              <label for="sch-runs">Runs per model</label>
              <input id="sch-runs" type="number" min={1} max={20} value={state.runs} onInput$={(_, el) => (state.runs = Number(el.value))} />
              <p class="field-hint">3 or more lets the alert test the raw samples (Mann–Whitney U).</p>
            </div>
          </>
        ) : (
          <div class="field">
            <label for="sch-suite">Suite</label>
            <select id="sch-suite" data-testid="schedule-suite" onChange$={(_, el) => (state.suiteId = el.value)}>
              {suites.value.map((s) => (
                <option key={s.id} value={s.id} selected={s.id === state.suiteId}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="sch-max-tokens">Max tokens</label>
          <input
            id="sch-max-tokens"
            type="number"
            min={1}
            max={128000}
            value={state.maxTokens}
            onInput$={(_, el) => (state.maxTokens = Number(el.value))}
          />
        </div>
      </div>

      <fieldset class="schedule-models" data-testid="schedule-models">
        <legend>Models</legend>
        {!models.value.length && <p class="muted small">No models yet: add them under Settings → Providers.</p>}
        {models.value.map((m) => {
          const key = `${m.provider_key}::${m.model_id}`;
          return (
            <label key={m.id} class="check-row">
              <input
                type="checkbox"
                data-testid={`schedule-model-${m.model_id}`}
                checked={state.models.includes(key)}
                onChange$={(_, el) => {
                  state.models = el.checked ? [...state.models, key] : state.models.filter((x) => x !== key);
                }}
              />
              <span>
                {m.display_name || m.model_id} <span class="muted small">{m.provider_key}</span>
              </span>
            </label>
          );
        })}
      </fieldset>

      <fieldset class="schedule-timing">
        <legend>When</legend>
        <div class="form-grid">
          <div class="field">
            <label for="sch-mode">Timing</label>
            <select id="sch-mode" data-testid="schedule-mode" onChange$={(_, el) => (state.mode = el.value as "interval" | "cron")}>
              <option value="interval" selected={state.mode === "interval"}>
                Interval
              </option>
              <option value="cron" selected={state.mode === "cron"}>
                Cron expression
              </option>
            </select>
          </div>
          {state.mode === "interval" ? (
            <div class="field">
              <label for="sch-interval">Interval</label>
              <select id="sch-interval" data-testid="schedule-interval" onChange$={(_, el) => (state.intervalHours = Number(el.value))}>
                {INTERVALS.map((i) => (
                  <option key={i.hours} value={i.hours} selected={i.hours === state.intervalHours}>
                    {i.label}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <>
              <div class="field">
                <label for="sch-cron">Cron (minute hour day month weekday)</label>
                <input id="sch-cron" class="mono" data-testid="schedule-cron" value={state.cron} onInput$={(_, el) => (state.cron = el.value)} />
              </div>
              <div class="field">
                <label for="sch-tz">Time zone (IANA)</label>
                <input
                  id="sch-tz"
                  class="mono"
                  data-testid="schedule-timezone"
                  value={state.timezone}
                  onInput$={(_, el) => (state.timezone = el.value)}
                />
              </div>
            </>
          )}
        </div>
        <div class="schedule-preview" data-testid="schedule-preview" aria-live="polite">
          {state.previewError ? (
            <p class="field-error">{state.previewError}</p>
          ) : (
            <>
              <p class="muted small">Next five runs{state.mode === "cron" ? ` (${tz})` : ""}:</p>
              <ol class="mono small">
                {state.preview.map((iso) => (
                  <li key={iso}>
                    {state.mode === "cron"
                      ? new Date(iso).toLocaleString(undefined, { timeZone: tz, dateStyle: "medium", timeStyle: "short" })
                      : new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}{" "}
                    <span class="muted">({iso.slice(0, 16).replace("T", " ")} UTC)</span>
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
      </fieldset>

      <fieldset class="schedule-alerts">
        <legend>Regression alerts</legend>
        <label class="check-row">
          <input
            type="checkbox"
            data-testid="schedule-alerts-enabled"
            checked={state.alertsEnabled}
            onChange$={(_, el) => (state.alertsEnabled = el.checked)}
          />
          <span>Compare each run with the median of the last runs and alert on a regression</span>
        </label>
        <p class="field-hint">
          An alert needs both: a change beyond your threshold, and outside the baseline's noise (Mann–Whitney U on the raw samples when a run has 3 or
          more, else the median/MAD band: robust z &gt; 3.5).
        </p>
        <div class="form-grid">
          <div class="field">
            <label for="sch-baseline">Baseline: last N runs</label>
            <input
              id="sch-baseline"
              type="number"
              min={3}
              max={50}
              value={state.baselineRuns}
              onInput$={(_, el) => (state.baselineRuns = Number(el.value))}
            />
          </div>
          <div class="field">
            <label for="sch-min-baseline">No alert before this many runs</label>
            <input
              id="sch-min-baseline"
              type="number"
              min={2}
              max={50}
              data-testid="schedule-min-baseline"
              value={state.minBaselineRuns}
              onInput$={(_, el) => (state.minBaselineRuns = Number(el.value))}
            />
          </div>
          {THRESHOLD_FIELDS.map((f) => (
            <div class="field" key={f.key}>
              <label for={`sch-th-${f.key}`}>
                {f.label} ({f.unit})
              </label>
              <input
                id={`sch-th-${f.key}`}
                type="number"
                min={1}
                data-testid={`schedule-threshold-${f.key}`}
                value={state.thresholds[f.key]}
                onInput$={(_, el) => (state.thresholds = { ...state.thresholds, [f.key]: Number(el.value) })}
              />
            </div>
          ))}
          <div class="field field-wide">
            <label for="sch-webhook">Webhook URL (optional)</label>
            <input
              id="sch-webhook"
              type="url"
              class="mono"
              data-testid="schedule-webhook"
              value={state.webhookUrl}
              onInput$={(_, el) => (state.webhookUrl = el.value)}
            />
            <p class="field-hint">JSON POST per alert, signed: X-Studio-Signature: t=…,v1=HMAC-SHA256(secret, "t.body"); retried with backoff.</p>
          </div>
          <div class="field">
            <label for="sch-secret">Signing secret</label>
            <input
              id="sch-secret"
              type="password"
              autoComplete="new-password"
              value={state.webhookSecret}
              placeholder={props.schedule?.alerts.webhook_secret_set ? "set (leave empty to keep)" : "generated when empty"}
              onInput$={(_, el) => (state.webhookSecret = el.value)}
            />
          </div>
        </div>
      </fieldset>

      {state.error && (
        <p class="field-error" role="alert" data-testid="schedule-form-error">
          {state.error}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" data-testid="schedule-save" disabled={state.saving}>
          {state.saving ? "Saving…" : props.schedule ? "Save changes" : "Create schedule"}
        </button>
        <button type="button" class="btn btn-ghost" onClick$={props.onCancel$}>
          Cancel
        </button>
      </div>
    </form>
  );
});
