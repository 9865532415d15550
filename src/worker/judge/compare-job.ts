/**
 * Judge compare as a job kind (`judge_compare`, §11.4, without its bug of §17.8): two eval runs, matched per
 * (model, test case) and never collapsed across models. A model in both runs is compared with itself; two
 * single-model runs of different models are compared with each other. Each pair is judged twice, A shown first
 * and then B shown first; orders that disagree make a tie with low confidence (`swap.ts`). After each model pair's
 * cases, the judge summarises them; the counts, the sign test and the judge's words are stored side by side.
 */
import { and, eq } from "drizzle-orm";
import { countedSummary, parseCompareSummary, parsePairwise } from "../../shared/judge/parse.ts";
import { comparePrompt, JUDGE_PROMPT_VERSION, summaryPrompt } from "../../shared/judge/prompts.ts";
import { combineOrders } from "../../shared/judge/swap.ts";
import { comparePreferences, type Preference } from "../../shared/stats/index.ts";
import type { Db } from "../db/client.ts";
import { judgeModelReports, judgeReports, judgeVerdicts } from "../db/schema.ts";
import { linkableExperiment } from "../experiments/store.ts";
import type { FinishContext, JobKind, KindEvent, StoredItem } from "../jobs/kind.ts";
import { badRequest } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { askJudge } from "./call.ts";
import { type CompareRequest, type JudgePlan, JudgePlanSchema } from "./config.ts";
import { openJudges } from "./job.ts";
import { boundedConcurrency, chunked, judgeableResults, judgeTarget, ownedEvalRun, refOf, validationFailed } from "./plan.ts";
import { judgedCase, judgeInputs, judgeTools, storeVerdicts, type VerdictRow } from "./verdicts.ts";

type Pair = JudgePlan["pairs"][number];
/** A chunk of pairs judged at once; a model pair's last chunk also writes its summary (alone, when a resume left only that). */
type Item = { pairs: Pair[]; summary: { provider_key: string; model_id: string; model_id_b: string } | null };
type Result = { rows: VerdictRow[]; summary: typeof judgeModelReports.$inferInsert | null };

const pairKey = (p: Pair) => `compare:${p.result_a}:${p.result_b}`;
const modelPairKey = (x: { provider_key: string; model_id: string; model_id_b: string }) => `${x.provider_key}::${x.model_id}::${x.model_id_b}`;
const RUN_WINNER = { a: "model_a", b: "model_b", tie: "tie" } as const;

/** Pairs (same case) per model: a model in both runs with itself, else the two runs' only models. */
export function matchPairs(
  a: Array<{ id: string; providerKey: string; modelId: string; testCaseId: string | null }>,
  b: Array<{ id: string; providerKey: string; modelId: string; testCaseId: string | null }>,
): Pair[] {
  const models = (rows: typeof a) => [...new Set(rows.map((r) => `${r.providerKey}::${r.modelId}`))];
  const ma = models(a);
  const mb = new Set(models(b));
  const common = ma.filter((m) => mb.has(m));
  const matches: Array<[string, string]> = common.length
    ? common.map((m) => [m, m])
    : ma.length === 1 && mb.size === 1
      ? [[ma[0]!, [...mb][0]!]]
      : [];
  const pairs: Pair[] = [];
  for (const [ka, kb] of matches) {
    const bByCase = new Map(b.filter((r) => `${r.providerKey}::${r.modelId}` === kb).map((r) => [r.testCaseId, r]));
    for (const ra of a.filter((r) => `${r.providerKey}::${r.modelId}` === ka)) {
      const rb = bByCase.get(ra.testCaseId);
      if (rb) pairs.push({ result_a: ra.id, result_b: rb.id, provider_key: ra.providerKey, model_id: ra.modelId, model_id_b: rb.modelId });
    }
  }
  return pairs;
}

