// The probe's settings: the ladder (editable, with presets), closed or open loop (and its rate), how long each level
// is held, the SLO, the budget and the output length; the server's estimate of requests, tokens and cost (the budget
// preview) shows before Run, read again as the settings change.
import { $, component$, type PropFunction, useSignal, useVisibleTask$ } from "@builder.io/qwik";
import type { ModelOption } from "~/components/benchmark/form-state";
import { api } from "~/lib/api-client";
import { fmtCost } from "~/lib/bench-format";
import { type CapacityEstimate, DEFAULT_HOLD_REQUESTS, LADDER_PRESETS } from "~/lib/capacity-types";
import { describeError } from "~/lib/http";
import { type CapacityForm, type CapacityIssues, capacityIssues, capacityRequest, parseLevels } from "./capacity-form";

export interface CapacityConfigCardProps {
  form: CapacityForm;
  models: ModelOption[];
  busy: boolean;
  running: boolean;
  error: string;
  errorDetails: string[];
  onRun$: PropFunction<() => void>;
}

const Field = (props: {
  id: string;
  label: string;
  value: string;
  issue?: string;
  hint?: string;
  placeholder?: string;
  disabled: boolean;
  onInput$: PropFunction<(event: Event, el: HTMLInputElement) => void>;
}) => (
  <div class="field">
    <label for={props.id}>{props.label}</label>
    <input
      id={props.id}
      type="text"
      inputMode="decimal"
      value={props.value}
      placeholder={props.placeholder}
      disabled={props.disabled}
      aria-invalid={props.issue ? "true" : undefined}
      data-testid={props.id}
      onInput$={props.onInput$}
    />
    {props.hint && <p class="field-hint">{props.hint}</p>}
    {props.issue && (
      <p class="field-error" role="alert" data-testid={`${props.id}-error`}>
        {props.issue}
      </p>
    )}
  </div>
);

