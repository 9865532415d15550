// Four headline cards: fastest output speed, best TTFT, models/runs, cost + failures (stress mode: per tier).
import type { JSXOutput } from "@builder.io/qwik";
import { fmtCost, fmtMs, fmtSpeed, fmtTier } from "~/lib/bench-format";
import type { RunSummary } from "~/lib/bench-stats";

interface Card {
  label: string;
  value: string;
  unit?: string;
  sub: string;
  tone?: "accent" | "danger";
}

function cardsFor(s: RunSummary): Card[] {
  const failures: Card = {
    label: "Failures",
    value: String(s.failures),
    sub: s.failures ? `of ${s.measuredRuns + s.failures} runs attempted` : s.skipped ? `${s.skipped} tier(s) skipped` : "every run succeeded",
    tone: s.failures ? "danger" : undefined,
  };
  if (s.stress) {
    const smallest = s.tiers[0] ?? 0;
    const largest = s.tiers[s.tiers.length - 1] ?? 0;
    return [
      {
        label: `Fastest @ ${fmtTier(smallest)} ctx`,
        value: fmtSpeed(s.fastestAtSmallestTier?.value),
        unit: "tok/s",
        sub: s.fastestAtSmallestTier?.model ?? "no successful run yet",
        tone: "accent",
      },
      {
        label: `Fastest @ ${fmtTier(largest)} ctx`,
        value: fmtSpeed(s.fastestAtLargestTier?.value),
        unit: "tok/s",
        sub: s.fastestAtLargestTier?.model ?? "no successful run yet",
      },
      {
        label: "Tiers tested",
        value: String(s.tiers.length),
        sub: s.tiers.map(fmtTier).join(" · "),
      },
      failures,
    ];
  }
  const costPrefix = s.costPartial ? "≥ " : "";
  return [
    {
      label: "Fastest output speed",
      value: fmtSpeed(s.fastest?.value),
      unit: "tok/s",
      sub: s.fastest?.model ?? "no successful run yet",
      tone: "accent",
    },
    { label: "Best TTFT", value: fmtMs(s.bestTtft?.value), sub: s.bestTtft?.model ?? "no successful run yet" },
    {
      label: "Models / runs",
      value: `${s.models} / ${s.measuredRuns}`,
      sub: `${s.models} model${s.models === 1 ? "" : "s"}, ${s.measuredRuns} measured run${s.measuredRuns === 1 ? "" : "s"}${s.failures ? `, ${s.failures} failed` : ""}`,
    },
    {
      label: "Total cost",
      value: s.totalCost === null ? "—" : `${costPrefix}${fmtCost(s.totalCost)}`,
      sub: `${s.totalCost === null ? "price unknown · " : ""}${s.failures} failure${s.failures === 1 ? "" : "s"}`,
      tone: s.failures ? "danger" : undefined,
    },
  ];
}

export function StatCards({ summary }: { summary: RunSummary }): JSXOutput {
  return (
    <div class="stat-cards" data-testid="stat-cards">
      {cardsFor(summary).map((c) => (
        <div key={c.label} class={`stat-card${c.tone ? ` stat-${c.tone}` : ""}`}>
          <span class="stat-label">{c.label}</span>
          <span class="stat-value">
            {c.value}
            {c.unit && c.value !== "—" && <span class="stat-unit"> {c.unit}</span>}
          </span>
          <span class="stat-sub" title={c.sub}>
            {c.sub}
          </span>
        </div>
      ))}
    </div>
  );
}
