// Param Tuner settings: suite, presets, the search space, strategy (grid / random n + seed / halving), repeats,
// budgets, held-out share, the baseline (the Evaluate settings), the compatibility matrix, the live combo count per
// model, the cost/time estimate, Run. Every bad value has its message beside it and keeps Run disabled.
import { $, component$, type PropFunction, useStore, useVisibleTask$ } from "@builder.io/qwik";
import type { SuiteListItem } from "~/lib/eval-types";
import { plural } from "~/lib/format";
import {
  type Baseline,
  BUILT_IN_PRESETS,
  deletePreset,
  ESTIMATE_ASSUMPTIONS,
  estimateTune,
  loadPresets,
  MAX_PRESETS,
  planTune,
  type SpacePreset,
  sanitizeSpaceForm,
  savePreset,
  spaceFromForm,
} from "~/lib/tune-space";
import { MAX_GRID_COMBOS } from "../../../../shared/tuning/search-space.ts";
import type { ModelOption } from "../benchmark/form-state";
import { SubmitAlert } from "../benchmark/run-controls";
import { NumberField } from "../number-field";
import { CompatMatrix } from "./compat-matrix";
import { SpaceBuilder } from "./space-builder";
import { STRATEGIES, type TuneForm, tuneFormIssues } from "./tune-form";

export interface ModelFacts {
  skip: string[];
  input: number | null;
  output: number | null;
}

export interface TuneConfigCardProps {
  form: TuneForm;
  suites: SuiteListItem[];
  models: ModelOption[];
  /** Per "provider_key::model_id": skip_params and the user's prices (the catalogue the app loads). */
  facts: Record<string, ModelFacts>;
  baseline: Baseline;
  scorer: string;
  /** The account's presets (Settings → Defaults). */
  accountPresets: SpacePreset[];
  /** Notes on the account defaults the form started from (presets it could not take in full). */
  defaultsNotes: string[];
  loading: boolean;
  busy: boolean;
  running: boolean;
  error: string;
  errorDetails: string[];
  onRun$: PropFunction<() => Promise<void>>;
}