export const CapacityConfigCard = component$<CapacityConfigCardProps>((props) => {
  const form = props.form;
  const issues: CapacityIssues = capacityIssues(form);
  const issueCount = Object.keys(issues).length;
  const estimate = useSignal<CapacityEstimate | null>(null);
  const estimateError = useSignal("");
  const ladder = parseLevels(form.levels).levels;

  // The estimate is the server's (it knows the prompt, the tiers and the prices); read again 400 ms after a change.
  useVisibleTask$(({ track, cleanup }) => {
    const body = track(() => {
      const f = { ...form, selected: [...form.selected] };
      const targets = props.models.map((m) => ({ provider_key: m.provider_key, model_id: m.model_id }));
      return targets.length && !Object.keys(capacityIssues(f)).length ? JSON.stringify(capacityRequest(f, targets)) : "";
    });
    if (!body) {
      estimate.value = null;
      estimateError.value = "";
      return;
    }
    let stale = false;
    const timer = setTimeout(async () => {
      try {
        const res = await api.post<CapacityEstimate>("/api/capacity/estimate", JSON.parse(body));
        if (!stale) {
          estimate.value = res;
          estimateError.value = "";
        }
      } catch (err) {
        if (!stale) {
          estimate.value = null;
          estimateError.value = describeError(err).message;
        }
      }
    }, 400);
    cleanup(() => {
      stale = true;
      clearTimeout(timer);
    });
  });

  const canRun = props.models.length > 0 && issueCount === 0 && !props.busy && !props.running;

  return (
    <section class="card bench-config capacity-config" aria-labelledby="capacity-config-heading" data-testid="capacity-config">
      <div class="card-head">
        <h2 id="capacity-config-heading" class="card-title">
          Probe
        </h2>
      </div>

      <div class="field">
        <label for="capacity-levels">Concurrency ladder (requests in flight per level)</label>
        <input
          id="capacity-levels"
          type="text"
          value={form.levels}
          disabled={props.busy}
          aria-invalid={issues.levels ? "true" : undefined}
          data-testid="capacity-levels"
          onInput$={(_, el) => (form.levels = el.value)}
        />
        <fieldset class="capacity-presets" aria-label="Ladder presets">
          {LADDER_PRESETS.map((p) => (
            <button
              key={p.key}
              type="button"
              class={`btn btn-sm btn-ghost${form.levels === p.levels.join(", ") ? " is-on" : ""}`}
              data-testid={`capacity-preset-${p.key}`}
              disabled={props.busy}
              onClick$={() => (form.levels = p.levels.join(", "))}
            >
              {p.label}
            </button>
          ))}
        </fieldset>
        {issues.levels ? (
          <p class="field-error" role="alert" data-testid="capacity-levels-error">
            {issues.levels}
          </p>
        ) : (
          <p class="field-hint" data-testid="capacity-ladder">
            {ladder.length} levels: {ladder.join(" → ")} · 1–128, increasing, at most 12
          </p>
        )}
      </div>

      <fieldset class="te-choice">
        <legend class="label">Load</legend>
        <div class="te-segmented" role="radiogroup" aria-label="Loop">
          {(["closed", "open"] as const).map((loop) => (
            <label key={loop} class={`te-segment${form.loop === loop ? " is-on" : ""}`}>
              <input
                type="radio"
                name="capacity-loop"
                value={loop}
                checked={form.loop === loop}
                data-testid={`capacity-loop-${loop}`}
                onChange$={() => (form.loop = loop)}
              />
              {loop === "closed" ? "Closed loop" : "Open loop"}
            </label>
          ))}
        </div>
        <p class="field-hint">
          {form.loop === "closed"
            ? "N requests always in flight: each stream sends its next request as soon as its last one ends."
            : "Poisson arrivals: the rate below at the first level, scaled with the level (level L gets rate × L / first level)."}
        </p>
      </fieldset>

      <div class="config-row">
        {form.loop === "open" && (
          <Field
            id="capacity-rate"
            label="Arrivals per second (first level)"
            value={form.rate}
            issue={issues.rate}
            disabled={props.busy}
            onInput$={$((_: Event, el: HTMLInputElement) => {
              form.rate = el.value;
            })}
          />
        )}
        <div class="field">
          <label for="capacity-hold-kind">Hold each level for</label>
          <select
            id="capacity-hold-kind"
            data-testid="capacity-hold-kind"
            value={form.holdKind}
            disabled={props.busy}
            onChange$={(_, el) => {
              form.holdKind = el.value === "seconds" ? "seconds" : "requests";
              form.hold = form.holdKind === "seconds" ? "10" : String(DEFAULT_HOLD_REQUESTS);
            }}
          >
            <option value="requests">a number of requests</option>
            <option value="seconds">a number of seconds</option>
          </select>
        </div>
        <Field
          id="capacity-hold"
          label={form.holdKind === "requests" ? "Requests per level" : "Seconds per level"}
          value={form.hold}
          issue={issues.hold}
          hint={form.holdKind === "requests" ? "At least one per stream (rounded up to a multiple of the level)" : undefined}
          disabled={props.busy}
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.hold = el.value;
          })}
        />
      </div>

      <fieldset class="capacity-slo">
        <legend class="label">Service-level objective (goodput counts requests that meet both)</legend>
        <div class="config-row">
          <Field
            id="capacity-slo-ttft"
            label="TTFT at most (ms)"
            value={form.sloTtftMs}
            issue={issues.sloTtftMs}
            disabled={props.busy}
            onInput$={$((_: Event, el: HTMLInputElement) => {
              form.sloTtftMs = el.value;
            })}
          />
          <Field
            id="capacity-slo-itl"
            label="ITL p95 at most (ms)"
            value={form.sloItlP95Ms}
            issue={issues.sloItlP95Ms}
            disabled={props.busy}
            onInput$={$((_: Event, el: HTMLInputElement) => {
              form.sloItlP95Ms = el.value;
            })}
          />
        </div>
      </fieldset>

      <div class="config-row">
        <Field
          id="capacity-budget-tokens"
          label="Budget: max tokens"
          value={form.budgetTokens}
          placeholder="none"
          issue={issues.budgetTokens}
          disabled={props.busy}
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.budgetTokens = el.value;
          })}
        />
        <Field
          id="capacity-budget-cost"
          label="Budget: max cost ($)"
          value={form.budgetCostUsd}
          placeholder="none"
          issue={issues.budgetCostUsd}
          disabled={props.busy}
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.budgetCostUsd = el.value;
          })}
        />
        <Field
          id="capacity-max-tokens"
          label="Output tokens per request"
          value={form.maxTokens}
          issue={issues.maxTokens}
          disabled={props.busy}
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.maxTokens = el.value;
          })}
        />
      </div>

      {props.error && (
        <div class="field-error" role="alert" data-testid="capacity-run-error">
          <p>{props.error}</p>
          {props.errorDetails.length > 0 && (
            <ul>
              {props.errorDetails.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      <div class="run-bar">
        <div class="run-summary small" aria-live="polite">
          {props.models.length === 0 ? (
            "Select at least one model."
          ) : issueCount > 0 ? (
            <span class="text-danger" data-testid="capacity-run-blocked">
              Fix the marked {issueCount === 1 ? "field" : "fields"} to run.
            </span>
          ) : estimate.value ? (
            <p data-testid="capacity-estimate">
              Estimate (the budget preview): at most <strong>{estimate.value.requests.toLocaleString("en-US")} requests</strong> ·{" "}
              {estimate.value.input_tokens.toLocaleString("en-US")} input + {estimate.value.output_tokens.toLocaleString("en-US")} output tokens ·{" "}
              {estimate.value.cost_usd === null ? "cost unknown (a model has no price)" : `≈ ${fmtCost(estimate.value.cost_usd)}`}
              <span class="muted"> — a ladder that stops early sends fewer.</span>
            </p>
          ) : estimateError.value ? (
            <span class="text-danger" data-testid="capacity-estimate-error">
              {estimateError.value}
            </span>
          ) : (
            <span class="muted">Estimating…</span>
          )}
        </div>
        <button type="button" class="btn btn-primary btn-lg btn-block" data-testid="run-capacity" disabled={!canRun} onClick$={props.onRun$}>
          {props.busy ? "Starting…" : props.running ? "Probe running…" : "Run probe"}
        </button>
      </div>
    </section>
  );
});
