// Sub-navigation shared by every Tool Eval page: Suites (list + editor), Evaluate, History.
import { component$ } from "@builder.io/qwik";
import { Link, useLocation } from "@builder.io/qwik-city";

const TABS = [
  { href: "/tool-eval/", label: "Suites", match: (p: string) => p === "/tool-eval/" || p.startsWith("/tool-eval/suite/") },
  { href: "/tool-eval/evaluate/", label: "Evaluate", match: (p: string) => p.startsWith("/tool-eval/evaluate/") },
  { href: "/tool-eval/history/", label: "History", match: (p: string) => p.startsWith("/tool-eval/history/") },
];

export const ToolEvalTabs = component$(() => {
  const loc = useLocation();
  return (
    <nav class="te-tabs" aria-label="Tool Eval" data-testid="tool-eval-tabs">
      {TABS.map((t) => (
        <Link key={t.href} href={t.href} class={`te-tab${t.match(loc.url.pathname) ? " is-active" : ""}`}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
});
