// Admin → System: usage (runs per window, top users, keys per provider) and system state (D1 size, jobs, sockets).
import { $, component$, useStore, useVisibleTask$ } from "@builder.io/qwik";
import type { AdminStats, AdminSystem } from "~/lib/admin-types";
import { api } from "~/lib/api-client";
import { describeError } from "~/lib/http";

export const SystemPanel = component$(() => {
  const state = useStore({ stats: null as AdminStats | null, system: null as AdminSystem | null, error: "" });

  const load = $(async () => {
    try {
      const [stats, system] = await Promise.all([api.get<AdminStats>("/api/admin/stats"), api.get<AdminSystem>("/api/admin/system")]);
      state.stats = stats;
      state.system = system;
      state.error = "";
    } catch (err) {
      state.error = describeError(err).message;
    }
  });
  useVisibleTask$(() => void load());

  const s = state.stats;
  const sys = state.system;
  const cards: Array<{ label: string; value: string; testId: string }> =
    sys && s
      ? [
          { label: "Database", value: sys.db_size_mb === null ? "—" : `${sys.db_size_mb} MB`, testId: "sys-db" },
          { label: "Running jobs", value: String(sys.active_jobs), testId: "sys-active" },
          { label: "Queued jobs", value: String(sys.queued_jobs), testId: "sys-queued" },
          { label: "Open WebSockets", value: `${sys.connected_sockets}`, testId: "sys-sockets" },
          { label: "Runs, 24 h", value: String(s.runs_24h), testId: "stats-24h" },
          { label: "Runs, 7 days", value: String(s.runs_7d), testId: "stats-7d" },
          { label: "Runs, 30 days", value: String(s.runs_30d), testId: "stats-30d" },
          { label: "Users", value: String(s.total_users), testId: "stats-users" },
        ]
      : [];

  return (
    <div class="settings-panel" data-testid="admin-system">
      <div class="panel-head">
        <div>
          <h2>System</h2>
          <p class="muted small">
            {sys ? `Version ${sys.version} · ${sys.users_connected} users connected · ${sys.log_events} stored log events` : "Loading…"}
          </p>
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
      <div class="stat-cards">
        {cards.map((c) => (
          <div class="stat-card" key={c.label} data-testid={c.testId}>
            <span class="stat-label">{c.label}</span>
            <span class="stat-value">{c.value}</span>
          </div>
        ))}
      </div>
      {s && (
        <div class="admin-columns">
          <div class="card card-flush">
            <h3 class="card-title admin-card-title">Top users (30 days)</h3>
            <table class="table">
              <tbody>
                {s.top_users.length === 0 && (
                  <tr>
                    <td class="muted">No jobs yet.</td>
                  </tr>
                )}
                {s.top_users.map((u) => (
                  <tr key={u.user_id}>
                    <td>{u.email}</td>
                    <td class="num">{u.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="card card-flush">
            <h3 class="card-title admin-card-title">Users with a key, per provider</h3>
            <table class="table">
              <tbody>
                {s.keys_by_provider.length === 0 && (
                  <tr>
                    <td class="muted">No stored keys.</td>
                  </tr>
                )}
                {s.keys_by_provider.map((k) => (
                  <tr key={k.provider_key}>
                    <td class="mono">{k.provider_key}</td>
                    <td class="num">{k.user_count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p class="muted small admin-card-note">{s.shared_keys} shared keys</p>
          </div>
          <div class="card card-flush">
            <h3 class="card-title admin-card-title">Jobs by type (30 days)</h3>
            <table class="table">
              <tbody>
                {s.runs_by_type_30d.map((t) => (
                  <tr key={t.job_type}>
                    <td>{t.job_type.replace(/_/g, " ")}</td>
                    <td class="num">{t.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
});
