/**
 * Whether a judge can be trusted, measured (issue 14): per report, the judge's pass/fail against the automated
 * scorer's (Cohen's kappa, the confusion table, disagreements first), against a second judge, and against the
 * user's overrides; per judge configuration (model, prompt version, instructions), a card with its agreement with
 * every human label the user has given (an override is a label on that eval result), its swap consistency in
 * comparisons and its cost. All figures come from the shared statistics module.
 */
import { eq } from "drizzle-orm";
import { binaryOf } from "../../shared/judge/parse.ts";
import { calibration } from "../../shared/stats/index.ts";
import type { Db } from "../db/client.ts";
import { judgeReports, judgeVerdicts } from "../db/schema.ts";

type VerdictRow = typeof judgeVerdicts.$inferSelect;
type ReportRow = typeof judgeReports.$inferSelect;

const BOOT = { seed: 14, resamples: 500 } as const;
type Judged = Pick<VerdictRow, "verdict"> & { automatedPassed?: boolean | null | undefined };
const automated = (v: Judged) => (v.automatedPassed == null ? null : v.automatedPassed ? "pass" : "fail");

/** Whether the judge's pass/fail differs from the scorer's: the report lists these first, and so does the live event. */
export function disagreesWithScorer(v: Judged): boolean {
  const j = binaryOf(v.verdict);
  const a = automated(v);
  return j !== null && a !== null && j !== a;
}

export function reportCalibration(report: ReportRow, verdicts: VerdictRow[]) {
  const primary = verdicts.filter((v) => v.role === "primary");
  const pairsWith = (rows: VerdictRow[], reference: (v: VerdictRow) => string | null) =>
    rows.flatMap((v) => {
      const judged = binaryOf(v.verdict);
      const ref = reference(v);
      return judged !== null && ref !== null ? [{ reference: ref, judged }] : [];
    });
  const vsScorer = calibration(pairsWith(primary, automated), BOOT);
  const second = verdicts.filter((v) => v.role === "second");
  const secondByResult = new Map(second.map((v) => [v.evalResultId, v]));
  const secondJudge = report.secondModelId
    ? {
        judge_model: report.secondModelId,
        judge_provider_key: report.secondProviderKey,
        /** Rows: the second judge; columns: the primary judge. */
        vs_primary: calibration(
          pairsWith(primary, (v) => {
            const s = secondByResult.get(v.evalResultId);
            return s ? binaryOf(s.verdict) : null;
          }),
          BOOT,
        ),
        vs_scorer: calibration(pairsWith(second, automated), BOOT),
      }
    : null;
  const overridden = primary.filter((v) => v.overrideVerdict);
  return {
    reference: "automated scorer (passed / not passed)",
    judge_vs_scorer: vsScorer,
    disagreements: primary.filter(disagreesWithScorer).length,
    /** Verdicts the judge could not give (a failed call or an unreadable answer): left out of the figures. */
    errors: primary.filter((v) => binaryOf(v.verdict) === null).length,
    second_judge: secondJudge,
    overrides: {
      count: overridden.length,
      /** The judge against the user's overrides on this report (rows: the user). */
      judge_vs_overrides: overridden.length
        ? calibration(
            pairsWith(overridden, (v) => binaryOf(v.overrideVerdict!)),
            BOOT,
          )
        : null,
    },
  };
}

export interface JudgeCard {
  judge_provider_key: string;
  judge_model: string;
  prompt_version: string;
  custom_instructions: string;
  reports: number;
  verdicts: number;
  /** Verdicts on eval results the user has labelled (overridden on any report). */
  labelled: number;
  kappa: number | null;
  false_pass_rate: number | null;
  false_fail_rate: number | null;
  agreement: ReturnType<typeof calibration> | null;
  comparisons: number;
  /** Share of compared cases where both orders named the same winner; null without comparisons. */
  swap_consistency: number | null;
  cost_usd: number | null;
  cost_per_verdict_usd: number | null;
  first_used: string;
  last_used: string;
}

