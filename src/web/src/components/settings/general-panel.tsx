// General settings: benchmark defaults and prompt templates; reloads on config_changed.
import { $, component$, useStore } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { confirmAction } from "~/lib/confirm";
import { formValue, parseOptionalNumber, slugify, splitList } from "~/lib/format";
import { showToast, toastError } from "~/lib/toast";
import type { BenchmarkDefaults, ConfigResponse, PromptTemplates } from "~/lib/types";
import { useLiveLoad } from "~/lib/use-live-load";
import { BENCHMARK_LIMITS } from "../../../../shared/request-limits.ts";
import { type FieldErrors, fieldErrorsFrom } from "./form-errors";

interface GeneralState {
  loading: boolean;
  error: string;
  defaults: BenchmarkDefaults | null;
  /** Bumped after each load so uncontrolled inputs re-render with fresh values. */
  version: number;
  prompts: { key: string; label: string; category: string; prompt: string }[];
  savingDefaults: boolean;
  defaultsErrors: FieldErrors;
  savingPrompt: boolean;
  promptErrors: FieldErrors;
  deleting: string | null;
}

export const GeneralPanel = component$(() => {
  const state = useStore<GeneralState>({
    loading: true,
    error: "",
    defaults: null,
    version: 0,
    prompts: [],
    savingDefaults: false,
    defaultsErrors: {},
    savingPrompt: false,
    promptErrors: {},
    deleting: null,
  });

  const load = useLiveLoad(
    state,
    ["settings", "prompts"],
    $(async () => {
      const [config, prompts] = await Promise.all([api.get<ConfigResponse>("/api/config"), api.get<PromptTemplates>("/api/config/prompts")]);
      state.defaults = { ...config.defaults, context_tiers: [...(config.defaults.context_tiers ?? [])] };
      state.prompts = Object.entries(prompts)
        .map(([key, t]) => ({ key, label: t.label || key, category: t.category || "general", prompt: t.prompt }))
        .sort((a, b) => a.category.localeCompare(b.category) || a.label.localeCompare(b.label));
      state.version++;
    }),
  );

  const saveDefaults = $(async (_: SubmitEvent, form: HTMLFormElement) => {
    const data = new FormData(form);
    const errors: FieldErrors = {};
    // The API's own bounds: a value it would refuse gets its message here, and nothing is sent.
    const maxTokens = parseOptionalNumber(data.get("max_tokens"), "Max output tokens", BENCHMARK_LIMITS.max_tokens);
    const temperature = parseOptionalNumber(data.get("temperature"), "Temperature", BENCHMARK_LIMITS.temperature);
    if (maxTokens.error || maxTokens.value === null) errors.max_tokens = maxTokens.error ?? "Max tokens is required.";
    if (temperature.error || temperature.value === null) {
      errors.temperature = temperature.error ?? "Temperature is required.";
    }
    const tiers = splitList(formValue(data, "context_tiers")).map(Number);
    const tierLimit = BENCHMARK_LIMITS.context_tier;
    if (tiers.length === 0 || tiers.some((t) => !Number.isInteger(t) || t < tierLimit.min || t > tierLimit.max)) {
      errors.context_tiers = `Use whole numbers of tokens from 0 to ${tierLimit.max.toLocaleString("en-US")}, separated by commas, e.g. 0, 1000, 5000.`;
    } else if (new Set(tiers).size > 16) errors.context_tiers = "Use at most 16 context tiers.";
    const prompt = String(data.get("prompt") ?? "").trim();
    if (!prompt) errors.prompt = "The default prompt can't be empty.";
    state.defaultsErrors = errors;
    if (Object.keys(errors).length) return;

    state.savingDefaults = true;
    try {
      const res = await api.put<{ defaults: BenchmarkDefaults }>("/api/config/defaults", {
        max_tokens: maxTokens.value,
        temperature: temperature.value,
        context_tiers: [...new Set(tiers)].sort((a, b) => a - b),
        prompt,
      });
      state.defaults = { ...res.defaults, context_tiers: [...res.defaults.context_tiers] };
      state.version++;
      showToast("success", "Benchmark defaults saved.");
    } catch (err) {
      state.defaultsErrors = fieldErrorsFrom(err);
      toastError(err);
    } finally {
      state.savingDefaults = false;
    }
  });

  const addPrompt = $(async (_: SubmitEvent, form: HTMLFormElement) => {
    const data = new FormData(form);
    const label = formValue(data, "label");
    const key = formValue(data, "key") || slugify(label);
    const prompt = String(data.get("prompt") ?? "").trim();
    const errors: FieldErrors = {};
    if (!key) errors.key = "Give the template a key or a label.";
    if (!prompt) errors.prompt = "Write the prompt text.";
    state.promptErrors = errors;
    if (Object.keys(errors).length) return;

    state.savingPrompt = true;
    try {
      await api.post("/api/config/prompts", {
        key,
        label: label || undefined,
        category: formValue(data, "category") || undefined,
        prompt,
      });
      form.reset();
      showToast("success", `Saved template “${label || key}”.`);
      await load();
    } catch (err) {
      state.promptErrors = fieldErrorsFrom(err);
      toastError(err);
    } finally {
      state.savingPrompt = false;
    }
  });

  const deletePrompt = $(async (key: string, label: string) => {
    const ok = await confirmAction({
      title: `Delete “${label}”?`,
      message: "The template is removed for you in every tab.",
      confirmLabel: "Delete template",
    });
    if (!ok) return;
    state.deleting = key;
    try {
      await api.del(`/api/config/prompts/${encodeURIComponent(key)}`);
      showToast("success", `Deleted “${label}”.`);
      await load();
    } catch (err) {
      toastError(err);
    } finally {
      state.deleting = null;
    }
  });

  const d = state.defaults;
  const de = state.defaultsErrors;
  const pe = state.promptErrors;

  return (
    <div class="settings-panel">
      <div class="panel-head">
        <div>
          <h2>General</h2>
          <p class="muted small">Defaults every new benchmark starts from, and your reusable prompts.</p>
        </div>
      </div>

      {state.error && (
        <div class="inline-error" role="alert">
          {state.error}{" "}
          <button type="button" class="link-btn" onClick$={load}>
            Retry
          </button>
        </div>
      )}

      <section class="card" aria-labelledby="defaults-title">
        <h3 id="defaults-title" class="card-title">
          Benchmark defaults
        </h3>
        {state.loading && !d ? (
          <div class="skeleton-list" role="status" aria-label="Loading defaults">
            <span class="skeleton-row" />
            <span class="skeleton-row" />
          </div>
        ) : (
          <form
            key={`defaults-${state.version}`}
            class="defaults-form"
            data-testid="defaults-form"
            noValidate
            preventdefault:submit
            onSubmit$={saveDefaults}
          >
            <div class="form-grid">
              <div class="field">
                <label for="defaults-max_tokens">Max output tokens</label>
                <input
                  id="defaults-max_tokens"
                  name="max_tokens"
                  type="number"
                  min={BENCHMARK_LIMITS.max_tokens.min}
                  max={BENCHMARK_LIMITS.max_tokens.max}
                  step={1}
                  inputMode="numeric"
                  value={d?.max_tokens ?? ""}
                  aria-describedby="defaults-max_tokens-hint"
                  aria-invalid={de.max_tokens ? "true" : undefined}
                  data-testid="defaults-max-tokens"
                />
                <p id="defaults-max_tokens-hint" class="field-hint">
                  1 – 128,000
                </p>
                {de.max_tokens && (
                  <p class="field-error" role="alert" data-testid="defaults-max-tokens-error">
                    {de.max_tokens}
                  </p>
                )}
              </div>
              <div class="field">
                <label for="defaults-temperature">Temperature</label>
                <input
                  id="defaults-temperature"
                  name="temperature"
                  type="number"
                  min={0}
                  max={2}
                  step={0.1}
                  inputMode="decimal"
                  value={d?.temperature ?? ""}
                  aria-describedby="defaults-temperature-hint"
                  aria-invalid={de.temperature ? "true" : undefined}
                />
                <p id="defaults-temperature-hint" class="field-hint">
                  0 – 2
                </p>
                {de.temperature && (
                  <p class="field-error" role="alert">
                    {de.temperature}
                  </p>
                )}
              </div>
              <div class="field field-wide">
                <label for="defaults-context_tiers">Context tiers</label>
                <input
                  id="defaults-context_tiers"
                  name="context_tiers"
                  type="text"
                  class="mono"
                  autoComplete="off"
                  value={d ? d.context_tiers.join(", ") : ""}
                  aria-describedby="defaults-context_tiers-hint"
                  aria-invalid={de.context_tiers ? "true" : undefined}
                />
                <p id="defaults-context_tiers-hint" class="field-hint">
                  Tokens of filler context added before the prompt, comma-separated (0 = prompt only).
                </p>
                {de.context_tiers && (
                  <p class="field-error" role="alert">
                    {de.context_tiers}
                  </p>
                )}
              </div>
            </div>
            <div class="field">
              <label for="defaults-prompt">Default prompt</label>
              <textarea id="defaults-prompt" name="prompt" rows={4} value={d?.prompt ?? ""} aria-invalid={de.prompt ? "true" : undefined} />
              {de.prompt && <p class="field-error">{de.prompt}</p>}
            </div>
            <div class="form-actions">
              <button type="submit" class="btn btn-primary btn-sm" disabled={state.savingDefaults}>
                {state.savingDefaults ? "Saving…" : "Save defaults"}
              </button>
            </div>
          </form>
        )}
      </section>

      <section class="card" aria-labelledby="prompts-title">
        <h3 id="prompts-title" class="card-title">
          Prompt templates
        </h3>
        <p class="muted small">Reusable prompts you can pick when starting a benchmark.</p>

        {!state.loading && state.prompts.length === 0 && !state.error && <p class="muted">No templates yet — add your first one below.</p>}
        <ul class="template-list">
          {state.prompts.map((t) => (
            <li key={t.key} class="template-item" data-testid={`prompt-${t.key}`}>
              <div class="template-head">
                <div>
                  <span class="cell-title">{t.label}</span> <span class="badge badge-outline">{t.category}</span>{" "}
                  <span class="muted small mono">{t.key}</span>
                </div>
                <button
                  type="button"
                  class="btn btn-danger-ghost btn-sm"
                  disabled={state.deleting === t.key}
                  data-testid={`prompt-delete-${t.key}`}
                  onClick$={() => deletePrompt(t.key, t.label)}
                >
                  {state.deleting === t.key ? "Deleting…" : "Delete"}
                </button>
              </div>
              <p class="template-text">{t.prompt}</p>
            </li>
          ))}
        </ul>

        <form class="template-form" data-testid="add-prompt-form" noValidate preventdefault:submit onSubmit$={addPrompt}>
          <h4 class="subheading">Add a template</h4>
          <div class="form-grid">
            <div class="field">
              <label for="prompt-label">Label</label>
              <input id="prompt-label" name="label" type="text" autoComplete="off" placeholder="e.g. Long summary" />
            </div>
            <div class="field">
              <label for="prompt-key">Key</label>
              <input
                id="prompt-key"
                name="key"
                type="text"
                class="mono"
                autoComplete="off"
                spellcheck={false}
                placeholder="auto from label"
                aria-invalid={pe.key ? "true" : undefined}
              />
              {pe.key && <p class="field-error">{pe.key}</p>}
            </div>
            <div class="field">
              <label for="prompt-category">Category</label>
              <input id="prompt-category" name="category" type="text" autoComplete="off" placeholder="general" />
            </div>
          </div>
          <div class="field">
            <label for="prompt-text">Prompt</label>
            <textarea id="prompt-text" name="prompt" rows={3} aria-invalid={pe.prompt ? "true" : undefined} />
            {pe.prompt && <p class="field-error">{pe.prompt}</p>}
          </div>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary btn-sm" disabled={state.savingPrompt}>
              {state.savingPrompt ? "Saving…" : "Add template"}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
});
