// Prompt Tuner settings: suite, mode cards, meta-model, base prompt, population / generations / selection ratio /
// held-out share (checked inline; Run stays disabled while one is wrong), evaluation temperature and tool choice,
// the server's estimate of calls, tokens, cost and time, and Start.
import { $, component$, type PropFunction } from "@builder.io/qwik";
import type { SuiteListItem } from "~/lib/eval-types";
import { formatDuration, formatTokens, plural } from "~/lib/format";
import type { PromptTuneEstimate } from "~/lib/prompt-tune-types";
import type { ModelOption, ProviderOption } from "../benchmark/form-state";
import { modelKey } from "../benchmark/form-state";
import { SubmitAlert, TemperatureSlider } from "../benchmark/run-controls";
import { NumberField } from "../number-field";
import { TOOL_CHOICES } from "../tool-eval/eval-form";
import { MODES, PROMPT_TUNE_BOUNDS, type PromptTuneForm, promptTuneFormIssues } from "./prompt-tune-form";

export interface EstimateState {
  loading: boolean;
  data: PromptTuneEstimate | null;
  error: string;
}

export interface PromptTuneConfigCardProps {
  form: PromptTuneForm;
  suites: SuiteListItem[];
  providers: ProviderOption[];
  /** The selected targets in grid order. */
  models: ModelOption[];
  estimate: EstimateState;
  loading: boolean;
  busy: boolean;
  running: boolean;
  error: string;
  errorDetails: string[];
  onRun$: PropFunction<() => Promise<void>>;
}

const usd = (x: number) => (x === 0 ? "$0" : x < 0.01 ? `$${x.toPrecision(2)}` : `$${x.toFixed(2)}`);

