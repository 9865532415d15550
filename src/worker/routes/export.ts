/**
 * /api/export: CSV of benchmark history, of one run, of a leaderboard and of tool-eval summaries, and the JSON
 * settings backup; /api/import/settings restores one (validated, one transaction, with a dry run). The eval-run
 * JSON with raw exchanges is /api/export/eval/{id} (routes/tool-eval.ts). The original's paths (§5.11, §13.4).
 */
import { z } from "@hono/zod-openapi";
import { roundPct } from "../../shared/eval-summary.ts";
import { ownedRunIds } from "../analytics/owned.ts";
import { evalRunSummaries, periodStart } from "../analytics/queries.ts";
import { leaderboard } from "../analytics/views.ts";
import { exportSettings, restoreSettings, SettingsBackupSchema } from "../export/backup.ts";
import { type Cell, csvResponse, toCsv } from "../export/csv.ts";
import { audit } from "../lib/audit.ts";
import { errors, IdParam, jsonBody, jsonResponse, newRouter, route } from "../lib/http.ts";
import { notifyUser } from "../lib/hub.ts";
import { isoNow } from "../lib/ids.ts";
import { LeaderboardQuery, PeriodQuery } from "./analytics.ts";

/** The history export's cap, in calls (the original's "≤ 10,000 runs"); newest first. */
export const HISTORY_EXPORT_LIMIT = 10_000;

const csvBody = (description: string) => ({ description, content: { "text/csv": { schema: z.string() } } });

const CALL_COLUMNS = [
  "run_id",
  "timestamp",
  "provider",
  "provider_key",
  "model",
  "model_id",
  "context_tokens",
  "run_number",
  "success",
  "ttft_ms",
  "ttfa_ms",
  "output_speed_tps",
  "e2e_tps",
  "itl_ms",
  "total_ms",
  "input_tokens",
  "output_tokens",
  "token_source",
  "cost_usd",
  "error_class",
  "error",
] as const;
type CallRow = Record<(typeof CALL_COLUMNS)[number] | "prompt", Cell>;

/** Measured calls (warm-ups and skipped tiers left out) of the owner's runs, newest run first. */
async function callRows(d1: D1Database, userId: string, runId: string | null, limit: number): Promise<CallRow[]> {
  const { results } = await d1
    .prepare(
      `SELECT r.run_id, br.created_at AS timestamp, br.prompt, r.provider_name AS provider, r.provider_key, r.model_name AS model, r.model_id,
              r.context_tokens, r.run_number, r.success, r.ttft_ms, r.ttfa_ms, r.output_speed_tps, r.e2e_tps, r.itl_ms, r.total_ms,
              r.input_tokens, r.output_tokens, r.token_source, r.cost_usd, r.error_class, r.error
       FROM benchmark_runs br JOIN benchmark_results r ON r.run_id = br.id
       WHERE br.user_id = ?1 AND (?2 IS NULL OR br.id = ?2) AND r.run_number >= 1
       ORDER BY br.created_at DESC, r.provider_key, r.model_id, r.context_tokens, r.run_number
       LIMIT ?3`,
    )
    .bind(userId, runId, limit)
    .all<CallRow>();
  return results.map((r) => ({ ...r, success: r.success === 1 }));
}

/** Mounted at /api/export. */
export const exportRoutes = newRouter();
/** Mounted at /api/import. */
export const importRoutes = newRouter();

exportRoutes.openapi(
  route({
    method: "get",
    path: "/history",
    operationId: "exportBenchmarkHistory",
    auth: "user",
    tags: ["analytics"],
    summary: `CSV of your benchmark history: one row per measured call, newest first (at most ${HISTORY_EXPORT_LIMIT})`,
    responses: { 200: csvBody("benchmark_history.csv") },
  }),
  async (c) => {
    const rows = await callRows(c.env.DB, c.var.user.id, null, HISTORY_EXPORT_LIMIT);
    const header = ["run_id", "timestamp", "prompt", ...CALL_COLUMNS.slice(2)];
    return csvResponse(
      toCsv(
        header,
        rows.map((r) => header.map((h) => r[h as keyof CallRow])),
      ),
      "benchmark_history.csv",
    ) as never;
  },
);

exportRoutes.openapi(
  route({
    method: "get",
    path: "/run/{id}",
    operationId: "exportBenchmarkRun",
    auth: "user",
    tags: ["analytics"],
    summary: "CSV of one benchmark run: one row per measured call",
    request: { params: IdParam },
    responses: { 200: csvBody("benchmark_run_<id>.csv"), 404: errors[404] },
  }),
  async (c) => {
    const [run] = await ownedRunIds(c.env.DB, c.var.user.id, [c.req.valid("param").id]);
    const rows = await callRows(c.env.DB, c.var.user.id, run!.id, 1_000_000);
    return csvResponse(
      toCsv(
        CALL_COLUMNS,
        rows.map((r) => CALL_COLUMNS.map((h) => r[h])),
      ),
      `benchmark_run_${run!.id}.csv`,
    ) as never;
  },
);

