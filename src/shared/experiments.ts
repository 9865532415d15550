/**
 * Experiments as the Worker answers them and the Experiments page reads them: the reproducible "best config", a
 * timeline entry, and how a paired verdict against the baseline is labelled. Shared so the page never re-derives
 * a label the server decided.
 */
import type { Significance, Verdict } from "./stats/index.ts";

/** What a timeline entry comes from (src/worker/experiments/sources.ts). */
export type TimelineEntryType = "eval" | "param_tune" | "prompt_tune" | "judge" | (string & {});

/** Sources that can set the experiment's best (the CHECK on experiments.best_source). */
export const BEST_SOURCES = ["eval", "param_tune", "prompt_tune"] as const;
export type BestSource = (typeof BEST_SOURCES)[number];

/** A config "run best" can submit as a tool eval: the best run's models and call settings. */
export interface BestConfig {
  targets: Array<{ provider_key: string; model_id: string }>;
  temperature: number;
  tool_choice: "required" | "auto" | "none";
  provider_params: Record<string, unknown> | null;
  /** One prompt, or per model keyed "provider_key::model_id" (as the eval request takes it). */
  system_prompt: string | Record<string, string> | null;
  scorer: string;
  /** Where it came from, e.g. the param tune's best combo. */
  promoted_from: { type: BestSource; id: string; label: string | null };
}

export type SignificanceLabel = "significant" | "not significant" | "insufficient evidence";

/** The label a delta gets: `better`/`worse` are significant; a tie or a too-small difference is not. */
export function significanceLabel(verdict: Verdict): SignificanceLabel {
  if (verdict === "better" || verdict === "worse") return "significant";
  if (verdict === "not_distinguishable") return "not significant";
  return "insufficient evidence";
}

export interface TimelineEntry {
  type: TimelineEntryType;
  id: string;
  status: string;
  timestamp: string;
  completed_at: string | null;
  /** 0–1 (the run's mean score; a tune's best), null while running or when nothing scored. */
  score: number | null;
  /** score − baseline score, 4 decimals; null without a baseline or a score. */
  delta: number | null;
  is_baseline: boolean;
  is_best: boolean;
  config_summary: string;
  /** The paired test against the baseline on the test cases both scored (null for the baseline itself). */
  significance: Significance | null;
  significance_label: SignificanceLabel | null;
  /** Type-specific fields (prompt preview, models, the judge's grade…). */
  detail: Record<string, unknown>;
}

/** "temp=0.2, tool_choice=auto, top_p=0.9, prompt" — how a config reads in a timeline row. */
export function configSummary(c: Pick<BestConfig, "temperature" | "tool_choice" | "provider_params" | "system_prompt">): string {
  const parts = [`temp=${c.temperature}`, `tool_choice=${c.tool_choice}`];
  for (const [k, v] of Object.entries(c.provider_params ?? {})) parts.push(`${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`);
  const prompt = c.system_prompt;
  if (typeof prompt === "string" && prompt.trim()) parts.push("prompt");
  else if (prompt && typeof prompt === "object" && Object.keys(prompt).length) parts.push(`prompt=${Object.keys(prompt).length} entries`);
  return parts.join(", ");
}