export const PromptTuneConfigCard = component$<PromptTuneConfigCardProps>((props) => {
  const { form } = props;
  const suite = props.suites.find((s) => s.id === form.suiteId) ?? null;
  const issues = promptTuneFormIssues(form);
  const issueCount = Object.keys(issues).length;
  const quick = form.mode === "quick";
  const canRun =
    props.models.length > 0 && !!suite && suite.test_case_count > 0 && !!form.metaModel && issueCount === 0 && !props.busy && !props.running;
  const est = props.estimate;
  const setNumber = (field: "populationSize" | "generations" | "selectionRatio" | "holdoutFraction") =>
    $((_: Event, el: HTMLInputElement) => {
      form[field] = el.value;
    });

  return (
    <section class="card bench-config pt-config" aria-labelledby="pt-config-heading">
      <div class="card-head">
        <div>
          <h2 id="pt-config-heading" class="card-title">
            Configuration
          </h2>
          <p class="muted small">A meta-model writes system prompts; each one runs the suite on the selected target models.</p>
        </div>
      </div>

      <div class="field">
        <label for="pt-suite">Test suite</label>
        {props.loading ? (
          <span class="skeleton-row" aria-hidden="true" />
        ) : props.suites.length === 0 ? (
          <p class="muted small" data-testid="pt-no-suites">
            No suites yet. <a href="/tool-eval/">Create or import a suite</a> first.
          </p>
        ) : (
          <select id="pt-suite" data-testid="pt-suite-select" value={form.suiteId} onChange$={(_, el) => (form.suiteId = el.value)}>
            <option value="">Choose a suite…</option>
            {props.suites.map((s) => (
              <option key={s.id} value={s.id}>
                {`${s.name} — ${plural(s.tool_count, "tool")}, ${plural(s.test_case_count, "case")}`}
              </option>
            ))}
          </select>
        )}
        {suite && suite.test_case_count === 0 && <p class="field-error">This suite has no test cases yet.</p>}
      </div>

      <fieldset class="pt-modes">
        <legend class="label">Mode</legend>
        <div class="pt-mode-cards" role="radiogroup" aria-label="Mode">
          {MODES.map((m) => (
            <label key={m.value} class={`pt-mode-card${form.mode === m.value ? " is-on" : ""}`} data-testid={`pt-mode-card-${m.value}`}>
              <input
                type="radio"
                name="pt-mode"
                value={m.value}
                checked={form.mode === m.value}
                data-testid={`pt-mode-${m.value}`}
                onChange$={() => (form.mode = m.value)}
              />
              <span class="pt-mode-name text-strong">{m.label}</span>
              <span class="pt-mode-hint muted small">{m.hint}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <div class="field">
        <label for="pt-meta">Meta-model (writes the prompts)</label>
        {props.loading ? (
          <span class="skeleton-row" aria-hidden="true" />
        ) : (
          <select id="pt-meta" data-testid="pt-meta-model" value={form.metaModel} onChange$={(_, el) => (form.metaModel = el.value)}>
            <option value="">Choose a model…</option>
            {props.providers.map((p) => (
              <optgroup key={p.provider_key} label={p.display_name}>
                {p.models.map((m) => (
                  <option key={modelKey(m)} value={modelKey(m)}>
                    {m.display_name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
        <p class="field-hint">Any configured model; it is called once per generation (plus retries).</p>
      </div>

      <div class="field">
        <label for="pt-base">Base prompt</label>
        <textarea
          id="pt-base"
          rows={3}
          data-testid="pt-base-prompt"
          aria-invalid={issues.basePrompt ? "true" : undefined}
          value={form.basePrompt}
          onInput$={(_, el) => (form.basePrompt = el.value)}
        />
        <p class="field-hint">The prompt to improve on; every candidate is compared with it on the same cases.</p>
        {issues.basePrompt && (
          <p class="field-error" role="alert" data-testid="pt-base-prompt-error">
            {issues.basePrompt}
          </p>
        )}
      </div>

      <div class="config-row">
        <NumberField
          id="pt-population"
          label="Population size"
          value={form.populationSize}
          bounds={PROMPT_TUNE_BOUNDS.population_size}
          error={issues.populationSize ?? null}
          testId="pt-population"
          onInput$={setNumber("populationSize")}
        />
        <NumberField
          id="pt-generations"
          label={quick ? "Generations (quick: 1)" : "Generations"}
          value={quick ? "1" : form.generations}
          bounds={PROMPT_TUNE_BOUNDS.generations}
          disabled={quick}
          error={issues.generations ?? null}
          testId="pt-generations"
          onInput$={setNumber("generations")}
        />
      </div>
      <div class="config-row">
        <NumberField
          id="pt-selection"
          label="Selection ratio"
          value={form.selectionRatio}
          bounds={PROMPT_TUNE_BOUNDS.selection_ratio}
          step={0.05}
          error={issues.selectionRatio ?? null}
          testId="pt-selection-ratio"
          onInput$={setNumber("selectionRatio")}
        />
        <NumberField
          id="pt-holdout"
          label="Held-out share (optional)"
          value={form.holdoutFraction}
          bounds={PROMPT_TUNE_BOUNDS.holdout_fraction}
          step={0.05}
          error={issues.holdoutFraction ?? null}
          testId="pt-holdout"
          onInput$={setNumber("holdoutFraction")}
        />
      </div>

      <TemperatureSlider form={form} id="pt-temperature" testId="pt-temperature" />

      <div class="field">
        <label for="pt-tool-choice">Tool choice (evaluation calls)</label>
        <select
          id="pt-tool-choice"
          data-testid="pt-tool-choice"
          value={form.toolChoice}
          onChange$={(_, el) => (form.toolChoice = el.value as PromptTuneForm["toolChoice"])}
        >
          {TOOL_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        <p class="field-hint">{TOOL_CHOICES.find((c) => c.value === form.toolChoice)?.hint}</p>
      </div>

      <div class="pt-estimate" data-testid="pt-estimate" aria-live="polite" data-loading={est.loading ? "true" : "false"}>
        <p class="label">Estimate {est.loading && <span class="muted small">(updating…)</span>}</p>
        {est.error ? (
          <p class="field-error" data-testid="pt-estimate-error">
            {est.error}
          </p>
        ) : est.data ? (
          <>
            <dl class="pt-estimate-grid">
              <div>
                <dt class="muted small">API calls</dt>
                <dd data-testid="pt-estimate-calls">{est.data.total_api_calls.toLocaleString("en-US")}</dd>
              </div>
              <div>
                <dt class="muted small">Tokens (in / out)</dt>
                <dd>
                  {formatTokens(est.data.estimated_input_tokens)} / {formatTokens(est.data.estimated_output_tokens)}
                </dd>
              </div>
              <div>
                <dt class="muted small">Cost</dt>
                <dd data-testid="pt-estimate-cost">
                  {est.data.estimated_cost_usd === null ? "unknown price" : `≈ ${usd(est.data.estimated_cost_usd)}`}
                </dd>
              </div>
              <div>
                <dt class="muted small">Duration</dt>
                <dd>≈ {formatDuration(est.data.estimated_duration_s)}</dd>
              </div>
            </dl>
            <p class="field-hint">
              An estimate: {est.data.total_prompts} prompts, {est.data.total_prompt_generations} meta-model{" "}
              {est.data.total_prompt_generations === 1 ? "call" : "calls"}, {est.data.total_eval_calls.toLocaleString("en-US")} evaluation calls.{" "}
              <span title={est.data.basis}>How?</span>
            </p>
            {est.data.warning && (
              <p class="field-warning" role="status" data-testid="pt-estimate-warning">
                {est.data.warning}
              </p>
            )}
          </>
        ) : (
          <p class="muted small">Choose a suite to see the calls, tokens, cost and time.</p>
        )}
      </div>

      {props.error && <SubmitAlert error={props.error} details={props.errorDetails} testId="pt-run-error" />}

      <div class="run-bar">
        <p class="run-summary small" aria-live="polite">
          {props.models.length === 0 ? (
            "Select at least one target model."
          ) : !suite ? (
            "Choose a test suite."
          ) : !form.metaModel ? (
            "Choose a meta-model."
          ) : issueCount > 0 ? (
            <span class="text-danger" data-testid="pt-run-blocked">
              Fix the marked {issueCount === 1 ? "field" : "fields"} to run.
            </span>
          ) : (
            <>
              <strong>{quick ? "Quick tune" : "Evolutionary tune"}</strong>
              <span class="muted">{` · ${plural(props.models.length, "target model")} × ${plural(suite.test_case_count, "case")}`}</span>
            </>
          )}
        </p>
        <button type="button" class="btn btn-primary btn-lg btn-block" data-testid="run-prompt-tune" disabled={!canRun} onClick$={props.onRun$}>
          {props.busy ? "Starting…" : props.running ? "Tune running…" : "Start prompt tune"}
        </button>
      </div>
    </section>
  );
});