function fmtSeconds(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function fmtUsd(x: number): string {
  return x === 0 ? "$0" : x < 0.01 ? `$${x.toPrecision(2)}` : `$${x.toFixed(2)}`;
}

const OptionalNumber = (props: {
  id: string;
  label: string;
  value: string;
  placeholder: string;
  error?: string;
  testId: string;
  onInput$: PropFunction<(e: Event, el: HTMLInputElement) => void>;
}) => (
  <div class="field">
    <label for={props.id}>{props.label}</label>
    <input
      id={props.id}
      type="number"
      step="any"
      value={props.value}
      placeholder={props.placeholder}
      aria-invalid={props.error ? "true" : undefined}
      data-testid={props.testId}
      onInput$={props.onInput$}
    />
    {props.error && (
      <p class="field-error" role="alert" data-testid={`${props.testId}-error`}>
        {props.error}
      </p>
    )}
  </div>
);

export const TuneConfigCard = component$<TuneConfigCardProps>((props) => {
  const { form } = props;
  const presets = useStore({ saved: [] as SpacePreset[], chosen: "", name: "", error: "" });
  useVisibleTask$(
    () => {
      presets.saved = loadPresets();
    },
    { strategy: "document-ready" },
  );

  const suite = props.suites.find((s) => s.id === form.suiteId) ?? null;
  const cases = suite?.test_case_count ?? 0;
  const { fields, space: spaceIssues } = tuneFormIssues(form);
  const issueCount = Object.keys(fields).length + Object.keys(spaceIssues).length;
  const space = spaceFromForm(form.space).space;
  const holdoutPct = Number(form.holdoutPct);
  const plans =
    issueCount === 0 && cases > 0
      ? planTune({
          space,
          strategy: form.strategy,
          nTrials: Number(form.nTrials),
          repeats: Number(form.repeats),
          holdoutFraction: holdoutPct / 100,
          cases,
          baseline: props.baseline,
          models: props.models,
        })
      : [];
  const overCap = plans.some((p) => p.overCap);
  const estimate = plans.length
    ? estimateTune(plans, suite?.tool_count ?? 0, (m) => {
        const f = props.facts[`${m.provider_key}::${m.model_id}`];
        return { input: f?.input ?? null, output: f?.output ?? null };
      })
    : null;
  const canRun = props.models.length > 0 && !!suite && cases > 0 && issueCount === 0 && !overCap && !props.busy && !props.running;
  const allPresets = [...BUILT_IN_PRESETS, ...props.accountPresets, ...presets.saved];
  const chosenPreset = allPresets.find((p) => p.name === presets.chosen) ?? null;
  const chosenIsAccount = chosenPreset !== null && props.accountPresets.includes(chosenPreset);
  const skipParams = Object.fromEntries(Object.entries(props.facts).map(([k, f]) => [k, f.skip]));
  const baselineText = [
    `temperature ${props.baseline.temperature}`,
    `tool_choice ${props.baseline.tool_choice}`,
    ...Object.entries(props.baseline.provider_params).map(([k, v]) => `${k} ${String(v)}`),
  ].join(" · ");

  const loadPreset = $(() => {
    const p = [...BUILT_IN_PRESETS, ...props.accountPresets, ...presets.saved].find((x) => x.name === presets.chosen);
    if (!p) {
      presets.error = "Choose a preset to load";
      return;
    }
    form.space = sanitizeSpaceForm(JSON.parse(JSON.stringify(p.form)));
    presets.error = "";
  });
  const save = $(() => {
    const res = savePreset(presets.name, JSON.parse(JSON.stringify(form.space)));
    presets.saved = res.presets;
    presets.error = res.error;
    if (!res.error) {
      presets.chosen = presets.name.trim();
      presets.name = "";
    }
  });
  const remove = $(() => {
    presets.saved = deletePreset(presets.chosen);
    presets.chosen = "";
    presets.error = "";
  });

  return (
    <section class="card bench-config" aria-labelledby="tune-config-heading">
      <div class="card-head">
        <div>
          <h2 id="tune-config-heading" class="card-title">
            Configuration
          </h2>
          <p class="muted small">Each combo of the space runs the suite's cases; the statistics say whether the best is really better.</p>
        </div>
      </div>

      <div class="field">
        <label for="tune-suite">Test suite</label>
        {props.loading ? (
          <span class="skeleton-row" aria-hidden="true" />
        ) : props.suites.length === 0 ? (
          <p class="muted small" data-testid="tune-no-suites">
            No suites yet. <a href="/tool-eval/">Create or import a suite</a> first.
          </p>
        ) : (
          <select id="tune-suite" data-testid="tune-suite-select" value={form.suiteId} onChange$={(_, el) => (form.suiteId = el.value)}>
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

      <div class="field tune-presets" data-testid="tune-presets">
        <span class="label">Presets</span>
        <div class="tune-preset-row">
          <select aria-label="Preset" data-testid="tune-preset-select" value={presets.chosen} onChange$={(_, el) => (presets.chosen = el.value)}>
            <option value="">Choose a preset…</option>
            <optgroup label="Built-in">
              {BUILT_IN_PRESETS.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </optgroup>
            {props.accountPresets.length > 0 && (
              <optgroup label="Account (Settings → Defaults)">
                {props.accountPresets.map((p) => (
                  <option key={`account:${p.name}`} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
            )}
            {presets.saved.length > 0 && (
              <optgroup label="Yours">
                {presets.saved.map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
          <button type="button" class="btn btn-sm" data-testid="tune-preset-load" disabled={!presets.chosen} onClick$={loadPreset}>
            Load
          </button>
          <button
            type="button"
            class="btn btn-sm btn-danger-ghost"
            data-testid="tune-preset-delete"
            disabled={!chosenPreset || chosenPreset.builtIn || chosenIsAccount}
            onClick$={remove}
          >
            Delete
          </button>
        </div>
        {chosenPreset?.note && <p class="field-hint">{chosenPreset.note}</p>}
        {chosenIsAccount && <p class="field-hint">Saved on your account: change or delete it in Settings → Defaults.</p>}
        {props.defaultsNotes.map((n) => (
          <p key={n} class="field-hint" data-testid="tune-defaults-note">
            {n}
          </p>
        ))}
        <div class="tune-preset-row">
          <input
            type="text"
            maxLength={80}
            placeholder="Name this search space"
            aria-label="Preset name"
            value={presets.name}
            data-testid="tune-preset-name"
            onInput$={(_, el) => (presets.name = el.value)}
          />
          <button type="button" class="btn btn-sm" data-testid="tune-preset-save" onClick$={save}>
            Save preset
          </button>
        </div>
        <p class="field-hint">
          {presets.saved.length}/{MAX_PRESETS} saved in this browser
        </p>
        {presets.error && (
          <p class="field-error" role="alert" data-testid="tune-preset-error">
            {presets.error}
          </p>
        )}
      </div>

      <SpaceBuilder space={form.space} issues={spaceIssues} disabled={props.busy} />

      <fieldset class="te-choice">
        <legend class="label">Strategy</legend>
        <div class="te-segmented" role="radiogroup" aria-label="Strategy">
          {STRATEGIES.map((s) => (
            <label key={s.value} class={`te-segment${form.strategy === s.value ? " is-on" : ""}`} title={s.hint}>
              <input
                type="radio"
                name="tune-strategy"
                value={s.value}
                checked={form.strategy === s.value}
                data-testid={`tune-strategy-${s.value}`}
                onChange$={() => (form.strategy = s.value)}
              />
              {s.label}
            </label>
          ))}
        </div>
        <p class="field-hint">{STRATEGIES.find((s) => s.value === form.strategy)?.hint}</p>
      </fieldset>

      <div class="config-row">
        {form.strategy === "random" && (
          <NumberField
            id="tune-n-trials"
            label="n trials (combos drawn)"
            value={form.nTrials}
            bounds={{ min: 1, max: 500, integer: true }}
            error={fields.nTrials ?? null}
            testId="tune-n-trials"
            onInput$={$((_: Event, el: HTMLInputElement) => {
              form.nTrials = el.value;
            })}
          />
        )}
        <OptionalNumber
          id="tune-seed"
          label="Seed (optional)"
          value={form.seed}
          placeholder="picked for you"
          error={fields.seed}
          testId="tune-seed"
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.seed = el.value;
          })}
        />
        <NumberField
          id="tune-repeats"
          label="Repeats per combo"
          value={form.repeats}
          bounds={{ min: 1, max: 5, integer: true }}
          error={fields.repeats ?? null}
          testId="tune-repeats"
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.repeats = el.value;
          })}
        />
      </div>

      <div class="config-row">
        <OptionalNumber
          id="tune-max-latency"
          label="Budget: max p50 latency (ms)"
          value={form.maxLatencyMs}
          placeholder="none"
          error={fields.maxLatencyMs}
          testId="tune-max-latency"
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.maxLatencyMs = el.value;
          })}
        />
        <OptionalNumber
          id="tune-max-cost"
          label="Budget: max cost per case ($)"
          value={form.maxCostPerCase}
          placeholder="none"
          error={fields.maxCostPerCase}
          testId="tune-max-cost"
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.maxCostPerCase = el.value;
          })}
        />
        <NumberField
          id="tune-holdout"
          label="Held-out cases (%)"
          value={form.holdoutPct}
          bounds={{ min: 0, max: 50, integer: false }}
          error={fields.holdoutPct ?? null}
          testId="tune-holdout"
          onInput$={$((_: Event, el: HTMLInputElement) => {
            form.holdoutPct = el.value;
          })}
        />
      </div>

      <p class="field-hint tune-baseline" data-testid="tune-baseline">
        Baseline (your <a href="/tool-eval/evaluate/">Evaluate</a> settings, {props.scorer} scorer): <span class="mono">{baselineText}</span>. Every
        combo is compared with it on the same cases.
      </p>

      <CompatMatrix models={props.models} space={space} skipParams={skipParams} />

      {props.error && <SubmitAlert error={props.error} details={props.errorDetails} testId="tune-run-error" />}

      <div class="run-bar">
        <div class="run-summary small" aria-live="polite" data-testid="tune-combo-count">
          {props.models.length === 0 ? (
            "Select at least one model."
          ) : !suite ? (
            "Choose a test suite."
          ) : issueCount > 0 ? (
            <span class="text-danger" data-testid="tune-run-blocked">
              Fix the marked {issueCount === 1 ? "field" : "fields"} to run.
            </span>
          ) : (
            <>
              <ul class="tune-plan-list">
                {plans.map((p) => (
                  <li key={`${p.provider_key}::${p.model_id}`} data-testid={`tune-combos-${p.model_id}`}>
                    <span class="mono">{p.model_id}</span>: <strong>{plural(p.combos, "combo")}</strong>
                    {p.merged > 0 && <span class="muted"> ({p.merged} merged after the provider's limits)</span>}
                    {form.strategy === "random" && p.expanded > p.combos - 1 && (
                      <span class="muted"> (drawn from {p.expanded.toLocaleString("en-US")})</span>
                    )}
                    <span class="muted"> · {plural(p.trials, "call")}</span>
                  </li>
                ))}
              </ul>
              {overCap && (
                <p class="field-error" role="alert" data-testid="tune-cap-warning">
                  This space has {plans[0]!.expanded.toLocaleString("en-US")} combos, over the grid limit of {MAX_GRID_COMBOS.toLocaleString("en-US")}
                  .{" "}
                  <button type="button" class="link-btn" data-testid="tune-use-halving" onClick$={() => (form.strategy = "halving")}>
                    Use halving
                  </button>{" "}
                  (or random with n trials), or narrow it.
                </p>
              )}
              {estimate && !overCap && (
                <p
                  class="muted"
                  data-testid="tune-estimate"
                  title={`Assumes ~${estimate.inputTokensPerCall} input and ~${ESTIMATE_ASSUMPTIONS.outputTokens} output tokens and ~${ESTIMATE_ASSUMPTIONS.secondsPerCall} s a call`}
                >
                  Estimate: {plural(estimate.trials, "call")} ·{" "}
                  {estimate.costUsd === null ? `cost unknown (no price for ${estimate.unpriced.join(", ")})` : `≈ ${fmtUsd(estimate.costUsd)}`} · ≈{" "}
                  {fmtSeconds(estimate.seconds)} (assumes ~{estimate.inputTokensPerCall} input + {ESTIMATE_ASSUMPTIONS.outputTokens} output tokens and
                  ~{ESTIMATE_ASSUMPTIONS.secondsPerCall} s a call; providers in parallel)
                </p>
              )}
            </>
          )}
        </div>
        <button type="button" class="btn btn-primary btn-lg btn-block" data-testid="run-tune" disabled={!canRun} onClick$={props.onRun$}>
          {props.busy ? "Starting…" : props.running ? "Tune running…" : "Start tuning"}
        </button>
      </div>
    </section>
  );
});
