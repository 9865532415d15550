// Settings → CLI tokens: create a token for `llm-bench login` (shown once, with a copy button; the server keeps only
// its id), see when each was last used, and revoke one (the deployment refuses it from then on).
import { $, component$, useSignal, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { confirmAction } from "~/lib/confirm";
import { describeError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";

interface CliToken {
  id: string;
  name: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
type CliTokenCreated = CliToken & { token: string; expires_in_days: number };

const statusOf = (t: CliToken) =>
  t.revoked_at ? `revoked ${fmtDateTime(t.revoked_at)}` : Date.parse(t.expires_at) < Date.now() ? "expired" : "active";

export const CliTokensPanel = component$(() => {
  const state = useStore<{
    loading: boolean;
    busy: boolean;
    error: string;
    name: string;
    origin: string;
    tokens: CliToken[];
    created: CliTokenCreated | null;
    copied: boolean;
  }>({
    loading: true,
    origin: "<this site's address>",
    busy: false,
    error: "",
    name: "",
    tokens: [],
    created: null,
    copied: false,
  });
  const tokenRef = useSignal<HTMLInputElement>();

  const load = $(async () => {
    try {
      state.tokens = (await api.get<{ tokens: CliToken[] }>("/api/auth/cli-tokens")).tokens;
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  useVisibleTask$(() => {
    state.origin = location.origin; // the page is prerendered: the address is only known in the browser
    return load();
  });

  const create = $(async () => {
    state.busy = true;
    state.error = "";
    try {
      const name = state.name.trim();
      state.created = await api.post<CliTokenCreated>("/api/auth/cli-token", name ? { name } : {});
      state.copied = false;
      state.name = "";
      await load();
    } catch (err) {
      const e = describeError(err);
      state.error = [e.message, ...e.details].join(" ");
    } finally {
      state.busy = false;
    }
  });

  const copy = $(async () => {
    const token = state.created?.token;
    if (!token) return;
    try {
      await navigator.clipboard.writeText(token);
    } catch {
      tokenRef.value?.select(); // no clipboard permission: leave it selected for Ctrl+C
    }
    state.copied = true;
  });

  const revoke = $(async (t: CliToken) => {
    const ok = await confirmAction({
      title: `Revoke "${t.name}"?`,
      message: "Every CLI or CI job using this token is refused from now on.",
      confirmLabel: "Revoke",
      danger: true,
    });
    if (!ok) return;
    try {
      await api.del(`/api/auth/cli-tokens/${encodeURIComponent(t.id)}`);
      if (state.created?.id === t.id) state.created = null;
      showToast("success", "CLI token revoked.");
      await load();
    } catch (err) {
      toastError(err);
    }
  });

  return (
    <div class="settings-panel" data-testid="cli-tokens-panel">
      <div class="panel-head">
        <div>
          <h2>CLI tokens</h2>
          <p class="muted small">
            For <code>llm-bench login {state.origin}</code>, then <code>llm-bench run --remote</code>, <code>history</code> and <code>export</code>. A
            token acts as you for 30 days; revoke it here when a laptop or CI secret may have leaked.
          </p>
        </div>
      </div>

      <div class="card">
        <div class="field">
          <label for="cli-token-name">Name</label>
          <input
            id="cli-token-name"
            type="text"
            maxLength={100}
            placeholder="e.g. GitHub Actions"
            value={state.name}
            onInput$={(_, el) => (state.name = el.value)}
            data-testid="cli-token-name"
          />
        </div>
        {state.error && (
          <p class="inline-error" role="alert">
            {state.error}
          </p>
        )}
        <div class="form-actions">
          <button type="button" class="btn btn-primary btn-sm" disabled={state.busy} onClick$={create} data-testid="cli-token-create">
            {state.busy ? "Creating…" : "Create token"}
          </button>
        </div>
        {state.created && (
          <div class="share-created" data-testid="cli-token-created">
            <label for="cli-token-value" class="small">
              The token (shown once: copy it now)
            </label>
            <div class="share-url-row">
              <input
                id="cli-token-value"
                ref={tokenRef}
                type="text"
                readOnly
                value={state.created.token}
                class="mono"
                data-testid="cli-token-value"
              />
              <button type="button" class="btn btn-ghost btn-sm" onClick$={copy} data-testid="cli-token-copy">
                {state.copied ? "Copied" : "Copy"}
              </button>
            </div>
          </div>
        )}
      </div>

      {state.loading && (
        <p class="muted" role="status">
          Loading CLI tokens…
        </p>
      )}
      {!state.loading && state.tokens.length === 0 && !state.error && (
        <div class="card empty-state">
          <p>No CLI tokens yet.</p>
        </div>
      )}
      {state.tokens.length > 0 && (
        <div class="card card-flush table-wrap">
          <table class="table" data-testid="cli-tokens-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.tokens.map((t) => (
                <tr key={t.id} data-testid={`cli-token-row-${t.id}`}>
                  <td>
                    <span class="cell-title">{t.name}</span>
                  </td>
                  <td>{fmtDateTime(t.created_at)}</td>
                  <td>{t.last_used_at ? fmtDateTime(t.last_used_at) : "never"}</td>
                  <td>{fmtDateTime(t.expires_at)}</td>
                  <td data-testid="cli-token-status">{statusOf(t)}</td>
                  <td>
                    {!t.revoked_at && (
                      <button type="button" class="btn btn-danger-ghost btn-sm" onClick$={() => revoke(t)} data-testid={`cli-token-revoke-${t.id}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
});
