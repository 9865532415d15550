// Share: a button that opens a dialog to share one resource read-only, as a link (optional expiry; the address is
// shown once, with Copy) or with named accounts of this deployment, and lists this resource's shares with Revoke.
// Self-contained (own dialog, own API calls), so any page can drop it next to the data it shows.
import { $, component$, useSignal, useStore } from "@builder.io/qwik";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { confirmAction } from "~/lib/confirm";
import { splitList } from "~/lib/format";
import { describeError } from "~/lib/http";
import { EXPIRY_CHOICES, previewUrl, type Share, type ShareCreated, type ShareResourceType } from "~/lib/share-types";
import { showToast, toastError } from "~/lib/toast";

interface ShareState {
  mode: "link" | "accounts";
  expiryDays: string;
  emails: string;
  busy: boolean;
  error: string;
  created: ShareCreated | null;
  copied: boolean;
  shares: Share[] | null;
}

export const ShareButton = component$<{ resourceType: ShareResourceType; resourceId: string; what: string; testId?: string }>((props) => {
  const dialogRef = useSignal<HTMLDialogElement>();
  const urlRef = useSignal<HTMLInputElement>();
  const state = useStore<ShareState>({
    mode: "link",
    expiryDays: "",
    emails: "",
    busy: false,
    error: "",
    created: null,
    copied: false,
    shares: null,
  });
  const testId = props.testId ?? "share";

  const loadShares = $(async () => {
    try {
      const all = (await api.get<{ shares: Share[] }>("/api/shares")).shares;
      state.shares = all.filter((s) => s.resource_type === props.resourceType && s.resource_id === props.resourceId);
    } catch (err) {
      state.error = describeError(err).message;
    }
  });

  const open = $(async () => {
    state.created = null;
    state.error = "";
    state.copied = false;
    dialogRef.value?.showModal();
    await loadShares();
  });

  const create = $(async () => {
    state.busy = true;
    state.error = "";
    try {
      const body: Record<string, unknown> = { resource_type: props.resourceType, resource_id: props.resourceId };
      const days = Number(state.expiryDays);
      if (state.expiryDays && days > 0) body.expires_at = new Date(Date.now() + days * 86_400_000).toISOString();
      if (state.mode === "accounts") {
        const emails = splitList(state.emails);
        if (!emails.length) {
          state.error = "Name at least one account by its email.";
          return;
        }
        body.user_emails = emails;
      }
      state.created = await api.post<ShareCreated>("/api/shares", body);
      state.copied = false;
      await loadShares();
    } catch (err) {
      const e = describeError(err);
      state.error = [e.message, ...e.details].join(" ");
    } finally {
      state.busy = false;
    }
  });

  const copy = $(async () => {
    const url = state.created?.url;
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      urlRef.value?.select(); // no clipboard permission: leave it selected for Ctrl+C
    }
    state.copied = true;
  });

  const revoke = $(async (share: Share) => {
    const ok = await confirmAction({
      title: "Revoke this share?",
      message: share.kind === "link" ? "The link stops working at once." : "The named accounts lose access at once.",
      confirmLabel: "Revoke",
      danger: true,
    });
    if (!ok) return;
    try {
      await api.del(`/api/shares/${encodeURIComponent(share.id)}`);
      if (state.created?.id === share.id) state.created = null;
      showToast("success", "Share revoked.");
      await loadShares();
    } catch (err) {
      toastError(err);
    }
  });

  return (
    <>
      <button type="button" class="btn btn-ghost btn-sm" onClick$={open} data-testid={`${testId}-open`}>
        Share
      </button>
      <dialog ref={dialogRef} class="modal-dialog share-dialog" aria-labelledby={`${testId}-title`} data-testid={`${testId}-dialog`}>
        <div class="modal-head">
          <h2 id={`${testId}-title`}>Share {props.what}</h2>
          <button type="button" class="btn btn-ghost btn-sm" onClick$={() => dialogRef.value?.close()}>
            Close
          </button>
        </div>
        <p class="muted small">Read-only: results and settings, never your keys, provider addresses or your other runs. Every opening is recorded.</p>

        <fieldset class="share-mode">
          <legend class="sr-only">Share as</legend>
          <label>
            <input type="radio" name={`${testId}-mode`} checked={state.mode === "link"} onChange$={() => (state.mode = "link")} /> Link (anyone with
            it, no sign-in)
          </label>
          <label>
            <input
              type="radio"
              name={`${testId}-mode`}
              checked={state.mode === "accounts"}
              onChange$={() => (state.mode = "accounts")}
              data-testid={`${testId}-mode-accounts`}
            />{" "}
            Named accounts of this deployment
          </label>
        </fieldset>

        {state.mode === "accounts" && (
          <div class="field">
            <label for={`${testId}-emails`}>Emails</label>
            <input
              id={`${testId}-emails`}
              type="text"
              placeholder="ana@example.com, ben@example.com"
              value={state.emails}
              onInput$={(_, el) => (state.emails = el.value)}
              data-testid={`${testId}-emails`}
            />
          </div>
        )}
        <div class="field">
          <label for={`${testId}-expiry`}>Expires</label>
          <select
            id={`${testId}-expiry`}
            value={state.expiryDays}
            onChange$={(_, el) => (state.expiryDays = el.value)}
            data-testid={`${testId}-expiry`}
          >
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.label} value={c.days === null ? "" : String(c.days)}>
                {c.label}
              </option>
            ))}
          </select>
        </div>

        {state.error && (
          <p class="inline-error" role="alert">
            {state.error}
          </p>
        )}
        <div class="form-actions">
          <button type="button" class="btn btn-primary btn-sm" disabled={state.busy} onClick$={create} data-testid={`${testId}-create`}>
            {state.busy ? "Creating…" : state.mode === "link" ? "Create link" : "Share with them"}
          </button>
        </div>

        {state.created && (
          <div class="share-created" data-testid={`${testId}-created`}>
            <label for={`${testId}-url`} class="small">
              {state.created.kind === "link" ? "The link (shown once: copy it now)" : "They open it here, signed in"}
            </label>
            <div class="share-url-row">
              <input id={`${testId}-url`} ref={urlRef} type="text" readOnly value={state.created.url} class="mono" data-testid={`${testId}-url`} />
              <button type="button" class="btn btn-ghost btn-sm" onClick$={copy} data-testid={`${testId}-copy`}>
                {state.copied ? "Copied" : "Copy"}
              </button>
            </div>
          </div>
        )}

        {state.shares && state.shares.length > 0 && (
          <div class="share-existing">
            <h3 class="subheading">Current shares</h3>
            <ul class="share-list">
              {state.shares.map((s) => (
                <li key={s.id} class="share-item" data-testid={`${testId}-item`}>
                  <span>
                    {s.kind === "link" ? "Link" : s.recipients.join(", ")} · created {fmtDateTime(s.created_at)}
                    {s.expires_at ? ` · ${s.expired ? "expired" : "expires"} ${fmtDateTime(s.expires_at)}` : ""} · opened {s.open_count}×
                  </span>
                  <span class="btn-row">
                    <a class="btn btn-ghost btn-sm" href={previewUrl(s.id)} target="_blank" rel="noopener">
                      Preview
                    </a>
                    <button type="button" class="btn btn-danger-ghost btn-sm" onClick$={() => revoke(s)} data-testid={`${testId}-revoke`}>
                      Revoke
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </dialog>
    </>
  );
});
