// Admin → Users: every account with its counts; change the role (never your own), open its limits, delete it.
import { $, component$, type QRL, useStore, useVisibleTask$ } from "@builder.io/qwik";
import type { AdminUser } from "~/lib/admin-types";
import { api } from "~/lib/api-client";
import { fmtDateTime } from "~/lib/bench-format";
import { confirmAction } from "~/lib/confirm";
import { describeError } from "~/lib/http";
import { showToast, toastError } from "~/lib/toast";
import { Badge } from "../badge";

export const UsersPanel = component$((props: { onLimits$: QRL<(userId: string) => void> }) => {
  const state = useStore({ loading: true, error: "", users: [] as AdminUser[], busy: "" });

  const load = $(async () => {
    try {
      state.users = (await api.get<{ users: AdminUser[] }>("/api/admin/users?limit=500")).users;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    } finally {
      state.loading = false;
    }
  });
  useVisibleTask$(() => void load());

  const setRole = $(async (u: AdminUser, role: "admin" | "user") => {
    state.busy = u.id;
    try {
      await api.put(`/api/admin/users/${u.id}/role`, { role });
      showToast("success", `${u.email} is now ${role === "admin" ? "an admin" : "a user"}.`);
      await load();
    } catch (err) {
      toastError(err);
    } finally {
      state.busy = "";
    }
  });

  const remove = $(async (u: AdminUser) => {
    const ok = await confirmAction({
      title: `Delete ${u.email}?`,
      message: "Their providers, keys, runs and jobs are deleted and running jobs are cancelled. Audit entries stay, without the account.",
      confirmLabel: "Delete account",
    });
    if (!ok) return;
    state.busy = u.id;
    try {
      await api.del(`/api/admin/users/${u.id}`);
      showToast("success", `Deleted ${u.email}.`);
      await load();
    } catch (err) {
      toastError(err);
    } finally {
      state.busy = "";
    }
  });

  return (
    <div class="settings-panel" data-testid="admin-users">
      <div class="panel-head">
        <div>
          <h2>Users</h2>
          <p class="muted small">Roles take effect on the user's next request. You cannot change or delete your own account here.</p>
        </div>
        <button type="button" class="btn btn-ghost btn-sm" onClick$={load}>
          Refresh
        </button>
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
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Benchmarks</th>
              <th scope="col">Evals</th>
              <th scope="col">Active jobs</th>
              <th scope="col">Keys</th>
              <th scope="col">Last login</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.loading && state.users.length === 0 && (
              <tr>
                <td colSpan={9}>
                  <div class="skeleton-list" role="status" aria-label="Loading users">
                    <span class="skeleton-row" />
                  </div>
                </td>
              </tr>
            )}
            {state.users.map((u) => (
              <tr key={u.id} data-testid={`admin-user-${u.email}`}>
                <td data-label="Email">
                  <div class="cell-title">{u.email}</div>
                  {u.is_self && <span class="muted small">you</span>}
                </td>
                <td data-label="Role">
                  <label class="sr-only" for={`role-${u.id}`}>
                    Role of {u.email}
                  </label>
                  <select
                    id={`role-${u.id}`}
                    value={u.role}
                    disabled={u.is_self || state.busy === u.id}
                    title={u.is_self ? "You cannot change your own role" : undefined}
                    data-testid={`admin-role-${u.email}`}
                    onChange$={(_, el) => setRole(u, el.value as "admin" | "user")}
                  >
                    <option value="user">user</option>
                    <option value="admin">admin</option>
                  </select>
                </td>
                <td data-label="Benchmarks" class="num">
                  {u.benchmark_count}
                </td>
                <td data-label="Evals" class="num">
                  {u.eval_count}
                </td>
                <td data-label="Active jobs" class="num">
                  {u.active_jobs > 0 ? <Badge tone="lime">{u.active_jobs}</Badge> : 0}
                </td>
                <td data-label="Keys" class="num">
                  {u.key_count}
                </td>
                <td data-label="Last login" class="nowrap">
                  {fmtDateTime(u.last_login)}
                </td>
                <td data-label="Created" class="nowrap">
                  {fmtDateTime(u.created_at)}
                </td>
                <td class="nowrap">
                  <button type="button" class="btn btn-ghost btn-sm" data-testid={`admin-limits-${u.email}`} onClick$={() => props.onLimits$(u.id)}>
                    Limits
                  </button>
                  {!u.is_self && (
                    <button
                      type="button"
                      class="btn btn-danger-ghost btn-sm"
                      disabled={state.busy === u.id}
                      data-testid={`admin-delete-${u.email}`}
                      onClick$={() => remove(u)}
                    >
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});