export const judgeCompareJob: JobKind<CompareRequest, Item, Result> = {
  type: "judge_compare",
  runTable: judgeReports,

  async plan({ env, db, userId, runId }, body) {
    const runA = await ownedEvalRun(db, userId, body.eval_run_id_a);
    const runB = await ownedEvalRun(db, userId, body.eval_run_id_b);
    // Ownership of everything named first: another user's experiment is a 404 whatever else is wrong.
    const experimentId = runA.suiteId ? await linkableExperiment(db, userId, body.experiment_id, runA.suiteId) : null;
    if (runA.id === runB.id) throw validationFailed("eval_run_id_b", "Compare two different eval runs");
    const judge = await judgeTarget(db, userId, "judge_model", body.judge_model, body.judge_provider_key);
    const pairs = matchPairs(await judgeableResults(db, runA.id), await judgeableResults(db, runB.id));
    if (!pairs.length)
      throw badRequest("The two runs have no test case in common for the same model (or for their only models)", [
        { path: "eval_run_id_b", message: "no common test cases" },
      ]);
    const { concurrency, note } = await boundedConcurrency(env, db, userId, [judge], [runA, runB], body.concurrency);
    const plan: JudgePlan = {
      judge: refOf(judge),
      second: null,
      tools: ((runA.config as { tools?: Record<string, unknown>[] }).tools ?? []) as Record<string, unknown>[],
      results: [],
      pairs,
      concurrency_note: note,
    };
    const modelPairs = new Set(pairs.map(modelPairKey)).size;
    const names = (pairsOf: Pair[], side: "model_id" | "model_id_b") => [...new Set(pairsOf.map((p) => p[side]))].join(", ");
    return {
      runRow: {
        evalRunId: runA.id,
        evalRunIdB: runB.id,
        experimentId,
        suiteName: runA.suiteName,
        judgeProviderKey: judge.providerKey,
        judgeModelId: judge.modelId,
        judgeModelName: judge.modelName,
        mode: "comparative",
        promptVersion: JUDGE_PROMPT_VERSION,
        customInstructions: body.custom_instructions?.trim() ?? "",
        concurrency,
        config: plan,
      },
      groups: ["judge"],
      workTotal: pairs.length,
      params: { judge_report_id: runId, eval_run_id: runA.id, eval_run_id_b: runB.id, judge_model: judge.modelId, cases: pairs.length },
      progressDetail: `Compare with ${judge.modelName}: ${pairs.length} cases`,
      initEvents: [
        {
          type: "compare_start",
          judge_report_id: runId,
          model_a: names(pairs, "model_id"),
          model_b: names(pairs, "model_id_b"),
          cases: pairs.length,
        },
      ],
      response: { judge_report_id: runId, concurrency, concurrency_note: note, cases: pairs.length, model_pairs: modelPairs },
      audit: { action: "judge_compare_start", resourceType: "judge_report" },
    };
  },

  async openGroup({ env, db, group }) {
    const report = await db
      .select()
      .from(judgeReports)
      .where(and(eq(judgeReports.id, group.runId), eq(judgeReports.userId, group.userId)))
      .get();
    if (!report?.evalRunId || !report.evalRunIdB) return null;
    const plan = JudgePlanSchema.parse(report.config);
    const stored = new Set(
      (await db.select({ key: judgeVerdicts.itemKey }).from(judgeVerdicts).where(eq(judgeVerdicts.reportId, report.id))).map((s) => s.key),
    );
    const summarised = new Set(
      (
        await db
          .select({ p: judgeModelReports.providerKey, m: judgeModelReports.modelId })
          .from(judgeModelReports)
          .where(eq(judgeModelReports.reportId, report.id))
      ).map((r) => `${r.p}::${r.m}`),
    );
    const inputsA = await judgeInputs(
      db,
      report.evalRunId,
      plan.pairs.map((p) => p.result_a),
    );
    const inputsB = await judgeInputs(
      db,
      report.evalRunIdB,
      plan.pairs.map((p) => p.result_b),
    );
    const { primary } = await openJudges(env, db, group.userId, plan);
    const tools = judgeTools(plan.tools);
    const usable = plan.pairs.filter((p) => inputsA.has(p.result_a) && inputsB.has(p.result_b));

    const items: Item[] = [];
    const byModelPair = new Map<string, Pair[]>();
    for (const p of usable) byModelPair.set(modelPairKey(p), [...(byModelPair.get(modelPairKey(p)) ?? []), p]);
    for (const pairs of byModelPair.values()) {
      const first = pairs[0]!;
      const summary = summarised.has(`${first.provider_key}::${first.model_id}`)
        ? null
        : { provider_key: first.provider_key, model_id: first.model_id, model_id_b: first.model_id_b };
      const chunks = chunked(
        pairs.filter((p) => !stored.has(pairKey(p))),
        report.concurrency,
      );
      chunks.forEach((chunk, i) => {
        items.push({ pairs: chunk, summary: i === chunks.length - 1 ? summary : null });
      });
      if (!chunks.length && summary) items.push({ pairs: [], summary });
    }
    const position = new Map(usable.map((p, i) => [pairKey(p), i + 1]));
    let compared = usable.filter((p) => stored.has(pairKey(p))).length;

    async function judgePair(p: Pair, signal: AbortSignal): Promise<VerdictRow> {
      const a = inputsA.get(p.result_a)!;
      const b = inputsB.get(p.result_b)!;
      const base = {
        reportId: report!.id,
        itemKey: pairKey(p),
        role: "compare" as const,
        judgeProviderKey: plan.judge.provider_key,
        judgeModelId: plan.judge.model_id,
      };
      const facts = {
        evalResultId: a.result.id,
        evalResultIdB: b.result.id,
        testCaseId: a.result.testCaseId,
        providerKey: a.result.providerKey,
        modelId: a.result.modelId,
        modelName: a.result.modelName,
      };
      if (!primary || "error" in primary) {
        const e = primary && "error" in primary ? primary.error : { cls: "not_found", message: "The judge model is gone" };
        return { id: newId(), ...base, ...facts, verdict: "tie", summary: "Judge error", error: `${e.cls}: ${e.message}` };
      }
      const ca = judgedCase(a);
      const cb = judgedCase(b);
      const answer = (x: typeof ca) => ({ called_tool: x.called_tool, called_params: x.called_params, automated_score: x.automated_score });
      const ask = (first: typeof ca, second: typeof ca) =>
        askJudge(
          primary.llm,
          primary.target,
          comparePrompt(
            tools,
            {
              prompt: ca.prompt,
              expected_tool: ca.expected_tool,
              expected_params: ca.expected_params,
              answer_a: answer(first),
              answer_b: answer(second),
            },
            { k: position.get(pairKey(p)) ?? 1, n: usable.length },
            report!.customInstructions,
          ),
          signal,
        );
      const [forward, swapped] = await Promise.all([ask(ca, cb), ask(cb, ca)]);
      const failed = [forward, swapped].find((o) => !o.ok);
      const pf = parsePairwise(forward.ok ? forward.text : "").pairwise;
      const ps = parsePairwise(swapped.ok ? swapped.text : "").pairwise;
      const combined = combineOrders(pf, ps);
      const sum = (x: number | null, y: number | null) => (x === null || y === null ? null : x + y);
      return {
        id: newId(),
        ...base,
        ...facts,
        verdict: RUN_WINNER[combined.winner],
        summary: combined.order_disagreement ? "The two orders disagree: a tie" : pf.reasoning.slice(0, 100),
        reasoning: `A first: ${pf.reasoning} B first: ${ps.reasoning}`.slice(0, 2000),
        comparison: {
          ...combined,
          winner: RUN_WINNER[combined.winner],
          reasoning_forward: pf.reasoning,
          reasoning_swapped: ps.reasoning,
          model_id_b: b.result.modelId,
        },
        error: failed && !failed.ok ? `${failed.errorClass}: ${failed.error}`.slice(0, 500) : null,
        inputTokens: sum(forward.inputTokens, swapped.inputTokens),
        outputTokens: sum(forward.outputTokens, swapped.outputTokens),
        costUsd: sum(forward.costUsd, swapped.costUsd),
        latencyMs: sum(forward.latencyMs, swapped.latencyMs),
      };
    }

    /** A model pair's summary: the counts and sign test from its verdicts (stored and fresh), beside the judge's words. */
    async function summarise(which: NonNullable<Item["summary"]>, fresh: VerdictRow[], signal: AbortSignal) {
      const storedRows = await pairVerdicts(db, report!.id, which.provider_key, which.model_id);
      const keys = new Set(storedRows.map((v) => v.itemKey));
      const verdicts = [
        ...storedRows,
        ...fresh
          .filter((v) => v.providerKey === which.provider_key && v.modelId === which.model_id && !keys.has(v.itemKey))
          .map((v) => ({
            ...v,
            testCaseId: v.testCaseId ?? null,
            error: v.error ?? null,
            comparison: v.comparison ?? null,
            summary: v.summary ?? "",
          })),
      ];
      const counts = preferenceCounts(verdicts, which.model_id_b);
      let judgeSummary = null;
      let cost: number | null = null;
      if (primary && !("error" in primary)) {
        const lines = verdicts.map((v) => ({
          test_case_id: v.testCaseId ?? "?",
          winner: v.verdict === "model_a" ? "A" : v.verdict === "model_b" ? "B" : "tie",
          confidence: Number((v.comparison as { confidence?: number } | null)?.confidence ?? 0),
          reasoning: v.summary,
        }));
        const out = await askJudge(primary.llm, primary.target, summaryPrompt(which.model_id, which.model_id_b, lines), signal);
        judgeSummary = out.ok ? parseCompareSummary(out.text) : null;
        cost = out.costUsd;
      }
      const summary = judgeSummary ?? countedSummary(counts.wins_a, counts.wins_b, counts.ties);
      return {
        id: newId(),
        reportId: report!.id,
        providerKey: which.provider_key,
        modelId: which.model_id,
        modelName: verdicts[0]?.modelName ?? which.model_id,
        report: { model_a: which.model_id, model_b: which.model_id_b, ...summary, judge_summary: judgeSummary !== null, ...counts },
        costUsd: cost,
      };
    }

    return {
      items,
      announce: () => null,
      async run(item, signal): Promise<Result> {
        const rows = await Promise.all(item.pairs.map((p) => judgePair(p, signal)));
        return { rows, summary: item.summary && !signal.aborted ? await summarise(item.summary, rows, signal) : null };
      },
      async store(item, result): Promise<StoredItem | null> {
        const inserted = await storeVerdicts(db, result.rows);
        const events: KindEvent[] = inserted.map((r) => {
          const c = (r.comparison ?? {}) as { confidence?: number; order_disagreement?: boolean; model_id_b?: string };
          return {
            type: "compare_case" as const,
            judge_report_id: report.id,
            verdict_id: r.id!,
            test_case_id: r.testCaseId ?? null,
            provider_key: r.providerKey,
            model_name: r.modelName,
            model_id_a: r.modelId,
            model_id_b: c.model_id_b ?? r.modelId,
            winner: r.verdict,
            confidence: c.confidence ?? 0,
            order_disagreement: c.order_disagreement ?? false,
            reasoning: r.summary ?? "",
            error: r.error ?? null,
          };
        });
        let summarised = false;
        if (result.summary) {
          const stored = await db.insert(judgeModelReports).values(result.summary).onConflictDoNothing().returning({ id: judgeModelReports.id });
          summarised = stored.length > 0;
          if (summarised)
            events.push({
              type: "judge_report",
              eval_id: report.evalRunId,
              judge_report_id: report.id,
              report: result.summary.report as Record<string, unknown>,
            });
        }
        if (!inserted.length && !summarised) return null;
        compared += item.pairs.length;
        const failed = inserted.filter((r) => r.error);
        const allFailed = inserted.length > 0 && failed.length === inserted.length;
        return {
          events,
          units: item.pairs.length, // the summary rides with the chunk: progress counts compared cases
          // Counted over the whole report (cases stored by an earlier delivery included), as the post-eval judge does.
          detail: `Compare with ${plan.judge.model_name}: ${Math.min(compared, usable.length)}/${usable.length} cases`,
          outcome: allFailed ? "failed" : "ok",
          ...(allFailed ? { failure: { cls: failed[0]!.error!.split(": ")[0]!, message: failed[0]!.error!.split(": ").slice(1).join(": ") } } : {}),
        };
      },
    };
  },

  finish: (ctx) => finishCompare(ctx),
};

