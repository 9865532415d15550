// Sticky app header: logo, section tabs, live indicator, jobs bell, user + log out.
import { component$, useSignal } from "@builder.io/qwik";
import { Link, useLocation } from "@builder.io/qwik-city";
import { useSession } from "~/lib/session-context";
import { logout } from "~/lib/session";
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

export const AppHeader = component$<{ minimal?: boolean }>(({ minimal }) => {
  const session = useSession();
  const loc = useLocation();
  const loggingOut = useSignal(false);
  const user = session.user;
  const isAdmin = user?.role === "admin";

  return (
    <header class={`app-header${minimal ? " app-header-minimal" : ""}`}>
      <div class="app-header-inner">
        <Logo href={minimal ? "/" : "/benchmark/"} />
        {!minimal && (
          <nav class="nav-tabs" aria-label="Sections">
            {NAV_TABS.filter((tab) => !tab.adminOnly || isAdmin).map((tab) => {
              const active = isTabActive(loc.url.pathname, tab.href);
              return (
                // No prefetch: it would fetch every tab's code and route data on each page load.
                <Link
                  key={tab.href}
                  href={tab.href}
                  prefetch={false}
                  class={`nav-tab${active ? " is-active" : ""}`}
                  aria-current={active ? "page" : undefined}
                  data-testid={`nav-${tab.label.toLowerCase().replace(/\s+/g, "-")}`}
                >
                  {tab.label}
                </Link>
              );
            })}
          </nav>
        )}
        <div class="header-actions">
          {!minimal && <LiveIndicator />}
          {!minimal && <JobsBell />}
          <div class="user-chip">
            {user ? (
              <>
                <span class="user-avatar" title={user.email} aria-hidden="true">
                  {user.email.charAt(0).toUpperCase()}
                </span>
                <span class="user-email" title={user.email} data-testid="user-email">
                  {user.email}
                </span>
                {isAdmin && (
                  <span class="badge badge-lime" data-testid="admin-badge">
                    ADMIN
                  </span>
                )}
              </>
            ) : (
              <span class="user-email skeleton-text" aria-hidden="true" />
            )}
          </div>
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
      {session.status === "pending" && <div class="top-progress" aria-hidden="true" />}
    </header>
  );
});
