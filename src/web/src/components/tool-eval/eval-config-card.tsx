// Evaluate settings: suite (tool/case counts), temperature, max tokens and timeout per call, tool choice, scorer,
// system prompts (global + per model), Start.
import { $, component$, type PropFunction } from "@builder.io/qwik";
import { Link } from "@builder.io/qwik-city";
import type { SuiteListItem } from "~/lib/eval-types";
import { plural } from "~/lib/format";
import { EVAL_LIMITS } from "../../../../shared/request-limits.ts";
import type { ModelOption } from "../benchmark/form-state";
import { SubmitAlert, TemperatureSlider } from "../benchmark/run-controls";
import { NumberField } from "../number-field";
import { type EvalForm, evalFormIssues, GLOBAL_PROMPT, SCORERS, TOOL_CHOICES } from "./eval-form";

export interface EvalConfigCardProps {
  form: EvalForm;
  suites: SuiteListItem[];
  /** The selected models in grid order (for the prompt tabs). */
  models: ModelOption[];
  loading: boolean;
  busy: boolean;
  running: boolean;
  error: string;
  errorDetails: string[];
  onRun$: PropFunction<() => Promise<void>>;
}

const tabId = (key: string) => (key === GLOBAL_PROMPT ? "prompt-tab-global" : `prompt-tab-${key.replace("::", "-")}`);

