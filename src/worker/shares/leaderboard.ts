/**
 * A shared leaderboard view: the owner's analytics leaderboard (benchmark or tool eval, over a period, optionally
 * one suite), computed live on every open like the Analytics page. The resource id names the view:
 * `benchmark:<period>`, `tool_eval:<period>` or `tool_eval:<period>:<suite id>` (the suite must be the owner's).
 * Rows are per model and carry no run ids, keys or base URLs.
 */
import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { PERIODS, type Period, periodStart } from "../analytics/queries.ts";
import { leaderboard } from "../analytics/views.ts";
import type { Db } from "../db/client.ts";
import { toolSuites } from "../db/schema.ts";
import type { ShareableType } from "./shareable.ts";

const Row = z.object({
  provider: z.string(),
  provider_key: z.string(),
  model: z.string(),
  model_id: z.string(),
  context_tokens: z.number().int().optional(),
  n: z.number().int().optional(),
  failures: z.number().int().optional(),
  runs: z.number().int().optional(),
  ttft_p50_ms: z.number().nullable().optional(),
  output_speed_p50_tps: z.number().nullable().optional(),
  e2e_p50_tps: z.number().nullable().optional(),
  cost_mean_usd: z.number().nullable().optional(),
  last_run: z.string().optional(),
  scorer: z.string().optional(),
  tool_accuracy_pct: z.number().nullable().optional(),
  param_accuracy_pct: z.number().nullable().optional(),
  overall_pct: z.number().nullable().optional(),
  evals: z.number().int().optional(),
  cases: z.number().int().optional(),
  last_eval: z.string().optional(),
});

export const PublicLeaderboardSchema = z
  .object({
    type: z.enum(["benchmark", "tool_eval"]),
    period: z.enum(PERIODS),
    suite_name: z.string().nullable(),
    rows: z.array(Row),
  })
  .openapi("SharedLeaderboard");
type PublicLeaderboard = z.infer<typeof PublicLeaderboardSchema>;

interface LeaderboardSpec {
  type: "benchmark" | "tool_eval";
  period: Period;
  suiteId: string | null;
}

/** The view a resource id names, or null when it names none. */
export function parseLeaderboardId(id: string): LeaderboardSpec | null {
  const [type, period, suiteId, ...rest] = id.split(":");
  if (rest.length || (type !== "benchmark" && type !== "tool_eval") || !PERIODS.includes(period as Period)) return null;
  if (suiteId !== undefined && (type !== "tool_eval" || !/^[0-9a-f]{32}$/.test(suiteId))) return null;
  return { type, period: period as Period, suiteId: suiteId ?? null };
}

const PERIOD_LABEL: Record<Period, string> = { "7d": "last 7 days", "30d": "last 30 days", "90d": "last 90 days", all: "all time" };

/** The suite's name when the spec names one of the owner's suites; "" for no suite; null when it is not theirs. */
async function suiteName(db: Db, ownerId: string, spec: LeaderboardSpec): Promise<string | null> {
  if (!spec.suiteId) return "";
  const row = await db
    .select({ name: toolSuites.name })
    .from(toolSuites)
    .where(and(eq(toolSuites.id, spec.suiteId), eq(toolSuites.userId, ownerId)))
    .get();
  return row?.name ?? null;
}

export const leaderboardShare: ShareableType<typeof PublicLeaderboardSchema> = {
  label: "Leaderboard",
  view: PublicLeaderboardSchema,
  checkId: (id) => (parseLeaderboardId(id) ? null : "Name a leaderboard as benchmark:<period>, tool_eval:<period> or tool_eval:<period>:<suite id>"),

  async titles(db: Db, ownerId: string, ids: string[]) {
    const out = new Map<string, string>();
    for (const id of ids) {
      const spec = parseLeaderboardId(id);
      if (!spec) continue;
      const suite = await suiteName(db, ownerId, spec);
      if (suite === null) continue;
      const what = spec.type === "benchmark" ? "Speed leaderboard" : "Tool-eval leaderboard";
      out.set(id, `${what}${suite ? ` · ${suite}` : ""} · ${PERIOD_LABEL[spec.period]}`);
    }
    return out;
  },

  async load(db: Db, ownerId: string, id: string): Promise<PublicLeaderboard | null> {
    const spec = parseLeaderboardId(id);
    if (!spec) return null;
    const suite = await suiteName(db, ownerId, spec);
    if (suite === null) return null;
    const board = await leaderboard(db.$client, spec.type, { userId: ownerId, since: periodStart(spec.period), suiteId: spec.suiteId });
    return PublicLeaderboardSchema.parse({ type: spec.type, period: spec.period, suite_name: suite || null, rows: board.rows });
  },
};
