// Settings section: title and sub-navigation (API Keys, Providers & models, General, Defaults, Shares, CLI tokens, Backup).
import { component$, Slot } from "@builder.io/qwik";
import { Link, useLocation } from "@builder.io/qwik-city";

const SUB_NAV = [
  { href: "/settings/keys/", label: "API Keys", also: "/settings/" },
  { href: "/settings/providers/", label: "Providers & models" },
  { href: "/settings/general/", label: "General" },
  { href: "/settings/defaults/", label: "Defaults" },
  { href: "/settings/shares/", label: "Shares" },
  { href: "/settings/cli-tokens/", label: "CLI tokens" },
  { href: "/settings/backup/", label: "Backup" },
];

export default component$(() => {
  const loc = useLocation();
  const path = loc.url.pathname.endsWith("/") ? loc.url.pathname : `${loc.url.pathname}/`;
  return (
    <section class="page settings">
      <header class="page-header">
        <div>
          <h1>Settings</h1>
          <p class="page-lede">Keys, providers, models and the defaults your benchmarks start from.</p>
        </div>
      </header>
      <div class="settings-grid">
        <nav class="sub-nav" aria-label="Settings">
          {SUB_NAV.map((item) => {
            const active = path === item.href || path === item.also;
            return (
              <Link key={item.href} href={item.href} class={`sub-nav-link${active ? " is-active" : ""}`} aria-current={active ? "page" : undefined}>
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div class="settings-body">
          <Slot />
        </div>
      </div>
    </section>
  );
});
