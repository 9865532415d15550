// Admin → Shared keys: provider keys every user without their own key runs with. Write-only: only the last 4
// characters come back, and a key is sent only to the base URL it was saved for.
import { $, component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import type { SharedKey } from "~/lib/admin-types";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { confirmAction } from "~/lib/confirm";
import { describeError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";
import type { CatalogueProvider } from "~/lib/types";

const OTHER = "__other";

export const SharedKeysPanel = component$(() => {
  const state = useStore({
    keys: [] as SharedKey[],
    catalogue: [] as CatalogueProvider[],
    providerKey: "",
    /** A provider key outside the catalogue is typed in. */
    otherKey: false,
    apiBase: "",
    apiKind: "openai" as "openai" | "anthropic",
    loading: true,
    saving: false,
    error: "",
  });

  const load = $(async () => {
    try {
      const [keys, catalogue] = await Promise.all([
        api.get<{ keys: SharedKey[] }>("/api/admin/shared-keys"),
        api.get<{ providers: CatalogueProvider[] }>("/api/provider-catalogue").catch(() => ({ providers: [] })),
      ]);
      state.keys = keys.keys;
      state.catalogue = catalogue.providers.filter((p) => !p.is_local);
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });
  useVisibleTask$(() => void load());

  const inCatalogue = (key: string) => state.catalogue.some((p) => p.provider_key === key);

  const save = $(async (_: Event, form: HTMLFormElement) => {
    const value = (form.elements.namedItem("value") as HTMLInputElement | null)?.value.trim() ?? "";
    const key = state.providerKey.trim();
    if (!key || !value) {
      showToast("error", "Choose a provider and paste its key.");
      return;
    }
    const body: Record<string, string> = { value };
    if (state.apiBase.trim()) body.api_base = state.apiBase.trim();
    if (!inCatalogue(key)) body.api_kind = state.apiKind;
    state.saving = true;
    try {
      const res = await api.put<{ api_base: string; last4: string | null }>(`/api/admin/shared-keys/${encodeURIComponent(key)}`, body);
      form.reset();
      state.apiBase = "";
      showToast("success", `Shared key saved for ${key}${res.last4 ? ` (ends in ${res.last4})` : ""}; it is sent only to ${res.api_base}.`);
      await load();
    } catch (err) {
      toastError(err);
    } finally {
      state.saving = false;
    }
  });

  const remove = $(async (k: SharedKey) => {
    const ok = await confirmAction({
      title: `Remove the shared ${k.display_name} key?`,
      message: "Users without a key of their own can no longer run against this provider.",
      confirmLabel: "Remove key",
    });
    if (!ok) return;
    try {
      await api.del(`/api/admin/shared-keys/${encodeURIComponent(k.provider_key)}`);
      showToast("success", `Removed the shared ${k.display_name} key.`);
      await load();
    } catch (err) {
      toastError(err);
    }
  });

  const custom = state.providerKey.trim() !== "" && !inCatalogue(state.providerKey.trim());

  return (
    <div class="settings-panel" data-testid="admin-shared-keys">
      <div class="panel-head">
        <div>
          <h2>Shared keys</h2>
          <p class="muted small">
            Used by every user who has no key of their own for that provider; they see it as SHARED. Keys are encrypted at rest and never shown again,
            only the last 4 characters. A key goes only to the base URL it was saved for.
          </p>
        </div>
      </div>
      {state.error && (
        <div class="inline-error" role="alert">
          {state.error}
        </div>
      )}
      <div class="table-wrap card card-flush">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Sent to</th>
              <th scope="col">Key</th>
              <th scope="col">Updated</th>
              <th scope="col">
                <span class="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {!state.loading && state.keys.length === 0 && (
              <tr>
                <td colSpan={5} class="muted">
                  No shared keys yet.
                </td>
              </tr>
            )}
            {state.keys.map((k) => (
              <tr key={k.provider_key} data-testid={`shared-key-${k.provider_key}`}>
                <td>
                  <div class="cell-title">{k.display_name}</div>
                  <div class="muted small mono">{k.provider_key}</div>
                </td>
                <td class="mono small">{k.api_base}</td>
                <td class="mono">••••{k.last4 ?? ""}</td>
                <td class="small">
                  {fmtDateTime(k.updated_at)}
                  {k.updated_by_email && <div class="muted">{k.updated_by_email}</div>}
                </td>
                <td>
                  <button
                    type="button"
                    class="btn btn-danger-ghost btn-sm"
                    onClick$={() => remove(k)}
                    data-testid={`shared-key-remove-${k.provider_key}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="card" autocomplete="off" preventdefault:submit onSubmit$={save}>
        <h3 class="card-title">Add or replace a shared key</h3>
        <div class="form-grid">
          <div class="field">
            <label for="shared-provider">Provider</label>
            <select
              id="shared-provider"
              data-testid="shared-provider"
              value={state.otherKey ? OTHER : state.providerKey}
              onChange$={(_, el) => {
                state.otherKey = el.value === OTHER;
                state.providerKey = el.value === OTHER ? "" : el.value;
              }}
            >
              <option value="">Choose…</option>
              {state.catalogue.map((p) => (
                <option key={p.provider_key} value={p.provider_key}>
                  {p.display_name}
                </option>
              ))}
              <option value={OTHER}>Another provider key…</option>
            </select>
          </div>
          {state.otherKey && (
            <div class="field">
              <label for="shared-provider-key">Provider key</label>
              <input
                id="shared-provider-key"
                value={state.providerKey}
                placeholder="team_llm"
                spellcheck={false}
                data-testid="shared-provider-key"
                onInput$={(_, el) => (state.providerKey = el.value)}
              />
              <p class="field-hint">The provider key users give their own provider.</p>
            </div>
          )}
          <div class="field">
            <label for="shared-base">Base URL{custom ? "" : " (optional)"}</label>
            <input
              id="shared-base"
              type="url"
              value={state.apiBase}
              placeholder={custom ? "https://…/v1" : "the catalogue's URL"}
              data-testid="shared-base"
              onInput$={(_, el) => (state.apiBase = el.value)}
            />
          </div>
          {custom && (
            <div class="field">
              <label for="shared-kind">Protocol</label>
              <select id="shared-kind" value={state.apiKind} onChange$={(_, el) => (state.apiKind = el.value as "openai" | "anthropic")}>
                <option value="openai">OpenAI-compatible</option>
                <option value="anthropic">Anthropic</option>
              </select>
            </div>
          )}
          <div class="field">
            <label for="shared-value">API key</label>
            <input
              id="shared-value"
              name="value"
              type="password"
              autoComplete="off"
              data-1p-ignore
              data-lpignore="true"
              spellcheck={false}
              placeholder="Paste API key"
              data-testid="shared-value"
            />
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={state.saving} data-testid="shared-save">
            {state.saving ? "Saving…" : "Save shared key"}
          </button>
        </div>
      </form>
    </div>
  );
});
