// The suite's name, description and system prompt (sent as the system message of every case in an eval).
import { $, component$, type PropFunction, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { TextField } from "~/components/text-field";
import { api } from "~/lib/api-client";
import { ApiError, describeError } from "~/lib/http";
import { showToast } from "~/lib/toast";
import type { SuiteSummary } from "~/lib/tool-suite-types";
import { setDirty } from "~/lib/unsaved-guard";

export interface SuiteDetailsFormProps {
  suite: SuiteSummary;
  onSaved$: PropFunction<(summary: SuiteSummary) => void>;
}

interface Fields {
  name: string;
  description: string;
  system_prompt: string;
}

const fieldsOf = (s: SuiteSummary): Fields => ({ name: s.name, description: s.description, system_prompt: s.system_prompt ?? "" });
const sameFields = (a: Fields, b: Fields) => a.name === b.name && a.description === b.description && a.system_prompt === b.system_prompt;

export const SuiteDetailsForm = component$<SuiteDetailsFormProps>((props) => {
  const state = useStore({
    fields: fieldsOf(props.suite),
    saved: fieldsOf(props.suite),
    busy: false,
    error: "",
    fieldErrors: {} as Partial<Record<keyof Fields, string>>,
  });

  useVisibleTask$(({ track, cleanup }) => {
    track(() => [state.fields.name, state.fields.description, state.fields.system_prompt, state.saved]);
    setDirty("suite-details", !sameFields(state.fields, state.saved));
    cleanup(() => setDirty("suite-details", false));
  });

  const save = $(async () => {
    const f = { ...state.fields };
    state.error = "";
    state.fieldErrors = {};
    if (!f.name.trim()) {
      state.fieldErrors = { name: "The suite needs a name." };
      return;
    }
    state.busy = true;
    try {
      const summary = await api.put<SuiteSummary>(`/api/tool-suites/${encodeURIComponent(props.suite.id)}`, {
        name: f.name.trim(),
        description: f.description,
        system_prompt: f.system_prompt.trim() ? f.system_prompt : null,
      });
      state.saved = fieldsOf(summary);
      state.fields = fieldsOf(summary);
      showToast("success", "Suite saved.");
      await props.onSaved$(summary);
    } catch (err) {
      const fieldErrors: Partial<Record<keyof Fields, string>> = {};
      if (err instanceof ApiError) {
        for (const d of err.details) {
          const key = d.path.split(".")[0] as keyof Fields;
          if (key in f && !fieldErrors[key]) fieldErrors[key] = d.message;
        }
      }
      state.fieldErrors = fieldErrors;
      state.error = describeError(err).message;
    } finally {
      state.busy = false;
    }
  });

  const dirty = !sameFields(state.fields, state.saved);
  const fe = state.fieldErrors;

  return (
    <form class="card te-details" data-testid="suite-details-form" preventdefault:submit onSubmit$={save} noValidate>
      <div class="card-head">
        <h2 class="card-title">Suite</h2>
        <button type="submit" class="btn btn-primary btn-sm" disabled={state.busy || !dirty} data-testid="suite-save-details">
          {state.busy ? "Saving…" : dirty ? "Save" : "Saved"}
        </button>
      </div>
      <div class="form-grid">
        <TextField
          prefix="suite"
          name="name"
          label="Name"
          maxLength={256}
          value={state.fields.name}
          error={fe.name}
          testId="suite-name-input"
          onInput$={$((_: Event, el: HTMLInputElement) => {
            state.fields = { ...state.fields, name: el.value };
          })}
        />
        <TextField
          prefix="suite"
          name="description"
          label="Description"
          maxLength={5000}
          placeholder="optional"
          value={state.fields.description}
          error={fe.description}
          testId="suite-description-input"
          onInput$={$((_: Event, el: HTMLInputElement) => {
            state.fields = { ...state.fields, description: el.value };
          })}
        />
      </div>
      <div class="field">
        <label for="suite-system-prompt">Suite system prompt</label>
        <textarea
          id="suite-system-prompt"
          name="system_prompt"
          rows={3}
          maxLength={50_000}
          placeholder="Optional — the system message of every case in this suite, followed by the model’s or the evaluation’s own prompt"
          value={state.fields.system_prompt}
          aria-invalid={fe.system_prompt ? "true" : undefined}
          data-testid="suite-system-prompt"
          onInput$={(_, el) => (state.fields = { ...state.fields, system_prompt: el.value })}
        />
        {fe.system_prompt && <p class="field-error">{fe.system_prompt}</p>}
      </div>
      {state.error && !Object.keys(fe).length && (
        <p class="inline-error" role="alert">
          {state.error}
        </p>
      )}
    </form>
  );
});
