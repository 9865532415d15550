// Sortable per model × context tier table of aggregates (p50/p95, CV, confidence, runs, cost); skipped tiers last.
import { component$, useSignal } from "@builder.io/qwik";
import { fmtCost, fmtMs, fmtPct, fmtSpeed, fmtTier } from "~/lib/bench-format";
import type { Aggregate, BenchmarkResult, Confidence } from "~/lib/benchmark-types";
import { Badge, type BadgeTone } from "../badge";

type SortKey = "model" | "context" | "speed" | "e2e" | "ttft50" | "ttft95" | "itl" | "cv" | "confidence" | "runs" | "cost";

interface Column {
  key: SortKey;
  label: string;
  title?: string;
  numeric?: boolean;
  /** Higher is better: first click sorts descending. */
  desc?: boolean;
}

const COLUMNS: Column[] = [
  { key: "model", label: "Model" },
  { key: "context", label: "Context", numeric: true },
  { key: "speed", label: "Output tok/s p50", numeric: true, desc: true, title: "Output speed excluding TTFT (median)" },
  { key: "e2e", label: "E2E tok/s", numeric: true, desc: true, title: "End-to-end tokens/s including TTFT (median)" },
  { key: "ttft50", label: "TTFT p50", numeric: true, title: "Time to first token, median" },
  { key: "ttft95", label: "TTFT p95", numeric: true, title: "Time to first token, 95th percentile" },
  { key: "itl", label: "ITL", numeric: true, title: "Inter-token latency, median" },
  { key: "cv", label: "CV %", numeric: true, title: "Coefficient of variation of output speed (sample stddev / mean)" },
  { key: "confidence", label: "Confidence", desc: true, title: "high: CV < 10 % with ≥ 3 runs · low: CV > 30 % or a single run" },
  { key: "runs", label: "Runs ok/fail", numeric: true, desc: true, title: "Successful / failed measured runs" },
  { key: "cost", label: "Cost / run", numeric: true, title: "Mean cost per successful run (— = price unknown)" },
];

const CONFIDENCE_TONE: Record<Confidence, BadgeTone> = { high: "lime", medium: "amber", low: "coral" };
const CONFIDENCE_RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

function sortValue(a: Aggregate, key: SortKey): number | string | null {
  switch (key) {
    case "model":
      return `${a.model} ${a.provider}`.toLowerCase();
    case "context":
      return a.context_tokens;
    case "speed":
      return a.stats.output_speed_tps?.p50 ?? null;
    case "e2e":
      return a.stats.e2e_tps?.p50 ?? null;
    case "ttft50":
      return a.stats.ttft_ms?.p50 ?? null;
    case "ttft95":
      return a.stats.ttft_ms?.p95 ?? null;
    case "itl":
      return a.stats.itl_ms?.p50 ?? null;
    case "cv":
      return a.stats.output_speed_tps?.cv_pct ?? null;
    case "confidence":
      return a.n ? CONFIDENCE_RANK[a.confidence] : null;
    case "runs":
      return a.n;
    case "cost":
      return a.stats.cost_usd?.mean ?? null;
  }
}

export interface AggregatesTableProps {
  aggregates: Aggregate[];
  /** Results of the run: skipped tiers are listed after the measured rows. */
  results?: BenchmarkResult[];
  testId?: string;
  /** Adds data-testid="result-row-<model_id>-<context>" to rows (one table per page). */
  rowTestIds?: boolean;
  caption: string;
}

