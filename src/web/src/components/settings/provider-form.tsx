// Provider fields for "Add provider" (slug auto-derived from the name) and for editing an existing one.
import { $, component$, useSignal, useStore, type PropFunction } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { formValue, PROVIDER_KEY_PATTERN, slugify } from "~/lib/format";
import { describeError } from "~/lib/http";
import { showToast } from "~/lib/toast";
import type { ApiKind, Provider } from "~/lib/types";
import { fieldErrorsFrom, type FieldErrors } from "./form-errors";

export interface ProviderFormProps {
  /** Absent = create. */
  provider?: Provider;
  onSaved$: PropFunction<() => Promise<void>>;
  onCancel$?: PropFunction<() => void>;
}

export const ProviderForm = component$<ProviderFormProps>((props) => {
  const provider = props.provider;
  const prefix = provider ? `provider-${provider.id}` : "new-provider";
  const providerKey = useSignal(provider?.provider_key ?? "");
  const keyEdited = useSignal(false);
  const state = useStore<{ busy: boolean; error: string; fields: FieldErrors }>({ busy: false, error: "", fields: {} });

  const submit = $(async (_: SubmitEvent, form: HTMLFormElement) => {
    const data = new FormData(form);
    const displayName = formValue(data, "display_name");
    const key = provider ? provider.provider_key : formValue(data, "provider_key");
    const fields: FieldErrors = {};
    if (!displayName) fields.display_name = "Give the provider a name.";
    if (!provider && !PROVIDER_KEY_PATTERN.test(key)) {
      fields.provider_key = "Use 1–64 lowercase letters, digits, - or _.";
    }
    const apiBase = formValue(data, "api_base");
    if (apiBase && !/^https?:\/\/\S+$/i.test(apiBase)) fields.api_base = "Use a full http(s):// URL.";
    state.fields = fields;
    state.error = "";
    if (Object.keys(fields).length) return;

    const body = {
      display_name: displayName,
      api_kind: (formValue(data, "api_kind") || "openai") as ApiKind,
      api_base: apiBase || null,
      api_key_env: formValue(data, "api_key_env") || null,
      model_id_prefix: formValue(data, "model_id_prefix") || null,
    };

    state.busy = true;
    try {
      if (provider) {
        await api.put(`/api/v2/providers/${encodeURIComponent(provider.id)}`, body);
        showToast("success", `Saved ${displayName}.`);
      } else {
        await api.post("/api/v2/providers", { provider_key: key, ...body });
        showToast("success", `Added ${displayName}. Now add its models.`);
        form.reset();
        providerKey.value = "";
        keyEdited.value = false;
      }
      await props.onSaved$();
    } catch (err) {
      state.fields = fieldErrorsFrom(err);
      state.error = describeError(err).message;
    } finally {
      state.busy = false;
    }
  });

  const err = (name: string) => state.fields[name];

  return (
    <form
      class="provider-form"
      data-testid={provider ? `edit-provider-form-${provider.provider_key}` : "add-provider-form"}
      noValidate
      preventdefault:submit
      onSubmit$={submit}
    >
      <div class="form-grid">
        <div class="field">
          <label for={`${prefix}-display_name`}>Display name</label>
          <input
            id={`${prefix}-display_name`}
            name="display_name"
            type="text"
            required
            autoComplete="off"
            placeholder="e.g. Together AI"
            value={provider?.display_name ?? ""}
            aria-invalid={err("display_name") ? "true" : undefined}
            onInput$={(_, el) => {
              if (!provider && !keyEdited.value) providerKey.value = slugify(el.value);
            }}
          />
          {err("display_name") && <p class="field-error">{err("display_name")}</p>}
        </div>
        <div class="field">
          <label for={`${prefix}-provider_key`}>Provider key</label>
          <input
            id={`${prefix}-provider_key`}
            name="provider_key"
            type="text"
            class="mono"
            required
            autoComplete="off"
            spellcheck={false}
            pattern="[a-z0-9_\-]{1,64}"
            readOnly={!!provider}
            placeholder="together-ai"
            value={providerKey.value}
            aria-describedby={`${prefix}-provider_key-hint`}
            aria-invalid={err("provider_key") ? "true" : undefined}
            onInput$={(_, el) => {
              keyEdited.value = el.value !== "";
              providerKey.value = el.value;
            }}
          />
          <p id={`${prefix}-provider_key-hint`} class="field-hint">
            {provider ? "The key can't be changed." : "Auto-filled from the name; lowercase, digits, - and _."}
          </p>
          {err("provider_key") && <p class="field-error">{err("provider_key")}</p>}
        </div>
        <div class="field">
          <label for={`${prefix}-api_kind`}>API kind</label>
          <select id={`${prefix}-api_kind`} name="api_kind">
            <option value="openai" selected={(provider?.api_kind ?? "openai") === "openai"}>
              OpenAI-compatible
            </option>
            <option value="anthropic" selected={provider?.api_kind === "anthropic"}>
              Anthropic
            </option>
          </select>
        </div>
        <div class="field">
          <label for={`${prefix}-api_base`}>Base URL</label>
          <input
            id={`${prefix}-api_base`}
            name="api_base"
            type="url"
            class="mono"
            autoComplete="off"
            spellcheck={false}
            placeholder="https://api.example.com/v1"
            value={provider?.api_base ?? ""}
            aria-invalid={err("api_base") ? "true" : undefined}
          />
          {err("api_base") && <p class="field-error">{err("api_base")}</p>}
        </div>
        <div class="field">
          <label for={`${prefix}-api_key_env`}>Key env name</label>
          <input
            id={`${prefix}-api_key_env`}
            name="api_key_env"
            type="text"
            class="mono"
            autoComplete="off"
            spellcheck={false}
            placeholder="EXAMPLE_API_KEY"
            value={provider?.api_key_env ?? ""}
          />
          {err("api_key_env") && <p class="field-error">{err("api_key_env")}</p>}
        </div>
        <div class="field">
          <label for={`${prefix}-model_id_prefix`}>Model id prefix</label>
          <input
            id={`${prefix}-model_id_prefix`}
            name="model_id_prefix"
            type="text"
            class="mono"
            autoComplete="off"
            spellcheck={false}
            placeholder="optional, e.g. together_ai/"
            value={provider?.model_id_prefix ?? ""}
          />
        </div>
      </div>

      {state.error && (
        <p class="inline-error" role="alert">
          {state.error}
        </p>
      )}

      <div class="form-actions">
        <button type="submit" class="btn btn-primary btn-sm" disabled={state.busy} data-testid="provider-save">
          {state.busy ? "Saving…" : provider ? "Save provider" : "Add provider"}
        </button>
        {props.onCancel$ && (
          <button type="button" class="btn btn-ghost btn-sm" onClick$={props.onCancel$}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
});
