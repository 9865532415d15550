// Provider fields for "Add provider" (slug auto-derived from the name) and for editing an existing one.
import { $, component$, type PropFunction, useSignal, useStore } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { formValue, PROVIDER_KEY_PATTERN, slugify } from "~/lib/format";
import { describeError } from "~/lib/http";
import { showToast } from "~/lib/toast";
import type { ApiKind, Provider } from "~/lib/types";
import { TextField } from "../text-field";
import { type FieldErrors, fieldErrorsFrom } from "./form-errors";

export interface ProviderFormProps {
  /** Absent = create. */
  provider?: Provider;
  onSaved$: PropFunction<() => Promise<void>>;
  onCancel$?: PropFunction<() => void>;
}

export const ProviderForm = component$<ProviderFormProps>((props) => {
  const provider = props.provider;
  const prefix = provider ? `provider-${provider.id}` : "new-provider";
  const builtIn = provider?.source === "simulator";
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
      // The built-in simulator's address and protocol belong to the deployment; the API refuses changes to them.
      ...(!builtIn && { api_kind: (formValue(data, "api_kind") || "openai") as ApiKind, api_base: apiBase || null }),
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
        <TextField
          prefix={prefix}
          name="display_name"
          label="Display name"
          required
          placeholder="e.g. Together AI"
          value={provider?.display_name ?? ""}
          error={err("display_name")}
          onInput$={$((_: Event, el: HTMLInputElement) => {
            if (!provider && !keyEdited.value) providerKey.value = slugify(el.value);
          })}
        />
        <TextField
          prefix={prefix}
          name="provider_key"
          label="Provider key"
          mono
          required
          pattern="[a-z0-9_\-]{1,64}"
          readOnly={!!provider}
          placeholder="together-ai"
          value={providerKey.value}
          hint={provider ? "The key can't be changed." : "Auto-filled from the name; lowercase, digits, - and _."}
          error={err("provider_key")}
          onInput$={$((_: Event, el: HTMLInputElement) => {
            keyEdited.value = el.value !== "";
            providerKey.value = el.value;
          })}
        />
        <div class="field">
          <label for={`${prefix}-api_kind`}>API kind</label>
          <select id={`${prefix}-api_kind`} name="api_kind" disabled={builtIn}>
            <option value="openai" selected={(provider?.api_kind ?? "openai") === "openai"}>
              OpenAI-compatible
            </option>
            <option value="anthropic" selected={provider?.api_kind === "anthropic"}>
              Anthropic
            </option>
          </select>
        </div>
        <TextField
          prefix={prefix}
          name="api_base"
          label="Base URL"
          type="url"
          mono
          placeholder="https://api.example.com/v1"
          value={provider?.api_base ?? ""}
          readOnly={builtIn}
          hint={builtIn ? "Built in: follows the simulator this app was started with (SIMULATOR_PORT)." : undefined}
          error={err("api_base")}
        />
        <TextField
          prefix={prefix}
          name="model_id_prefix"
          label="Model id prefix"
          mono
          placeholder="optional, e.g. together_ai/"
          value={provider?.model_id_prefix ?? ""}
          error={err("model_id_prefix")}
        />
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