/** One card per judge configuration the user has run, measured against all of the user's labels. */
export async function judgeCards(db: Db, userId: string): Promise<JudgeCard[]> {
  const reports = await db.select().from(judgeReports).where(eq(judgeReports.userId, userId));
  if (!reports.length) return [];
  const byId = new Map(reports.map((r) => [r.id, r]));
  const verdicts = (
    await db
      .select({ v: judgeVerdicts })
      .from(judgeVerdicts)
      .innerJoin(judgeReports, eq(judgeVerdicts.reportId, judgeReports.id))
      .where(eq(judgeReports.userId, userId))
  ).map((r) => r.v);
  // Labels: the latest override per eval result, whichever report it was given on.
  const labels = new Map<string, { label: string; at: string }>();
  for (const v of verdicts) {
    if (!v.overrideVerdict || !v.evalResultId) continue;
    const prev = labels.get(v.evalResultId);
    if (!prev || (v.overriddenAt ?? "") > prev.at) labels.set(v.evalResultId, { label: binaryOf(v.overrideVerdict)!, at: v.overriddenAt ?? "" });
  }
  const cards = new Map<string, { card: JudgeCard; rows: VerdictRow[]; reportIds: Set<string> }>();
  for (const v of verdicts) {
    const r = byId.get(v.reportId)!;
    const key = JSON.stringify([v.judgeProviderKey, v.judgeModelId, r.promptVersion, r.customInstructions]);
    let entry = cards.get(key);
    if (!entry) {
      entry = {
        card: {
          judge_provider_key: v.judgeProviderKey,
          judge_model: v.judgeModelId,
          prompt_version: r.promptVersion,
          custom_instructions: r.customInstructions,
          reports: 0,
          verdicts: 0,
          labelled: 0,
          kappa: null,
          false_pass_rate: null,
          false_fail_rate: null,
          agreement: null,
          comparisons: 0,
          swap_consistency: null,
          cost_usd: null,
          cost_per_verdict_usd: null,
          first_used: r.createdAt,
          last_used: r.createdAt,
        },
        rows: [],
        reportIds: new Set(),
      };
      cards.set(key, entry);
    }
    entry.rows.push(v);
    entry.reportIds.add(r.id);
    if (r.createdAt < entry.card.first_used) entry.card.first_used = r.createdAt;
    if (r.createdAt > entry.card.last_used) entry.card.last_used = r.createdAt;
  }
  return [...cards.values()]
    .map(({ card, rows, reportIds }) => {
      const verdictRows = rows.filter((v) => v.role !== "compare");
      const compareRows = rows.filter((v) => v.role === "compare" && !v.error);
      const labelled = verdictRows.flatMap((v) => {
        const label = v.evalResultId ? labels.get(v.evalResultId) : undefined;
        const judged = binaryOf(v.verdict);
        return label && judged ? [{ reference: label.label, judged }] : [];
      });
      const agreement = labelled.length ? calibration(labelled, BOOT) : null;
      const costs = rows.map((v) => v.costUsd);
      const cost = costs.some((c) => c === null) ? null : costs.reduce<number>((s, c) => s + (c ?? 0), 0);
      const consistent = compareRows.filter((v) => !(v.comparison as { order_disagreement?: boolean } | null)?.order_disagreement).length;
      return {
        ...card,
        reports: reportIds.size,
        verdicts: verdictRows.length,
        labelled: labelled.length,
        kappa: agreement?.kappa ?? null,
        false_pass_rate: agreement?.false_pass_rate ?? null,
        false_fail_rate: agreement?.false_fail_rate ?? null,
        agreement,
        comparisons: compareRows.length,
        swap_consistency: compareRows.length ? consistent / compareRows.length : null,
        cost_usd: cost,
        cost_per_verdict_usd: cost === null || !rows.length ? null : cost / rows.length,
      };
    })
    .sort((a, b) => b.last_used.localeCompare(a.last_used));
}
