// API keys table: status per provider, set/replace (write-only) and remove; reloads on config_changed.
import { $, component$, useStore } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { confirmAction } from "~/lib/confirm";
import { formatDate } from "~/lib/format";
import { showToast, toastError } from "~/lib/toast";
import type { ProviderKeyInfo } from "~/lib/types";
import { useLiveLoad } from "~/lib/use-live-load";
import { KeyStatusBadge } from "./key-status-badge";

interface KeysState {
  loading: boolean;
  error: string;
  keys: ProviderKeyInfo[];
  /** provider_key → in-flight action */
  busy: Record<string, "save" | "remove" | undefined>;
}

export const KeysPanel = component$(() => {
  const state = useStore<KeysState>({ loading: true, error: "", keys: [], busy: {} });

  const load = useLiveLoad(
    state,
    ["keys", "providers"],
    $(async () => {
      const res = await api.get<{ keys: ProviderKeyInfo[] }>("/api/keys");
      state.keys = res.keys;
    }),
  );

  const save = $(async (row: ProviderKeyInfo, form: HTMLFormElement) => {
    const input = form.elements.namedItem("value") as HTMLInputElement | null;
    const value = input?.value.trim() ?? "";
    if (!value) {
      showToast("error", `Paste a key for ${row.display_name} first.`);
      input?.focus();
      return;
    }
    state.busy[row.provider_key] = "save";
    try {
      const res = await api.put<{ last4: string | null }>("/api/keys", { provider_key: row.provider_key, value });
      form.reset();
      showToast("success", `Key saved for ${row.display_name}${res.last4 ? ` (ends in ${res.last4})` : ""}.`);
      await load();
    } catch (err) {
      toastError(err);
    } finally {
      state.busy[row.provider_key] = undefined;
    }
  });

  const remove = $(async (row: ProviderKeyInfo) => {
    const ok = await confirmAction({
      title: `Remove your ${row.display_name} key?`,
      message: row.has_global_key ? "Your runs will fall back to the shared key." : "Runs against this provider will fail until you add a key again.",
      confirmLabel: "Remove key",
    });
    if (!ok) return;
    state.busy[row.provider_key] = "remove";
    try {
      await api.del("/api/keys", { provider_key: row.provider_key });
      showToast("success", `Removed your ${row.display_name} key.`);
      await load();
    } catch (err) {
      toastError(err);
    } finally {
      state.busy[row.provider_key] = undefined;
    }
  });

  return (
    <div class="settings-panel">
      <div class="panel-head">
        <div>
          <h2>API keys</h2>
          <p class="muted small">Keys are encrypted at rest and never shown again after saving — only the last 4 characters.</p>
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

      <div class="table-wrap card card-flush">
        <table class="table keys-table">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Status</th>
              <th scope="col">Key</th>
              <th scope="col">
                <span class="sr-only">Set or replace key</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.loading && state.keys.length === 0 && (
              <tr>
                <td colSpan={4}>
                  <div class="skeleton-list" role="status" aria-label="Loading keys">
                    <span class="skeleton-row" />
                    <span class="skeleton-row" />
                  </div>
                </td>
              </tr>
            )}
            {!state.loading && !state.error && state.keys.length === 0 && (
              <tr>
                <td colSpan={4} class="muted">
                  No providers yet. Add one under Providers &amp; models.
                </td>
              </tr>
            )}
            {state.keys.map((row) => {
              const busy = state.busy[row.provider_key];
              const inputId = `key-input-${row.provider_key}`;
              return (
                <tr key={row.provider_key} data-testid={`key-row-${row.provider_key}`}>
                  <td data-label="Provider">
                    <div class="cell-title">{row.display_name}</div>
                    <div class="muted small mono">{row.key_env_name || row.provider_key}</div>
                  </td>
                  <td data-label="Status">
                    <KeyStatusBadge status={row.status} providerKey={row.provider_key} />
                  </td>
                  <td data-label="Key">
                    {row.has_user_key ? (
                      <span class="mono key-mask" data-testid={`key-last4-${row.provider_key}`}>
                        ••••{row.last4 ?? ""}
                      </span>
                    ) : (
                      <span class="muted">—</span>
                    )}
                    {row.has_user_key && row.user_key_updated_at && (
                      <div class="muted small nowrap">updated {formatDate(row.user_key_updated_at)}</div>
                    )}
                  </td>
                  <td class="key-actions-cell">
                    {row.requires_key || row.has_user_key ? (
                      <form class="key-form" autocomplete="off" preventdefault:submit onSubmit$={(_, form) => save(row, form)}>
                        <label for={inputId} class="sr-only">
                          {row.has_user_key ? "Replace" : "Set"} API key for {row.display_name}
                        </label>
                        <input
                          id={inputId}
                          name="value"
                          type="password"
                          autoComplete="off"
                          data-1p-ignore
                          data-lpignore="true"
                          spellcheck={false}
                          placeholder={row.has_user_key ? "New key to replace" : "Paste API key"}
                          data-testid={inputId}
                          disabled={!!busy}
                        />
                        <button type="submit" class="btn btn-primary btn-sm" data-testid={`key-save-${row.provider_key}`} disabled={!!busy}>
                          {busy === "save" ? "Saving…" : row.has_user_key ? "Replace" : "Save"}
                        </button>
                        {row.has_user_key && (
                          <button
                            type="button"
                            class="btn btn-danger-ghost btn-sm"
                            data-testid={`key-remove-${row.provider_key}`}
                            disabled={!!busy}
                            onClick$={() => remove(row)}
                          >
                            {busy === "remove" ? "Removing…" : "Remove"}
                          </button>
                        )}
                      </form>
                    ) : (
                      <span class="muted small">Works without a key</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
});
