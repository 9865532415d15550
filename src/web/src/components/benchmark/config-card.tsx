// Benchmark settings: max tokens, temperature, runs, warm-up, unique prefix, timeout, context tiers, prompt + templates, Run.

import { $, component$, type PropFunction } from "@builder.io/qwik";
import { fmtTier } from "~/lib/bench-format";
import { plural } from "~/lib/format";
import { BENCHMARK_LIMITS } from "../../../../shared/request-limits.ts";
import { Badge } from "../badge";
import { NumberField } from "../number-field";
import { SwitchRow } from "../switch-row";
import { type BenchmarkForm, benchmarkFormIssues, CONTEXT_TIERS, LIMITS, type PromptTemplateOption, snapMaxTokens, typedNumber } from "./form-state";
import { ProviderParamsFields } from "./provider-params-fields";
import { SubmitAlert, TemperatureSlider } from "./run-controls";

export interface ConfigCardProps {
  form: BenchmarkForm;
  templates: PromptTemplateOption[];
  defaultPrompt: string;
  modelCount: number;
  busy: boolean;
  running: boolean;
  error: string;
  errorDetails: string[];
  onRun$: PropFunction<() => Promise<void>>;
}

export const ConfigCard = component$<ConfigCardProps>((props) => {
  const { form } = props;
  const stress = form.tiers.length > 1;
  const issues = benchmarkFormIssues(form);
  const invalid = Object.keys(issues).length > 0;
  const runs = typedNumber(form.runs);
  const requests = props.modelCount * form.tiers.length * runs;
  const warmups = form.warmup ? props.modelCount : 0;
  const canRun = props.modelCount > 0 && !invalid && !props.busy && !props.running;
  const requestsText = plural(requests, "request");
  const shapeText = ` · ${plural(props.modelCount, "model")} × ${plural(form.tiers.length, "tier")} × ${plural(runs, "run")}${warmups ? ` + ${warmups} warm-up` : ""}`;

  return (
    <section class="card bench-config" aria-labelledby="config-heading">
      <div class="card-head">
        <div>
          <h2 id="config-heading" class="card-title">
            Configuration
          </h2>
          <p class="muted small">Same prompt, every selected model, in parallel per provider.</p>
        </div>
        {stress && (
          <Badge tone="amber" testId="stress-badge" title="More than one context tier: each model is measured at every tier.">
            STRESS TEST MODE
          </Badge>
        )}
      </div>

      <div class="slider-field">
        <div class="slider-head">
          <label for="max-tokens">Max tokens</label>
          <output for="max-tokens" class="slider-value mono">
            {form.maxTokens}
          </output>
        </div>
        <input
          id="max-tokens"
          type="range"
          min={LIMITS.maxTokens.min}
          max={LIMITS.maxTokens.max}
          step={LIMITS.maxTokens.step}
          value={form.maxTokens}
          data-testid="max-tokens-input"
          onInput$={(_, el) => (form.maxTokens = snapMaxTokens(Number(el.value)))}
        />
      </div>

      <TemperatureSlider form={form} id="temperature" testId="temperature-input" />

      <div class="config-row">
        <NumberField
          id="runs"
          label="Runs per model"
          value={form.runs}
          bounds={BENCHMARK_LIMITS.runs}
          error={issues.runs ?? null}
          testId="runs-input"
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.runs = el.value;
          })}
        />
        <NumberField
          id="timeout"
          label="Timeout (s)"
          value={form.timeout}
          bounds={BENCHMARK_LIMITS.timeout}
          step={5}
          error={issues.timeout ?? null}
          testId="timeout-input"
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.timeout = el.value;
          })}
        />
      </div>

      <SwitchRow
        id="warmup"
        label="Warm-up request"
        hint="One unmeasured call per model first (cold starts, caches)."
        checked={form.warmup}
        testId="warmup-toggle"
        onChange$={$((_: Event, el: HTMLInputElement) => {
          form.warmup = el.checked;
        })}
      />

      <SwitchRow
        id="unique-prefix"
        label="Unique prompt prefix"
        hint="Each request starts with its own short [run …] line, so prefix caches cannot speed up repeats; turn off to measure the cache."
        checked={form.uniquePrefix}
        testId="unique-prefix-toggle"
        onChange$={$((_: Event, el: HTMLInputElement) => {
          form.uniquePrefix = el.checked;
        })}
      />

      <fieldset class="tier-field">
        <legend class="label">Context tiers</legend>
        <div class="tier-chips">
          {CONTEXT_TIERS.map((tier) => {
            const on = form.tiers.includes(tier);
            return (
              <button
                key={tier}
                type="button"
                class={`tier-chip${on ? " is-on" : ""}`}
                aria-pressed={on}
                data-testid={`tier-chip-${tier}`}
                title={tier === 0 ? "Prompt only, no filler context" : `${tier.toLocaleString("en-US")} tokens of filler context`}
                onClick$={() => {
                  if (on && form.tiers.length === 1) return; // keep at least one tier
                  form.tiers = on ? form.tiers.filter((t) => t !== tier) : [...form.tiers, tier].sort((a, b) => a - b);
                }}
              >
                {fmtTier(tier)}
              </button>
            );
          })}
        </div>
        <p class="field-hint">Filler tokens before the prompt. Tiers beyond a model's context window are skipped.</p>
      </fieldset>

      <div class="field">
        <div class="prompt-head">
          <label for="prompt">Prompt</label>
          <select
            aria-label="Prompt template"
            class="template-select"
            data-testid="prompt-template"
            value={form.templateKey}
            onChange$={(_, el) => {
              form.templateKey = el.value;
              if (el.value === "__default") form.prompt = props.defaultPrompt;
              const t = props.templates.find((x) => x.key === el.value);
              if (t) form.prompt = t.prompt;
            }}
          >
            <option value="">Templates…</option>
            <option value="__default">Default prompt</option>
            {props.templates.map((t) => (
              <option key={t.key} value={t.key}>
                {t.category ? `${t.label} · ${t.category}` : t.label}
              </option>
            ))}
          </select>
        </div>
        <textarea
          id="prompt"
          rows={4}
          value={form.prompt}
          placeholder={props.defaultPrompt}
          data-testid="prompt-input"
          onInput$={(_, el) => {
            form.prompt = el.value;
            form.templateKey = "";
          }}
        />
      </div>

      {props.error && <SubmitAlert error={props.error} details={props.errorDetails} testId="run-error" />}

      <ProviderParamsFields form={form} issues={issues} />

      <div class="run-bar">
        <p class="run-summary small" aria-live="polite">
          {props.modelCount === 0 ? (
            "Select at least one model."
          ) : invalid ? (
            <span class="text-danger" data-testid="run-blocked">
              Fix the marked {Object.keys(issues).length === 1 ? "field" : "fields"} to run.
            </span>
          ) : (
            <>
              <strong>{requestsText}</strong>
              <span class="muted">{shapeText}</span>
            </>
          )}
        </p>
        <button type="button" class="btn btn-primary btn-lg btn-block" data-testid="run-benchmark" disabled={!canRun} onClick$={props.onRun$}>
          {props.busy ? "Starting…" : props.running ? "Benchmark running…" : "Run benchmark"}
        </button>
      </div>
    </section>
  );
});