exportRoutes.openapi(
  route({
    method: "get",
    path: "/leaderboard",
    operationId: "exportLeaderboard",
    auth: "user",
    tags: ["analytics"],
    summary: "CSV of a leaderboard (the rows GET /api/analytics/leaderboard answers, with their rank in its order)",
    request: { query: LeaderboardQuery },
    responses: { 200: csvBody("leaderboard_<type>_<period>.csv"), 400: errors[400] },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const board = await leaderboard(c.env.DB, q.type, { userId: c.var.user.id, since: periodStart(q.period), suiteId: q.suite_id ?? null });
    const rows = board.rows as Record<string, Cell>[];
    const header = rows.length ? Object.keys(rows[0]!) : [];
    return csvResponse(
      toCsv(
        ["rank", ...header],
        rows.map((r, i) => [i + 1, ...header.map((h) => r[h])]),
      ),
      `leaderboard_${q.type}_${q.period}.csv`,
    ) as never;
  },
);

const EVAL_COLUMNS = [
  "eval_id",
  "timestamp",
  "suite_name",
  "scorer",
  "provider",
  "provider_key",
  "model",
  "model_id",
  "tool_accuracy_pct",
  "param_accuracy_pct",
  "overall_pct",
  "cases",
  "cases_run",
  "cases_passed",
] as const;

exportRoutes.openapi(
  route({
    method: "get",
    path: "/tool-eval",
    operationId: "exportToolEvalSummaries",
    auth: "user",
    tags: ["analytics"],
    summary: "CSV of your tool-eval summaries: one row per eval run and model (the figures its summary shows)",
    request: {
      query: z.object({ period: PeriodQuery.default("all"), suite_id: z.string().min(1).max(64).optional() }).strict(),
    },
    responses: { 200: csvBody("tool_eval_history.csv"), 400: errors[400] },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const rows = await evalRunSummaries(c.env.DB, { userId: c.var.user.id, since: periodStart(q.period), suiteId: q.suite_id ?? null });
    const pct = (v: number | null) => (v === null ? null : roundPct(v));
    return csvResponse(
      toCsv(
        EVAL_COLUMNS,
        rows.map((r) => [
          r.eval_run_id,
          r.created_at,
          r.suite_name,
          r.scorer,
          r.provider,
          r.provider_key,
          r.model,
          r.model_id,
          pct(r.tool),
          pct(r.param),
          pct(r.overall),
          r.cases,
          r.cases_run,
          r.cases_passed,
        ]),
      ),
      "tool_eval_history.csv",
    ) as never;
  },
);

exportRoutes.openapi(
  route({
    method: "get",
    path: "/settings",
    operationId: "exportSettings",
    auth: "user",
    tags: ["account"],
    summary: "JSON backup of your settings: providers and models, prompt templates, feature settings and tuner presets (never keys)",
    responses: { 200: jsonResponse(SettingsBackupSchema, "benchmark-settings-<date>.json") },
  }),
  async (c) => {
    const backup = await exportSettings(c.var.db, c.var.user.id);
    c.header("Content-Disposition", `attachment; filename="benchmark-settings-${isoNow().slice(0, 10)}.json"`);
    return c.json(backup, 200);
  },
);

const SectionPlan = z.object({
  added: z.array(z.string()),
  updated: z.array(z.string()),
  unchanged: z.number().int(),
  warnings: z.array(z.string()),
});
const Restored = z
  .object({
    dry_run: z.boolean(),
    applied: z.boolean(),
    writes: z.number().int(),
    sections: z.record(z.string(), SectionPlan),
  })
  .openapi("SettingsRestore");

importRoutes.openapi(
  route({
    method: "post",
    path: "/settings",
    operationId: "importSettings",
    auth: "user",
    tags: ["account"],
    summary: "Restore a settings backup: merges by key, all or nothing; with dry_run=true reports what would change and changes nothing",
    request: {
      query: z.object({ dry_run: z.enum(["true", "false"]).default("false") }).strict(),
      ...jsonBody(SettingsBackupSchema, "A backup from GET /api/export/settings"),
    },
    responses: { 200: jsonResponse(Restored, "What changed (or would change)"), 400: errors[400] },
  }),
  async (c) => {
    const dryRun = c.req.valid("query").dry_run === "true";
    const result = await restoreSettings(c.var.db, c.var.user.id, c.req.valid("json"), dryRun);
    if (!dryRun) {
      await audit(c, { action: "settings_restore", userId: c.var.user.id, detail: { writes: result.writes } });
      notifyUser(c, { type: "config_changed", scope: "settings" });
    }
    return c.json(result, 200);
  },
);