async function pairVerdicts(db: Db, reportId: string, providerKey?: string, modelId?: string) {
  const rows = await db
    .select()
    .from(judgeVerdicts)
    .where(and(eq(judgeVerdicts.reportId, reportId), eq(judgeVerdicts.role, "compare")));
  return rows.filter((r) => (providerKey === undefined || r.providerKey === providerKey) && (modelId === undefined || r.modelId === modelId));
}

/** Wins, ties and the sign test over (model, case) units; errors (no judgement) are left out. */
export function preferenceCounts(
  verdicts: Array<{ verdict: string; testCaseId: string | null; modelId: string; error: string | null; comparison: unknown }>,
  labelB: string,
) {
  const judged = verdicts.filter((v) => !v.error);
  const prefs = judged.map((v) => ({
    caseId: `${v.modelId}\u0000${v.testCaseId}`,
    winner: (v.verdict === "model_a" ? "a" : v.verdict === "model_b" ? "b" : "tie") as Preference,
  }));
  const cmp = prefs.length ? comparePreferences(prefs, labelB) : null;
  const disagreements = judged.filter((v) => (v.comparison as { order_disagreement?: boolean } | null)?.order_disagreement).length;
  return {
    wins_a: cmp?.wins_a ?? 0,
    wins_b: cmp?.wins_b ?? 0,
    ties: cmp?.ties ?? 0,
    sign_test_p: cmp?.sign_test_p ?? null,
    significance: (cmp?.significance ?? null) as unknown as Record<string, unknown> | null,
    order_disagreements: disagreements,
    swap_consistency: judged.length ? (judged.length - disagreements) / judged.length : null,
    errors: verdicts.length - judged.length,
  };
}