export const AggregatesTable = component$<AggregatesTableProps>((props) => {
  // Until a header is clicked: several tiers → grouped by model (then context); one tier → fastest first.
  const stress = new Set(props.aggregates.map((a) => a.context_tokens)).size > 1;
  const chosenKey = useSignal<SortKey | null>(null);
  const chosenDesc = useSignal(true);
  const sortKey = { value: chosenKey.value ?? (stress ? "model" : "speed") };
  const sortDesc = { value: chosenKey.value ? chosenDesc.value : !stress };

  const rows = [...props.aggregates].sort((a, b) => {
    const va = sortValue(a, sortKey.value);
    const vb = sortValue(b, sortKey.value);
    if (va === null && vb === null) return 0;
    if (va === null) return 1; // missing values always last
    if (vb === null) return -1;
    const cmp = typeof va === "string" ? va.localeCompare(String(vb)) : va - (vb as number);
    if (cmp === 0) return a.context_tokens - b.context_tokens || a.model.localeCompare(b.model);
    return sortDesc.value ? -cmp : cmp;
  });
  const skipped = (props.results ?? []).filter((r) => r.type === "skipped");
  const bestSpeed = Math.max(...props.aggregates.map((a) => a.stats.output_speed_tps?.p50 ?? -1));
  const bestTtft = Math.min(...props.aggregates.map((a) => a.stats.ttft_ms?.p50 ?? Number.POSITIVE_INFINITY));
  const multiTier = stress;

  return (
    <div class="table-wrap results-table-wrap">
      <table class="table results-table" data-testid={props.testId}>
        <caption class="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            {COLUMNS.map((col) => {
              const active = sortKey.value === col.key;
              return (
                <th
                  key={col.key}
                  scope="col"
                  class={col.numeric ? "num" : undefined}
                  aria-sort={active ? (sortDesc.value ? "descending" : "ascending") : "none"}
                >
                  <button
                    type="button"
                    class={`sort-btn${active ? " is-active" : ""}`}
                    title={col.title}
                    onClick$={() => {
                      if (active) chosenDesc.value = !sortDesc.value;
                      else chosenDesc.value = Boolean(col.desc);
                      chosenKey.value = col.key;
                    }}
                  >
                    {col.label}
                    <span class="sort-arrow" aria-hidden="true">
                      {active ? (sortDesc.value ? "↓" : "↑") : "↕"}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((a) => {
            const speed = a.stats.output_speed_tps;
            const ttft = a.stats.ttft_ms;
            const allFailed = a.n === 0;
            return (
              <tr
                key={`${a.provider_key}:${a.model_id}:${a.context_tokens}`}
                class={allFailed ? "row-failed" : undefined}
                data-testid={props.rowTestIds ? `result-row-${a.model_id}-${a.context_tokens}` : undefined}
              >
                <td class="cell-model">
                  <span class="cell-title" title={a.model_id}>
                    {a.model}
                  </span>
                  <Badge tone="outline" title={a.provider_key}>
                    {a.provider}
                  </Badge>
                </td>
                <td class="num mono">{fmtTier(a.context_tokens)}</td>
                <td class={`num mono cell-strong${multiTier ? "" : speed && speed.p50 === bestSpeed ? " cell-best" : ""}`}>{fmtSpeed(speed?.p50)}</td>
                <td class="num mono">{fmtSpeed(a.stats.e2e_tps?.p50)}</td>
                <td class={`num mono${multiTier ? "" : ttft && ttft.p50 === bestTtft ? " cell-best" : ""}`}>{fmtMs(ttft?.p50)}</td>
                <td class="num mono">{fmtMs(ttft?.p95)}</td>
                <td class="num mono">{fmtMs(a.stats.itl_ms?.p50)}</td>
                <td class="num mono">{fmtPct(speed?.cv_pct)}</td>
                <td>
                  {allFailed ? (
                    <Badge tone="coral">FAILED</Badge>
                  ) : (
                    <Badge tone={CONFIDENCE_TONE[a.confidence]} title={`n = ${a.n}`}>
                      {a.confidence.toUpperCase()}
                    </Badge>
                  )}
                </td>
                <td class="num mono">
                  <span class={a.n ? "text-ok" : "muted"}>{a.n}</span>
                  <span class="muted">/</span>
                  <span class={a.failures ? "text-danger" : "muted"}>{a.failures}</span>
                </td>
                <td class="num mono">{fmtCost(a.stats.cost_usd?.mean)}</td>
              </tr>
            );
          })}
          {skipped.map((r) => (
            <tr
              key={`skip:${r.provider_key}:${r.model_id}:${r.context_tokens}`}
              class="row-skipped"
              data-testid={props.rowTestIds ? `result-row-${r.model_id}-${r.context_tokens}` : undefined}
            >
              <td class="cell-model">
                <span class="cell-title" title={r.model_id}>
                  {r.model}
                </span>
                <Badge tone="outline" title={r.provider_key}>
                  {r.provider}
                </Badge>
              </td>
              <td class="num mono">{fmtTier(r.context_tokens)}</td>
              <td colSpan={9} class="muted small">
                Skipped — {r.error ?? "tier exceeds the model's context window"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
