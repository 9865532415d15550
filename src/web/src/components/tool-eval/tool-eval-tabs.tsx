// Sub-navigation shared by every Tool Eval page: Suites (list + editor), Evaluate, History, Param Tuner, Prompt Tuner, Judge, Experiments.
import { component$ } from "@builder.io/qwik";
import { Link, useLocation } from "@builder.io/qwik-city";

const TABS = [
  { href: "/tool-eval/", label: "Suites", match: (p: string) => p === "/tool-eval/" || p.startsWith("/tool-eval/suite/") },
  { href: "/tool-eval/evaluate/", label: "Evaluate", match: (p: string) => p.startsWith("/tool-eval/evaluate/") },
  { href: "/tool-eval/history/", label: "History", match: (p: string) => p.startsWith("/tool-eval/history/") },
  { href: "/tool-eval/param-tune/", label: "Param Tuner", match: (p: string) => p.startsWith("/tool-eval/param-tune/") },
  { href: "/tool-eval/prompt-tune/", label: "Prompt Tuner", match: (p: string) => p.startsWith("/tool-eval/prompt-tune/") },
  // LLM judge (issue 14)
  { href: "/tool-eval/judge/", label: "Judge", match: (p: string) => p.startsWith("/tool-eval/judge/") },
  // Experiments (issue 14)
  { href: "/tool-eval/experiments/", label: "Experiments", match: (p: string) => p.startsWith("/tool-eval/experiments/") },
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
