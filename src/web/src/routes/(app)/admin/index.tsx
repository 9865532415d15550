// Admin console: users, limits, audit log, every user's jobs, system, logs and shared keys (all from /api/admin).
// Non-admins see an honest "admins only"; the API refuses them anyway (403).
import { $, component$, useSignal } from "@builder.io/qwik";
import { type DocumentHead, Link } from "@builder.io/qwik-city";
import { AuditPanel } from "~/components/admin/audit-panel";
import { JobsPanel } from "~/components/admin/jobs-panel";
import { LimitsPanel } from "~/components/admin/limits-panel";
import { LogsPanel } from "~/components/admin/logs-panel";
import { SharedKeysPanel } from "~/components/admin/shared-keys-panel";
import { SystemPanel } from "~/components/admin/system-panel";
import { UsersPanel } from "~/components/admin/users-panel";
import { useSession } from "~/lib/session-context";

const TABS = [
  { id: "users", label: "Users" },
  { id: "limits", label: "Limits" },
  { id: "audit", label: "Audit log" },
  { id: "jobs", label: "Jobs" },
  { id: "system", label: "System" },
  { id: "logs", label: "Logs" },
  { id: "shared-keys", label: "Shared keys" },
] as const;

type TabId = (typeof TABS)[number]["id"];

export default component$(() => {
  const session = useSession();
  const tab = useSignal<TabId>("users");
  const limitsUser = useSignal("");

  const openLimits = $((userId: string) => {
    limitsUser.value = userId;
    tab.value = "limits";
  });

  if (session.status === "ready" && session.user?.role !== "admin") {
    return (
      <section class="page">
        <div class="card empty-state" data-testid="admin-forbidden">
          <h1>Admins only</h1>
          <p class="muted">Your account doesn't have access to the admin area.</p>
          <Link href="/benchmark/" class="btn btn-ghost">
            Back to Benchmark
          </Link>
        </div>
      </section>
    );
  }
  if (session.status !== "ready") {
    return (
      <section class="page">
        <div class="skeleton-list" role="status" aria-label="Loading">
          <span class="skeleton-row" />
        </div>
      </section>
    );
  }

  return (
    <section class="page settings admin" data-testid="admin-page">
      <header class="page-header">
        <div>
          <h1>Admin</h1>
          <p class="page-lede">Accounts, limits, the audit log, everyone's jobs, system state, logs and shared provider keys.</p>
        </div>
      </header>
      <div class="settings-grid">
        <div class="sub-nav" aria-label="Admin" role="tablist">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab.value === t.id}
              class={`sub-nav-link${tab.value === t.id ? " is-active" : ""}`}
              data-testid={`admin-tab-${t.id}`}
              onClick$={() => {
                if (t.id === "limits") limitsUser.value = "";
                tab.value = t.id;
              }}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div class="settings-body" role="tabpanel">
          {tab.value === "users" && <UsersPanel onLimits$={openLimits} />}
          {tab.value === "limits" && <LimitsPanel key={limitsUser.value} userId={limitsUser.value} />}
          {tab.value === "audit" && <AuditPanel />}
          {tab.value === "jobs" && <JobsPanel />}
          {tab.value === "system" && <SystemPanel />}
          {tab.value === "logs" && <LogsPanel />}
          {tab.value === "shared-keys" && <SharedKeysPanel />}
        </div>
      </div>
    </section>
  );
});

export const head: DocumentHead = { title: "Admin" };