export const EvalConfigCard = component$<EvalConfigCardProps>((props) => {
  const { form } = props;
  const suite = props.suites.find((s) => s.id === form.suiteId) ?? null;
  const modelCount = props.models.length;
  const cases = suite?.test_case_count ?? 0;
  const issues = evalFormIssues(form);
  const invalid = Object.keys(issues).length > 0;
  const canRun = modelCount > 0 && !!suite && cases > 0 && !invalid && !props.busy && !props.running;
  const tabs = [
    { key: GLOBAL_PROMPT, label: "All models" },
    ...props.models.map((m) => ({ key: `${m.provider_key}::${m.model_id}`, label: m.display_name })),
  ];
  const activeTab = tabs.some((t) => t.key === form.promptTab) ? form.promptTab : GLOBAL_PROMPT;
  const customised = (key: string) => Boolean(form.prompts[key]?.trim());

  return (
    <section class="card bench-config" aria-labelledby="eval-config-heading">
      <div class="card-head">
        <div>
          <h2 id="eval-config-heading" class="card-title">
            Configuration
          </h2>
          <p class="muted small">Every case of the suite on every selected model, providers in parallel.</p>
        </div>
      </div>

      <div class="field">
        <label for="eval-suite">Test suite</label>
        {props.loading ? (
          <span class="skeleton-row" aria-hidden="true" />
        ) : props.suites.length === 0 ? (
          <p class="muted small" data-testid="eval-no-suites">
            No suites yet. <Link href="/tool-eval/">Create or import a suite</Link> first.
          </p>
        ) : (
          <select id="eval-suite" data-testid="suite-select" value={form.suiteId} onChange$={(_, el) => (form.suiteId = el.value)}>
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

      <TemperatureSlider form={form} id="eval-temperature" testId="eval-temperature-input" />

      <div class="config-row">
        <NumberField
          id="eval-max-tokens"
          label="Max tokens per call"
          value={form.maxTokens}
          bounds={EVAL_LIMITS.max_tokens}
          error={issues.maxTokens ?? null}
          testId="eval-max-tokens-input"
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.maxTokens = el.value;
          })}
        />
        <NumberField
          id="eval-timeout"
          label="Timeout per call (s)"
          value={form.timeout}
          bounds={EVAL_LIMITS.timeout}
          step={5}
          error={issues.timeout ?? null}
          testId="eval-timeout-input"
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.timeout = el.value;
          })}
        />
      </div>

      <fieldset class="te-choice">
        <legend class="label">Tool choice</legend>
        <div class="te-segmented" role="radiogroup" aria-label="Tool choice">
          {TOOL_CHOICES.map((c) => (
            <label key={c.value} class={`te-segment${form.toolChoice === c.value ? " is-on" : ""}`} title={c.hint}>
              <input
                type="radio"
                name="tool-choice"
                value={c.value}
                checked={form.toolChoice === c.value}
                data-testid={`tool-choice-${c.value}`}
                onChange$={() => (form.toolChoice = c.value)}
              />
              {c.label}
            </label>
          ))}
        </div>
        <p class="field-hint">{TOOL_CHOICES.find((c) => c.value === form.toolChoice)?.hint}</p>
        {suite && form.toolChoice === "required" && suite.no_call_case_count > 0 && (
          <p class="field-warning" role="status" data-testid="tool-choice-warning">
            {plural(suite.no_call_case_count, "case")} of this suite {suite.no_call_case_count === 1 ? "expects" : "expect"} no tool call, which
            “Required” forbids, so {suite.no_call_case_count === 1 ? "it" : "they"} will fail.{" "}
            <button type="button" class="link-btn" data-testid="tool-choice-use-auto" onClick$={() => (form.toolChoice = "auto")}>
              Use Auto
            </button>
          </p>
        )}
      </fieldset>

      {Object.keys(form.providerParams).length > 0 && (
        <p class="field-hint te-applied-params" data-testid="eval-provider-params">
          Provider parameters:{" "}
          <span class="mono">
            {Object.entries(form.providerParams)
              .map(([k, v]) => `${k} ${String(v)}`)
              .join(" · ")}
          </span>{" "}
          <button type="button" class="link-btn" data-testid="eval-provider-params-clear" onClick$={() => (form.providerParams = {})}>
            Clear
          </button>
        </p>
      )}

      <div class="field">
        <label for="eval-scorer">Scorer</label>
        <select
          id="eval-scorer"
          data-testid="scorer-select"
          value={form.scorer}
          onChange$={(_, el) => (form.scorer = el.value as EvalForm["scorer"])}
        >
          {SCORERS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <p class="field-hint">{SCORERS.find((s) => s.value === form.scorer)?.hint}</p>
      </div>

      <div class="field te-prompts">
        <span class="label" id="eval-prompts-label">
          System prompt
        </span>
        <div class="te-prompt-tabs" role="tablist" aria-labelledby="eval-prompts-label">
          {tabs.map((t) => (
            <button
              key={t.key}
              type="button"
              role="tab"
              class={`te-prompt-tab${activeTab === t.key ? " is-active" : ""}`}
              aria-selected={activeTab === t.key}
              data-testid={tabId(t.key)}
              onClick$={() => (form.promptTab = t.key)}
            >
              {t.label}
              {customised(t.key) && <span class="te-dot" role="img" aria-label="(set)" />}
            </button>
          ))}
        </div>
        <textarea
          rows={3}
          aria-label={`System prompt for ${tabs.find((t) => t.key === activeTab)?.label ?? "all models"}`}
          data-testid="system-prompt-input"
          placeholder={
            activeTab === GLOBAL_PROMPT
              ? "Optional: sent to every model without its own prompt (after the suite's prompt)"
              : "Optional: this model's prompt instead of the one for all models"
          }
          value={form.prompts[activeTab] ?? ""}
          onInput$={(_, el) => (form.prompts = { ...form.prompts, [activeTab]: el.value })}
        />
      </div>

      {props.error && <SubmitAlert error={props.error} details={props.errorDetails} testId="eval-run-error" />}

      <div class="run-bar">
        <p class="run-summary small" aria-live="polite">
          {modelCount === 0 ? (
            "Select at least one model."
          ) : !suite ? (
            "Choose a test suite."
          ) : invalid ? (
            <span class="text-danger" data-testid="eval-run-blocked">
              Fix the marked {Object.keys(issues).length === 1 ? "field" : "fields"} to run.
            </span>
          ) : (
            <>
              <strong>{plural(modelCount * cases, "case run")}</strong>
              <span class="muted">{` · ${plural(modelCount, "model")} × ${plural(cases, "case")}`}</span>
            </>
          )}
        </p>
        <button type="button" class="btn btn-primary btn-lg btn-block" data-testid="run-eval" disabled={!canRun} onClick$={props.onRun$}>
          {props.busy ? "Starting…" : props.running ? "Evaluation running…" : "Start evaluation"}
        </button>
      </div>
    </section>
  );
});