export async function finishCompare(ctx: FinishContext): Promise<KindEvent[]> {
  const report = await ctx.db
    .select()
    .from(judgeReports)
    .where(and(eq(judgeReports.id, ctx.runId), eq(judgeReports.userId, ctx.userId)))
    .get();
  if (!report) return [];
  const summaries = await ctx.db.select().from(judgeModelReports).where(eq(judgeModelReports.reportId, report.id));
  const counts = preferenceCounts(await pairVerdicts(ctx.db, report.id), "run B");
  const overall = countedSummary(counts.wins_a, counts.wins_b, counts.ties);
  const body = { ...overall, ...counts, model_pairs: summaries.map((s) => s.report) };
  await ctx.db
    .update(judgeReports)
    .set({ report: body, overallGrade: overall.overall_winner, overallScore: Math.max(overall.score_a, overall.score_b) })
    .where(eq(judgeReports.id, report.id));
  return [
    {
      type: "compare_complete",
      judge_report_id: report.id,
      overall_winner: overall.overall_winner,
      score_a: overall.score_a,
      score_b: overall.score_b,
      summary: overall.summary,
      tie_cases: overall.tie_cases,
      wins_a: counts.wins_a,
      wins_b: counts.wins_b,
      ties: counts.ties,
      sign_test_p: counts.sign_test_p,
    },
  ];
}
