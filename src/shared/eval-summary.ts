/**
 * Per-model summaries of an eval run, computed from the stored result rows: tool %, param %, overall %, pass
 * count, irrelevance %, category breakdown, error taxonomy, format compliance and per-call latency p50/p95.
 * Failed calls (API errors) count as cases but stay out of the means, as in the original.
 */
import { percentile } from "./metrics.ts";

export interface ResultForSummary {
  provider_key: string;
  model_id: string;
  model_name: string;
  category: string | null;
  success: boolean;
  passed: boolean;
  tool_selection_score: number | null;
  param_accuracy: number | null;
  overall_score: number | null;
  irrelevance_score: number | null;
  should_call_tool: boolean;
  format_compliance: string | null;
  error_type: string | null;
  latency_ms: number | null;
}

/** A mean score (0–1) as the percentage every summary shows: one decimal. The analytics leaderboards use it too. */
export const roundPct = (fraction: number) => Math.round(fraction * 1000) / 10;
const pct = (xs: number[]) => (xs.length ? roundPct(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

export function summarize(results: ResultForSummary[]) {
  const byModel = new Map<string, ResultForSummary[]>();
  for (const r of results) {
    const key = `${r.provider_key}::${r.model_id}`;
    const list = byModel.get(key);
    if (list) list.push(r);
    else byModel.set(key, [r]);
  }
  return [...byModel.values()].map((rows) => {
    const ok = rows.filter((r) => r.success);
    const latencies = ok
      .map((r) => r.latency_ms)
      .filter((x): x is number => x !== null)
      .sort((a, b) => a - b);
    const categories: Record<string, { cases: number; passed: number; accuracy_pct: number | null; overall_pct: number | null }> = {};
    for (const r of rows) {
      const cat = r.category ?? "uncategorized";
      categories[cat] ??= { cases: 0, passed: 0, accuracy_pct: null, overall_pct: null };
      categories[cat].cases += 1;
      if (r.passed) categories[cat].passed += 1;
    }
    for (const [cat, v] of Object.entries(categories)) {
      v.accuracy_pct = Math.round((v.passed / v.cases) * 1000) / 10;
      v.overall_pct = pct(ok.filter((r) => (r.category ?? "uncategorized") === cat).map((r) => r.overall_score ?? 0));
    }
    const count = (f: (r: ResultForSummary) => string | null) =>
      rows.reduce<Record<string, number>>((acc, r) => {
        const k = f(r);
        if (k) acc[k] = (acc[k] ?? 0) + 1;
        return acc;
      }, {});
    const irrelevant = ok.filter((r) => !r.should_call_tool);
    return {
      provider_key: rows[0]!.provider_key,
      model_id: rows[0]!.model_id,
      model_name: rows[0]!.model_name,
      cases: rows.length,
      cases_run: ok.length,
      cases_passed: rows.filter((r) => r.passed).length,
      failures: rows.length - ok.length,
      tool_accuracy_pct: pct(ok.map((r) => r.tool_selection_score ?? 0)),
      param_accuracy_pct: pct(ok.filter((r) => r.param_accuracy !== null).map((r) => r.param_accuracy!)),
      overall_pct: pct(ok.map((r) => r.overall_score ?? 0)),
      irrelevance_pct: irrelevant.length ? pct(irrelevant.map((r) => r.irrelevance_score ?? 0)) : null,
      irrelevance_cases: irrelevant.length,
      category_breakdown: categories,
      error_type_counts: count((r) => r.error_type),
      format_compliance_counts: count((r) => r.format_compliance),
      latency_p50_ms: latencies.length ? percentile(latencies, 0.5) : null,
      latency_p95_ms: latencies.length ? percentile(latencies, 0.95) : null,
    };
  });
}
