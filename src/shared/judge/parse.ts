/**
 * Reads the judge's answers leniently (original §11.1–11.4): the whole text as JSON, else the body of a ``` fence,
 * else the outermost `{…}`; each field is checked with zod on its own, so a missing or odd key gets its default
 * instead of throwing the answer away. Nothing readable at all gives the documented fallback.
 */
import { z } from "zod";

export const VERDICTS = ["pass", "marginal", "fail", "error"] as const;
export type VerdictLabel = (typeof VERDICTS)[number];

/** How the JSON was found: whole, fenced, cut out of prose, or not at all (fallback). */
export type JudgeAnswerFormat = "json" | "fenced" | "extracted" | "invalid";

function asObject(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** The JSON object in a judge's reply and where it was found. */
export function extractJson(raw: string): { value: Record<string, unknown> | null; format: JudgeAnswerFormat } {
  const whole = asObject(raw.trim());
  if (whole) return { value: whole, format: "json" };
  const fence = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(raw);
  const fenced = fence ? asObject(fence[1]!.trim()) : null;
  if (fenced) return { value: fenced, format: "fenced" };
  const start = raw.indexOf("{");
  const end = raw.lastIndexOf("}");
  const cut = start >= 0 && end > start ? asObject(raw.slice(start, end + 1)) : null;
  if (cut) return { value: cut, format: "extracted" };
  return { value: null, format: "invalid" };
}

const lowerEnum = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number] | "unknown") =>
  z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.enum(values))
    .catch(fallback as T[number]);
const text = (max: number, fallback = "") =>
  z
    .string()
    .transform((s) => s.trim().slice(0, max))
    .catch(fallback);

export const CaseVerdictSchema = z.object({
  quality_score: z.coerce.number().int().min(0).max(5).catch(0),
  verdict: lowerEnum(["pass", "marginal", "fail"], "fail"),
  summary: text(100),
  reasoning: text(2000),
  tool_selection_assessment: lowerEnum(["correct", "acceptable_alternative", "wrong"], "unknown"),
  param_assessment: lowerEnum(["exact", "close", "partial", "wrong"], "unknown"),
});
export interface CaseVerdict {
  quality_score: number;
  verdict: VerdictLabel;
  summary: string;
  reasoning: string;
  /** correct | acceptable_alternative | wrong | unknown */
  tool_selection_assessment: string;
  /** exact | close | partial | wrong | unknown */
  param_assessment: string;
}

export const ERROR_VERDICT: CaseVerdict = {
  quality_score: 0,
  verdict: "error",
  summary: "Judge model returned invalid response",
  reasoning: "",
  tool_selection_assessment: "unknown",
  param_assessment: "unknown",
};

/** A per-case verdict: missing keys defaulted (quality 0, fail, unknown); nothing readable → verdict "error". */
export function parseVerdict(raw: string): { verdict: CaseVerdict; format: JudgeAnswerFormat } {
  const { value, format } = extractJson(raw);
  if (!value) return { verdict: ERROR_VERDICT, format };
  return { verdict: CaseVerdictSchema.parse(value) as CaseVerdict, format };
}

export const ModelReportSchema = z.object({
  overall_grade: z
    .string()
    .transform((s) => s.trim().slice(0, 3))
    .pipe(z.string().regex(/^([A-F][+-]?|\?)$/))
    .catch("?"),
  overall_score: z.coerce.number().min(0).max(100).catch(0),
  strengths: z.array(z.string().max(500)).max(20).catch([]),
  weaknesses: z.array(z.string().max(500)).max(20).catch([]),
  cross_case_analysis: text(4000, "Judge model could not generate analysis"),
  recommendations: z.array(z.string().max(500)).max(20).catch([]),
});
export type ModelReport = z.infer<typeof ModelReportSchema>;

export const REPORT_FALLBACK: ModelReport = {
  overall_grade: "?",
  overall_score: 0,
  strengths: [],
  weaknesses: [],
  cross_case_analysis: "Judge model could not generate analysis",
  recommendations: [],
};

export function parseReport(raw: string): ModelReport {
  const { value } = extractJson(raw);
  return value ? ModelReportSchema.parse(value) : REPORT_FALLBACK;
}

/** A comparison of one case in one order: the winner by position (A shown first). */
export const PairwiseSchema = z.object({
  winner: z
    .string()
    .transform((s) => {
      const w = s.trim().toLowerCase();
      return w === "a" || w === "model_a" ? "A" : w === "b" || w === "model_b" ? "B" : "tie";
    })
    .catch("tie"),
  confidence: z.coerce.number().min(0).max(1).catch(0),
  reasoning: text(1000, "Judge error"),
});
export type Pairwise = { winner: "A" | "B" | "tie"; confidence: number; reasoning: string };

export function parsePairwise(raw: string): { pairwise: Pairwise; format: JudgeAnswerFormat } {
  const { value, format } = extractJson(raw);
  if (!value) return { pairwise: { winner: "tie", confidence: 0, reasoning: "Judge error" }, format };
  return { pairwise: PairwiseSchema.parse(value) as Pairwise, format };
}

export const CompareSummarySchema = z.object({
  overall_winner: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.enum(["model_a", "model_b", "tie"]))
    .catch("tie"),
  score_a: z.coerce.number().min(0).max(100).catch(0),
  score_b: z.coerce.number().min(0).max(100).catch(0),
  summary: text(2000),
  tie_cases: z.coerce.number().int().min(0).catch(0),
});
export type CompareSummary = z.infer<typeof CompareSummarySchema>;

/** The judge's summary of a comparison, or null when unreadable (the caller computes one from the counts). */
export function parseCompareSummary(raw: string): CompareSummary | null {
  const { value } = extractJson(raw);
  return value && typeof value.overall_winner === "string" ? CompareSummarySchema.parse(value) : null;
}

/** The fallback summary from win counts (§11.4). */
export function countedSummary(winsA: number, winsB: number, ties: number): CompareSummary {
  const n = winsA + winsB + ties || 1;
  return {
    overall_winner: winsA > winsB ? "model_a" : winsB > winsA ? "model_b" : "tie",
    score_a: Math.round((100 * winsA) / n),
    score_b: Math.round((100 * winsB) / n),
    summary: `A won ${winsA}, B won ${winsB}, ${ties} ties.`,
    tie_cases: ties,
  };
}

/** Pass/fail for calibration: a pass is a pass; marginal and fail are not; an error verdict is left out. */
export function binaryOf(verdict: string): "pass" | "fail" | null {
  if (verdict === "pass") return "pass";
  if (verdict === "marginal" || verdict === "fail") return "fail";
  return null;
}
