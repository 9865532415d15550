// Sticky app header: logo, section tabs, live indicator, jobs bell, user + log out.
import { component$, useSignal } from "@builder.io/qwik";
import { useLocation } from "@builder.io/qwik-city";
import { logout } from "~/lib/session";
import { useSession } from "~/lib/session-context";
import { AlertsBell } from "./alerts-bell";
import { AppLink } from "./app-link";
import { JobsBell } from "./jobs-bell";
import { LiveIndicator } from "./live-indicator";
import { Logo } from "./logo";

interface NavTab {
  href: string;
  label: string;
  adminOnly?: boolean;
}

export const NAV_TABS: NavTab[] = [
  { href: "/benchmark/", label: "Benchmark" },
  { href: "/tool-eval/", label: "Tool Eval" },
  { href: "/capacity/", label: "Capacity" },
  { href: "/history/", label: "History" },
  { href: "/analytics/", label: "Analytics" },
  { href: "/schedules/", label: "Schedules" },
  { href: "/settings/", label: "Settings" },
  { href: "/admin/", label: "Admin", adminOnly: true },
];

export function isTabActive(pathname: string, href: string): boolean {
  const path = pathname.endsWith("/") ? pathname : `${pathname}/`;
  return path === href || path.startsWith(href);
}

// The header's body reads no store: the session-dependent parts are attribute/text bindings or the small `UserChip`,
// so signing in on load updates the DOM without re-rendering the header (which would fetch its code and Qwik City).
// Every tab is in the markup; CSS hides the admin tab unless the nav has `is-admin`. Tabs are `AppLink`s (see there).
export const AppHeader = component$<{ minimal?: boolean }>(({ minimal }) => {
  const session = useSession();
  const loc = useLocation();
  const loggingOut = useSignal(false);

  return (
    <header class={`app-header${minimal ? " app-header-minimal" : ""}`}>
      <div class="app-header-inner">
        <Logo href={minimal ? "/" : "/benchmark/"} />
        {!minimal && (
          <nav class={session.user?.role === "admin" ? "nav-tabs is-admin" : "nav-tabs"} aria-label="Sections">
            {NAV_TABS.map((tab) => {
              const active = isTabActive(loc.url.pathname, tab.href);
              return (
                <AppLink
                  key={tab.href}
                  href={tab.href}
                  class={`nav-tab${tab.adminOnly ? " nav-tab-admin" : ""}${active ? " is-active" : ""}`}
                  aria-current={active ? "page" : undefined}
                  data-testid={`nav-${tab.label.toLowerCase().replace(/\s+/g, "-")}`}
                >
                  {tab.label}
                </AppLink>
              );
            })}
          </nav>
        )}
        <div class="header-actions">
          {!minimal && <LiveIndicator />}
          {!minimal && <AlertsBell />}
          {!minimal && <JobsBell />}
          <UserChip />
          <button
            type="button"
            class="btn btn-ghost btn-sm"
            data-testid="logout"
            disabled={loggingOut.value}
            onClick$={async () => {
              loggingOut.value = true;
              await logout();
            }}
          >
            {loggingOut.value ? "Logging out…" : "Log out"}
          </button>
        </div>
      </div>
      <div class="top-progress" aria-hidden="true" hidden={session.status !== "pending"} />
    </header>
  );
});

// Re-renders when the session user arrives; kept apart so only this small component's code loads for it.
const UserChip = component$(() => {
  const user = useSession().user;
  return (
    <div class="user-chip">
      {user ? (
        <>
          <span class="user-avatar" title={user.email} aria-hidden="true">
            {user.email.charAt(0).toUpperCase()}
          </span>
          <span class="user-email" title={user.email} data-testid="user-email">
            {user.email}
          </span>
          {user.role === "admin" && (
            <span class="badge badge-lime" data-testid="admin-badge">
              ADMIN
            </span>
          )}
        </>
      ) : (
        <span class="user-email skeleton-text" aria-hidden="true" />
      )}
    </div>
  );
});
