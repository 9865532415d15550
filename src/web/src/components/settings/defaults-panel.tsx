// Settings → Defaults: the judge, param tuner and prompt tuner defaults saved on the account (GET/PUT
// /api/settings/phase10), which prefill those tools' forms; no request reads them. Each section is checked as it is
// typed against the shared schemas' limits (lib/feature-defaults.ts), saved on its own (PUT merges one section, so the
// others keep what is saved), and says "Saved" or shows the server's refusal. "Reset to defaults" fills a section's
// form with the server's defaults, to save or leave. Saved search-space presets are listed and can be deleted.
import { $, component$, useStore } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { confirmAction } from "~/lib/confirm";
import {
  boundsHint,
  CUSTOM_INSTRUCTIONS_MAX,
  type FeatureSettings,
  JUDGE_MODE_LABELS,
  JUDGE_MODES,
  type JudgeFields,
  judgeFields,
  judgePatch,
  PARAM_TUNER_LABELS,
  PARAM_TUNER_SHAPE,
  type ParamTunerField,
  type ParamTunerFields,
  PROMPT_MODE_LABELS,
  PROMPT_TUNE_MODES,
  PROMPT_TUNER_LABELS,
  PROMPT_TUNER_SHAPE,
  type PromptTunerFields,
  type PromptTunerNumber,
  paramTunerFields,
  paramTunerPatch,
  promptTunerFields,
  promptTunerPatch,
  RESET_FIELDS,
  type SavedPreset,
  schemaBounds,
} from "~/lib/feature-defaults";
import { describeError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";
import { describeSearchSpace } from "~/lib/tuner-defaults";
import { useLiveLoad } from "~/lib/use-live-load";
import { NumberField } from "../number-field";
import { freshSectionUi, issueOf, SectionFooter, type SectionKey, type SectionUi } from "./defaults-section";
import { fieldErrorsFrom } from "./form-errors";

interface ModelItem {
  provider_key: string;
  model_id: string;
  display_name: string | null;
}

interface DefaultsState {
  loading: boolean;
  error: string;
  /** The forms show only once the saved values are in: a form of defaults could be saved over them unseen. */
  loaded: boolean;
  models: ModelItem[];
  judge: JudgeFields;
  paramTuner: ParamTunerFields;
  promptTuner: PromptTunerFields;
  presets: SavedPreset[];
  deletingPreset: string;
  ui: Record<SectionKey, SectionUi>;
}

const TITLES: Record<SectionKey, string> = { judge: "judge defaults", param_tuner: "param tuner defaults", prompt_tuner: "prompt tuner defaults" };
const RANGE_ROWS: { title: string; keys: ParamTunerField[] }[] = [
  { title: "Temperature range", keys: ["temp_min", "temp_max", "temp_step"] },
  { title: "top_p range", keys: ["top_p_min", "top_p_max", "top_p_step"] },
];
const PROMPT_NUMBERS: { key: PromptTunerNumber; hint: string }[] = [
  { key: "population_size", hint: "Prompts per generation" },
  { key: "generations", hint: "Evolutionary mode only" },
  { key: "max_api_calls", hint: "Your call budget per run" },
];

export const DefaultsPanel = component$(() => {
  const state = useStore<DefaultsState>({
    loading: true,
    error: "",
    loaded: false,
    models: [],
    judge: RESET_FIELDS.judge(),
    paramTuner: RESET_FIELDS.param_tuner(),
    promptTuner: RESET_FIELDS.prompt_tuner(),
    presets: [],
    deletingPreset: "",
    ui: { judge: freshSectionUi(), param_tuner: freshSectionUi(), prompt_tuner: freshSectionUi() },
  });

  const load = useLiveLoad(
    state,
    ["settings", "models", "providers"],
    $(async () => {
      const [settings, m] = await Promise.all([
        api.get<FeatureSettings>("/api/settings/phase10"),
        api.get<{ models: ModelItem[] }>("/api/v2/models"),
      ]);
      state.models = m.models;
      state.presets = settings.param_tuner.presets;
      // A section being edited keeps what the user typed; the others show what is saved now.
      if (!state.ui.judge.dirty) state.judge = judgeFields(settings.judge, m.models);
      if (!state.ui.param_tuner.dirty) state.paramTuner = paramTunerFields(settings.param_tuner);
      if (!state.ui.prompt_tuner.dirty) state.promptTuner = promptTunerFields(settings.prompt_tuner);
      state.loaded = true;
    }),
  );

  /** Any edit: the section's "Saved" and the server's last refusal no longer describe the form. */
  const edited = $((section: SectionKey) => {
    const ui = state.ui[section];
    ui.dirty = true;
    ui.status = "";
    ui.error = "";
    ui.details = [];
    ui.serverIssues = {};
  });

  const save = $(async (section: SectionKey) => {
    const ui = state.ui[section];
    const { patch } =
      section === "judge"
        ? judgePatch(state.judge)
        : section === "param_tuner"
          ? paramTunerPatch(state.paramTuner)
          : promptTunerPatch(state.promptTuner);
    ui.status = "";
    ui.details = [];
    ui.serverIssues = {};
    if (!patch) {
      ui.error = "Nothing was saved: correct the marked fields first.";
      return;
    }
    ui.error = "";
    ui.saving = true;
    try {
      await api.put("/api/settings/phase10", { [section]: patch });
      ui.dirty = false;
      ui.status = "Saved.";
      showToast("success", `Saved the ${TITLES[section]}.`);
    } catch (err) {
      const { message, details } = describeError(err);
      ui.error = `Not saved: ${message}`;
      ui.details = details;
      ui.serverIssues = fieldErrorsFrom(err);
    } finally {
      ui.saving = false;
    }
  });

  const reset = $((section: SectionKey) => {
    if (section === "judge") state.judge = RESET_FIELDS.judge();
    else if (section === "param_tuner") state.paramTuner = RESET_FIELDS.param_tuner();
    else state.promptTuner = RESET_FIELDS.prompt_tuner();
    const ui = state.ui[section];
    ui.dirty = true;
    ui.error = "";
    ui.details = [];
    ui.serverIssues = {};
    ui.status = "Defaults filled in: save to keep them.";
  });

  const deletePreset = $(async (name: string) => {
    const ok = await confirmAction({
      title: `Delete preset “${name}”?`,
      message: "The search space is removed from your account.",
      confirmLabel: "Delete preset",
    });
    if (!ok) return;
    state.deletingPreset = name;
    try {
      const presets = state.presets.filter((p) => p.name !== name);
      // PUT merges the section: only the preset list changes, the ranges being edited above stay unsaved.
      await api.put("/api/settings/phase10", { param_tuner: { presets } });
      state.presets = presets;
      showToast("success", `Deleted preset “${name}”.`);
    } catch (err) {
      toastError(err);
    } finally {
      state.deletingPreset = "";
    }
  });

  const j = state.judge;
  const pt = state.paramTuner;
  const pr = state.promptTuner;
  const judgeIssues = judgePatch(j).issues;
  const paramIssues = paramTunerPatch(pt).issues;
  const promptIssues = promptTunerPatch(pr).issues;
  const keyOf = (m: ModelItem) => `${m.provider_key}::${m.model_id}`;
  const judgeMissing = j.model_id !== "" && !state.models.some((m) => keyOf(m) === j.model_id);

  return (
    <div class="settings-panel" data-testid="defaults-panel">
      <div class="panel-head">
        <div>
          <h2>Defaults</h2>
          <p class="muted small">
            What the Judge, Param Tuner and Prompt Tuner forms start from. A run always uses what its form sends: changing these never changes a run.
          </p>
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

      {!state.loaded ? (
        !state.error && (
          <div class="skeleton-list" role="status" aria-label="Loading defaults">
            <span class="skeleton-row" />
            <span class="skeleton-row" />
          </div>
        )
      ) : (
        <>
          <section class="card" aria-labelledby="judge-defaults-title">
            <h3 id="judge-defaults-title" class="card-title">
              Judge
            </h3>
            <form data-testid="defaults-judge-form" noValidate preventdefault:submit onSubmit$={() => save("judge")}>
              <div class="form-grid">
                <div class="field">
                  <label for="defaults-judge-model">Default judge model</label>
                  <select
                    id="defaults-judge-model"
                    data-testid="defaults-judge-model"
                    aria-invalid={issueOf(judgeIssues, state.ui.judge, "model_id") ? "true" : undefined}
                    onChange$={(_, el) => {
                      state.judge.model_id = el.value;
                      return edited("judge");
                    }}
                  >
                    <option value="" selected={j.model_id === ""}>
                      None: the Judge page picks one
                    </option>
                    {state.models.map((m) => (
                      <option key={keyOf(m)} value={keyOf(m)} selected={keyOf(m) === j.model_id}>
                        {`${m.display_name || m.model_id} (${m.provider_key})`}
                      </option>
                    ))}
                    {judgeMissing && (
                      <option value={j.model_id} selected>
                        {`${j.model_id} (not among your models)`}
                      </option>
                    )}
                  </select>
                  {judgeMissing ? (
                    <p class="field-warning" data-testid="defaults-judge-model-missing">
                      This model is no longer among your models: the Judge page picks another until you choose one here.
                    </p>
                  ) : (
                    <p class="field-hint">Preselected on the Judge page.</p>
                  )}
                  {issueOf(judgeIssues, state.ui.judge, "model_id") && (
                    <p class="field-error" role="alert">
                      {issueOf(judgeIssues, state.ui.judge, "model_id")}
                    </p>
                  )}
                </div>
                <div class="field">
                  <label for="defaults-judge-mode">Mode</label>
                  <select
                    id="defaults-judge-mode"
                    data-testid="defaults-judge-mode"
                    onChange$={(_, el) => {
                      state.judge.mode = el.value as JudgeFields["mode"];
                      return edited("judge");
                    }}
                  >
                    {JUDGE_MODES.map((mode) => (
                      <option key={mode} value={mode} selected={mode === j.mode}>
                        {JUDGE_MODE_LABELS[mode]}
                      </option>
                    ))}
                  </select>
                  <p class="field-hint">Live inline is switched on per eval on Evaluate (Auto-judge).</p>
                </div>
              </div>
              <div class="field">
                <label for="defaults-judge-instructions">Custom instructions</label>
                <textarea
                  id="defaults-judge-instructions"
                  rows={3}
                  maxLength={CUSTOM_INSTRUCTIONS_MAX}
                  value={j.custom_instructions}
                  aria-invalid={issueOf(judgeIssues, state.ui.judge, "custom_instructions") ? "true" : undefined}
                  data-testid="defaults-judge-instructions"
                  onInput$={(_, el) => {
                    state.judge.custom_instructions = el.value;
                    return edited("judge");
                  }}
                />
                <p class="field-hint">Added to every judge prompt; up to {CUSTOM_INSTRUCTIONS_MAX.toLocaleString("en-US")} characters.</p>
                {issueOf(judgeIssues, state.ui.judge, "custom_instructions") && (
                  <p class="field-error" role="alert" data-testid="defaults-judge-instructions-error">
                    {issueOf(judgeIssues, state.ui.judge, "custom_instructions")}
                  </p>
                )}
              </div>
              <SectionFooter section="judge" label="judge defaults" ui={state.ui.judge} onReset$={reset} />
            </form>
          </section>

          <section class="card" aria-labelledby="param-defaults-title">
            <h3 id="param-defaults-title" class="card-title">
              Param Tuner
            </h3>
            <form data-testid="defaults-param_tuner-form" noValidate preventdefault:submit onSubmit$={() => save("param_tuner")}>
              {RANGE_ROWS.map((row) => (
                <fieldset key={row.title} class="defaults-range">
                  <legend>{row.title}</legend>
                  <div class="form-grid">
                    {row.keys.map((key) => (
                      <NumberField
                        key={key}
                        id={`defaults-${key}`}
                        label={PARAM_TUNER_LABELS[key]}
                        value={pt[key]}
                        bounds={schemaBounds(PARAM_TUNER_SHAPE[key])}
                        hint={boundsHint(schemaBounds(PARAM_TUNER_SHAPE[key]))}
                        step={0.05}
                        error={issueOf(paramIssues, state.ui.param_tuner, key)}
                        testId={`defaults-${key}`}
                        onInput$={$((_: Event, el: HTMLInputElement) => {
                          state.paramTuner[key] = el.value;
                          return edited("param_tuner");
                        })}
                      />
                    ))}
                  </div>
                </fieldset>
              ))}
              <div class="form-grid">
                <NumberField
                  id="defaults-max_combinations"
                  label={PARAM_TUNER_LABELS.max_combinations}
                  value={pt.max_combinations}
                  bounds={schemaBounds(PARAM_TUNER_SHAPE.max_combinations)}
                  error={issueOf(paramIssues, state.ui.param_tuner, "max_combinations")}
                  hint={`Random search's n (the most combos a run tries); ${boundsHint(schemaBounds(PARAM_TUNER_SHAPE.max_combinations))}`}
                  testId="defaults-max_combinations"
                  onInput$={$((_: Event, el: HTMLInputElement) => {
                    state.paramTuner.max_combinations = el.value;
                    return edited("param_tuner");
                  })}
                />
              </div>
              <p class="muted small">Temperature starts on in the search space; top_p's range is used when you turn top_p on.</p>
              <SectionFooter section="param_tuner" label="param tuner defaults" ui={state.ui.param_tuner} onReset$={reset} />
            </form>

            <h4 class="subheading">Saved search-space presets</h4>
            {state.presets.length === 0 ? (
              <p class="muted small" data-testid="defaults-presets-empty">
                No presets saved on your account (a settings backup can bring some).
              </p>
            ) : (
              <ul class="template-list" data-testid="defaults-presets">
                {state.presets.map((p) => (
                  <li key={p.name} class="template-item" data-testid={`defaults-preset-${p.name}`}>
                    <div class="template-head">
                      <span class="cell-title">{p.name}</span>
                      <button
                        type="button"
                        class="btn btn-danger-ghost btn-sm"
                        disabled={state.deletingPreset === p.name}
                        data-testid={`defaults-preset-delete-${p.name}`}
                        onClick$={() => deletePreset(p.name)}
                      >
                        {state.deletingPreset === p.name ? "Deleting…" : "Delete"}
                      </button>
                    </div>
                    <p class="template-text mono small">{describeSearchSpace(p.search_space)}</p>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section class="card" aria-labelledby="prompt-defaults-title">
            <h3 id="prompt-defaults-title" class="card-title">
              Prompt Tuner
            </h3>
            <form data-testid="defaults-prompt_tuner-form" noValidate preventdefault:submit onSubmit$={() => save("prompt_tuner")}>
              <div class="form-grid">
                <div class="field">
                  <label for="defaults-prompt-mode">Mode</label>
                  <select
                    id="defaults-prompt-mode"
                    data-testid="defaults-prompt-mode"
                    onChange$={(_, el) => {
                      state.promptTuner.mode = el.value as PromptTunerFields["mode"];
                      return edited("prompt_tuner");
                    }}
                  >
                    {PROMPT_TUNE_MODES.map((mode) => (
                      <option key={mode} value={mode} selected={mode === pr.mode}>
                        {PROMPT_MODE_LABELS[mode]}
                      </option>
                    ))}
                  </select>
                  <p class="field-hint">Quick: one round of prompts; evolutionary: generations with selection.</p>
                </div>
                {PROMPT_NUMBERS.map(({ key, hint }) => (
                  <NumberField
                    key={key}
                    id={`defaults-${key}`}
                    label={PROMPT_TUNER_LABELS[key]}
                    value={pr[key]}
                    bounds={schemaBounds(PROMPT_TUNER_SHAPE[key])}
                    hint={`${hint}; ${boundsHint(schemaBounds(PROMPT_TUNER_SHAPE[key]))}`}
                    error={issueOf(promptIssues, state.ui.prompt_tuner, key)}
                    testId={`defaults-${key}`}
                    onInput$={$((_: Event, el: HTMLInputElement) => {
                      state.promptTuner[key] = el.value;
                      return edited("prompt_tuner");
                    })}
                  />
                ))}
              </div>
              <SectionFooter section="prompt_tuner" label="prompt tuner defaults" ui={state.ui.prompt_tuner} onReset$={reset} />
            </form>
          </section>
        </>
      )}
    </div>
  );
});
