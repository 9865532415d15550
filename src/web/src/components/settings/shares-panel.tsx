// Settings → Shares: every share you made (what, how, opens, expiry; preview and revoke) and the shares that name
// your account. Links' addresses are shown only when created (the server keeps a hash), so here they can be
// previewed and revoked, not copied again.
import { $, component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { LeaderboardShare } from "~/components/share/leaderboard-share";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { confirmAction } from "~/lib/confirm";
import { describeError } from "~/lib/http";
import { previewUrl, type ReceivedShare, SHARE_TYPE_LABEL, type Share } from "~/lib/share-types";
import { showToast, toastError } from "~/lib/toast";

export const SharesPanel = component$(() => {
  const state = useStore<{ loading: boolean; error: string; mine: Share[]; received: ReceivedShare[] }>({
    loading: true,
    error: "",
    mine: [],
    received: [],
  });

  const load = $(async () => {
    state.error = "";
    try {
      const [mine, received] = await Promise.all([
        api.get<{ shares: Share[] }>("/api/shares"),
        api.get<{ shares: ReceivedShare[] }>("/api/shares/received"),
      ]);
      state.mine = mine.shares;
      state.received = received.shares;
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });

  useVisibleTask$(() => load());

  const revoke = $(async (s: Share) => {
    const ok = await confirmAction({
      title: "Revoke this share?",
      message: s.kind === "link" ? "The link stops working at once." : "The named accounts lose access at once.",
      confirmLabel: "Revoke",
      danger: true,
    });
    if (!ok) return;
    try {
      await api.del(`/api/shares/${encodeURIComponent(s.id)}`);
      showToast("success", "Share revoked.");
      await load();
    } catch (err) {
      toastError(err);
    }
  });

  return (
    <div class="settings-panel" data-testid="shares-panel">
      <div class="panel-head">
        <div>
          <h2>Shares</h2>
          <p class="muted small">
            Read-only shares of your runs, leaderboards and experiments. Share from History, Evaluate, Analytics or an experiment.
          </p>
        </div>
      </div>
      {state.error && (
        <p class="inline-error" role="alert">
          {state.error}
        </p>
      )}
      {state.loading && (
        <p class="muted" role="status">
          Loading shares…
        </p>
      )}
      {!state.loading && state.mine.length === 0 && !state.error && (
        <div class="card empty-state">
          <p>You have not shared anything.</p>
        </div>
      )}
      {state.mine.length > 0 && (
        <div class="card card-flush table-wrap">
          <table class="table" data-testid="shares-table">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">With</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Opened</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {state.mine.map((s) => (
                <tr key={s.id} data-testid={`share-row-${s.id}`}>
                  <td>
                    <span class="cell-title">{s.title ?? "(deleted)"}</span>
                    <div class="muted small">{SHARE_TYPE_LABEL[s.resource_type]}</div>
                  </td>
                  <td>{s.kind === "link" ? "Anyone with the link" : s.recipients.join(", ")}</td>
                  <td>{fmtDateTime(s.created_at)}</td>
                  <td>{s.expires_at ? `${s.expired ? "expired " : ""}${fmtDateTime(s.expires_at)}` : "never"}</td>
                  <td data-testid="share-opens">
                    {s.open_count}×{s.last_opened_at ? <div class="muted small">last {fmtDateTime(s.last_opened_at)}</div> : null}
                  </td>
                  <td>
                    <span class="btn-row">
                      {s.title && !s.expired && (
                        <a class="btn btn-ghost btn-sm" href={previewUrl(s.id)} target="_blank" rel="noopener">
                          Preview
                        </a>
                      )}
                      <button type="button" class="btn btn-danger-ghost btn-sm" onClick$={() => revoke(s)} data-testid={`share-revoke-${s.id}`}>
                        Revoke
                      </button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <LeaderboardShare />

      {state.received.length > 0 && (
        <section class="card" aria-labelledby="received-title" data-testid="shares-received">
          <h3 id="received-title" class="card-title">
            Shared with me
          </h3>
          <ul class="share-list">
            {state.received.map((s) => (
              <li key={s.id} class="share-item">
                <span>
                  <a href={previewUrl(s.id)}>{s.title ?? SHARE_TYPE_LABEL[s.resource_type]}</a> <span class="muted small">from {s.shared_by}</span>
                </span>
                <span class="muted small">{s.expires_at ? `until ${fmtDateTime(s.expires_at)}` : ""}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
});
