// Admin → Audit: the audit log, newest first, filtered by user, action and time window, a page at a time.
import { $, component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import { ADMIN_PAGE_SIZE, type AuditEntry } from "~/lib/admin-types";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { describeError } from "~/lib/http";
import { Pager } from "./pager";

const WINDOWS = [
  { value: "", label: "Any time" },
  { value: "1", label: "Last hour" },
  { value: "24", label: "Last 24 hours" },
  { value: "168", label: "Last 7 days" },
  { value: "720", label: "Last 30 days" },
];

export const AuditPanel = component$(() => {
  const state = useStore({
    user: "",
    action: "",
    hours: "",
    offset: 0,
    total: 0,
    entries: [] as AuditEntry[],
    actions: [] as string[],
    loading: true,
    error: "",
  });

  const load = $(async () => {
    state.loading = true;
    const q = new URLSearchParams({ limit: String(ADMIN_PAGE_SIZE), offset: String(state.offset) });
    if (state.user.trim()) q.set("user", state.user.trim());
    if (state.action) q.set("action", state.action);
    if (state.hours) q.set("since", new Date(Date.now() - Number(state.hours) * 3600_000).toISOString());
    try {
      const res = await api.get<{ entries: AuditEntry[]; total: number; actions: string[] }>(`/api/admin/audit?${q}`);
      state.entries = res.entries;
      state.total = res.total;
      state.actions = res.actions;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });
  useVisibleTask$(() => void load());

  const filter = $(async () => {
    state.offset = 0;
    await load();
  });

  const page = $(async (delta: number) => {
    state.offset = Math.max(0, state.offset + delta * ADMIN_PAGE_SIZE);
    await load();
  });

  return (
    <div class="settings-panel" data-testid="admin-audit">
      <div class="panel-head">
        <div>
          <h2>Audit log</h2>
          <p class="muted small">
            Sign-ins, configuration changes, jobs and every admin action. Entries of deleted accounts stay, without the account.
          </p>
        </div>
      </div>
      <form class="admin-filters" preventdefault:submit onSubmit$={filter}>
        <label class="sr-only" for="audit-user">
          User
        </label>
        <input
          id="audit-user"
          type="search"
          placeholder="User email or id"
          value={state.user}
          onInput$={(_, el) => (state.user = el.value)}
          data-testid="audit-user"
        />
        <label class="sr-only" for="audit-action">
          Action
        </label>
        <select
          id="audit-action"
          value={state.action}
          onChange$={(_, el) => {
            state.action = el.value;
            return filter();
          }}
          data-testid="audit-action"
        >
          <option value="">All actions</option>
          {state.actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <label class="sr-only" for="audit-window">
          Time window
        </label>
        <select
          id="audit-window"
          value={state.hours}
          onChange$={(_, el) => {
            state.hours = el.value;
            return filter();
          }}
        >
          {WINDOWS.map((w) => (
            <option key={w.value} value={w.value}>
              {w.label}
            </option>
          ))}
        </select>
        <button type="submit" class="btn btn-ghost btn-sm">
          Filter
        </button>
      </form>
      {state.error && (
        <div class="inline-error" role="alert">
          {state.error}
        </div>
      )}
      <div class="table-wrap card card-flush">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">User</th>
              <th scope="col">Action</th>
              <th scope="col">Resource</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {!state.loading && state.entries.length === 0 && (
              <tr>
                <td colSpan={5} class="muted">
                  No entries match.
                </td>
              </tr>
            )}
            {state.entries.map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <td class="nowrap">{fmtDateTime(e.created_at)}</td>
                <td>{e.user_email ?? <span class="muted">deleted account</span>}</td>
                <td class="mono small">{e.action}</td>
                <td class="mono small">{e.resource_type ? `${e.resource_type}${e.resource_id ? ` ${e.resource_id.slice(0, 12)}` : ""}` : "—"}</td>
                <td class="mono small admin-detail">{e.detail ? JSON.stringify(e.detail) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager offset={state.offset} total={state.total} onPage$={page} />
    </div>
  );
});
