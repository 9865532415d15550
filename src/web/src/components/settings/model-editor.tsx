// Add/edit one model: id, names, limits, custom pricing, skip params, system prompt.
import { $, component$, type PropFunction, useStore } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { formValue, parseOptionalNumber } from "~/lib/format";
import { describeError } from "~/lib/http";
import { showToast } from "~/lib/toast";
import type { Model } from "~/lib/types";
import { MODEL_LIMITS } from "../../../../shared/request-limits.ts";
import { TextField } from "../text-field";
import { ChipInput, readChips } from "./chip-input";
import { type FieldErrors, fieldErrorsFrom } from "./form-errors";

export interface ModelEditorProps {
  providerId: string;
  providerKey: string;
  /** Absent = create a new model. */
  model?: Model;
  onSaved$: PropFunction<() => Promise<void>>;
  onCancel$: PropFunction<() => void>;
  onDelete$?: PropFunction<() => Promise<void>>;
}

// Bounds are the API's (src/shared/request-limits.ts): a value it would refuse is marked here and not sent.
const NUMBER_FIELDS = [
  { name: "context_window", label: "Context window", hint: "tokens", bounds: MODEL_LIMITS.context_window },
  { name: "max_output_tokens", label: "Max output tokens", hint: "tokens", bounds: MODEL_LIMITS.max_output_tokens },
  { name: "input_cost_per_mtok", label: "Input $ / 1M tokens", hint: "USD, blank = unknown", bounds: MODEL_LIMITS.cost_per_mtok },
  { name: "output_cost_per_mtok", label: "Output $ / 1M tokens", hint: "USD, blank = unknown", bounds: MODEL_LIMITS.cost_per_mtok },
] as const;

export const ModelEditor = component$<ModelEditorProps>((props) => {
  const model = props.model;
  const prefix = model ? `model-${model.id}` : `new-model-${props.providerKey}`;
  const state = useStore<{ busy: boolean; error: string; fields: FieldErrors }>({ busy: false, error: "", fields: {} });

  const submit = $(async (_: SubmitEvent, form: HTMLFormElement) => {
    const data = new FormData(form);
    const fields: FieldErrors = {};
    const modelId = formValue(data, "model_id");
    if (!modelId) fields.model_id = "Model id is required.";

    const numbers: Record<string, number | null> = {};
    for (const f of NUMBER_FIELDS) {
      const parsed = parseOptionalNumber(data.get(f.name), f.label, f.bounds);
      if (parsed.error) fields[f.name] = parsed.error;
      numbers[f.name] = parsed.value;
    }
    state.fields = fields;
    state.error = "";
    if (Object.keys(fields).length) return;

    const displayName = formValue(data, "display_name");
    const systemPrompt = String(data.get("system_prompt") ?? "").trim();
    const skipParams = readChips(data, "skip_params");

    state.busy = true;
    try {
      if (props.model) {
        await api.put(`/api/v2/models/${encodeURIComponent(props.model.id)}`, {
          model_id: modelId,
          display_name: displayName || null,
          ...numbers,
          skip_params: skipParams,
          system_prompt: systemPrompt || null,
        });
        showToast("success", `Saved ${modelId}.`);
      } else {
        const body: Record<string, unknown> = { model_id: modelId, skip_params: skipParams };
        if (displayName) body.display_name = displayName;
        if (systemPrompt) body.system_prompt = systemPrompt;
        for (const [k, v] of Object.entries(numbers)) if (v !== null) body[k] = v;
        await api.post(`/api/v2/providers/${encodeURIComponent(props.providerId)}/models`, body);
        showToast("success", `Added ${modelId}.`);
        form.reset();
      }
      await props.onSaved$();
    } catch (err) {
      state.fields = fieldErrorsFrom(err);
      const { message } = describeError(err);
      state.error = message;
    } finally {
      state.busy = false;
    }
  });

  const err = (name: string) => state.fields[name];

  return (
    <form
      class="model-editor"
      data-testid={model ? `model-editor-${model.model_id}` : `add-model-form-${props.providerKey}`}
      noValidate
      preventdefault:submit
      onSubmit$={submit}
    >
      <div class="form-grid">
        <TextField
          prefix={prefix}
          name="model_id"
          label="Model id"
          mono
          required
          placeholder="e.g. gpt-4o-mini"
          value={model?.model_id ?? ""}
          error={err("model_id")}
        />
        <TextField
          prefix={prefix}
          name="display_name"
          label="Display name"
          placeholder="optional"
          value={model?.display_name ?? ""}
          error={err("display_name")}
        />
        {NUMBER_FIELDS.map((f) => (
          <TextField
            key={f.name}
            prefix={prefix}
            name={f.name}
            label={f.label}
            type="number"
            integer={f.bounds.integer}
            placeholder={f.hint}
            value={model?.[f.name] ?? ""}
            error={err(f.name)}
          />
        ))}
      </div>

      <ChipInput
        id={`${prefix}-skip_params`}
        name="skip_params"
        label="Skip params"
        hint="Request parameters this model rejects (e.g. temperature, top_p). Press Enter or comma to add."
        placeholder="temperature, top_p"
        initial={model?.skip_params ?? []}
      />

      <div class="field">
        <label for={`${prefix}-system_prompt`}>System prompt</label>
        <textarea
          id={`${prefix}-system_prompt`}
          name="system_prompt"
          rows={3}
          placeholder="Optional — sent as the system message for this model only"
          value={model?.system_prompt ?? ""}
        />
      </div>

      {state.error && (
        <p class="inline-error" role="alert">
          {state.error}
        </p>
      )}

      <div class="form-actions">
        <button type="submit" class="btn btn-primary btn-sm" disabled={state.busy} data-testid="model-save">
          {state.busy ? "Saving…" : model ? "Save model" : "Add model"}
        </button>
        <button type="button" class="btn btn-ghost btn-sm" onClick$={props.onCancel$}>
          Cancel
        </button>
        {props.onDelete$ && (
          <button type="button" class="btn btn-danger-ghost btn-sm push-right" disabled={state.busy} onClick$={props.onDelete$}>
            Delete model
          </button>
        )}
      </div>
    </form>
  );
});
