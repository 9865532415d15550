/**
 * Analytics in D1: leaderboards, trends, compare and Pareto points equal a straightforward recomputation from
 * the stored rows (plain SELECTs and the app's own metric functions), and equal what the run views show for a
 * real run; CSV exports quote and neutralise formulas; everything is scoped to its owner.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { summarize } from "../../src/shared/eval-summary.ts";
import { percentile } from "../../src/shared/metrics.ts";
import { dominates, PARETO_OBJECTIVES } from "../../src/shared/pareto.ts";
import { buildFixture } from "./fixtures.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";

type Account = Awaited<ReturnType<typeof signUp>>;

/** A seeded PRNG, so the stored rows are random but every run of the test sees the same ones. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const hex = () => crypto.randomUUID().replaceAll("-", "");

const MODELS = [
  { provider_key: "prov_a", provider: "Provider A", model_id: "fast-1", model: "Fast One" },
  { provider_key: "prov_a", provider: "Provider A", model_id: "slow-2", model: "Slow Two" },
  { provider_key: "prov_b", provider: "Provider B", model_id: "=evil()", model: '=HYPERLINK("http://x","y")' },
];

interface SeededRun {
  id: string;
  createdAt: string;
  temperature: number;
}

/** Benchmark runs with random per-call rows: failures, warm-ups, skipped tiers, nulls, unknown prices. */
async function seedBenchmarks(userId: string, count: number, seed: number, ageDays: (i: number) => number): Promise<SeededRun[]> {
  const rand = rng(seed);
  const runs: SeededRun[] = [];
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < count; i++) {
    const id = hex();
    const createdAt = iso(Date.now() - ageDays(i) * DAY - i * 1000);
    const temperature = i % 2 === 0 ? 0.7 : 0.2;
    runs.push({ id, createdAt, temperature });
    const config = {
      targets: MODELS.map((m) => ({ provider_key: m.provider_key, model_id: m.model_id })),
      provider_params: i % 3 === 0 ? { top_p: 0.9 } : null,
    };
    stmts.push(
      env.DB.prepare(
        "INSERT INTO benchmark_runs (id, user_id, status, prompt, max_tokens, temperature, runs, warmup, context_tiers, config_json, created_at) VALUES (?, ?, 'completed', ?, 64, ?, 3, 1, '[0,1000]', ?, ?)",
      ).bind(id, userId, i === 0 ? '+SUM(A1:A9), "quoted"\nnext line' : `prompt ${i}`, temperature, JSON.stringify(config), createdAt),
    );
    for (const m of MODELS) {
      for (const tier of [0, 1000]) {
        for (let runNumber = -1; runNumber <= 3; runNumber++) {
          if (runNumber === -1 && tier === 0) continue; // a skipped tier only at 1000
          const success = runNumber >= 0 && rand() > 0.15 ? 1 : 0;
          const base = m.model_id === "fast-1" ? 200 : m.model_id === "slow-2" ? 40 : 90;
          const v = (x: number) => (success ? x : null);
          const noSpeed = rand() < 0.1;
          stmts.push(
            env.DB.prepare(
              `INSERT INTO benchmark_results (id, run_id, provider_key, provider_name, model_id, model_name, context_tokens, run_number, success,
                 ttft_ms, total_ms, output_tokens, input_tokens, output_speed_tps, e2e_tps, itl_ms, cost_usd, error_class, error)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            ).bind(
              hex(),
              id,
              m.provider_key,
              m.provider,
              m.model_id,
              m.model,
              tier,
              runNumber,
              success,
              v(Math.round(rand() * 500 * 1000) / 1000 + tier / 10),
              v(1000 + rand() * 2000),
              v(64),
              v(20 + tier),
              noSpeed ? null : v(base * (0.5 + rand())),
              v(base * 0.4 * (0.5 + rand())),
              noSpeed ? null : v(1000 / base),
              m.provider_key === "prov_b" ? null : v(rand() / 1000),
              success ? null : "server",
              success ? null : "HTTP 500",
            ),
          );
        }
      }
    }
  }
  for (let i = 0; i < stmts.length; i += 50) await env.DB.batch(stmts.slice(i, i + 50));
  return runs;
}

/** Eval runs with random per-case rows, some in a suite, some failed calls, some without a parameter score. */
async function seedEvals(userId: string, suiteId: string | null, count: number, seed: number, scorer = "classic") {
  const rand = rng(seed);
  const stmts: D1PreparedStatement[] = [];
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = hex();
    ids.push(id);
    const temperature = i % 2 === 0 ? 0.7 : 0.2;
    const config = { provider_params: i % 3 === 0 ? { top_p: 0.9 } : null };
    stmts.push(
      env.DB.prepare(
        "INSERT INTO tool_eval_runs (id, user_id, suite_id, suite_name, scorer, temperature, tool_choice, config_json, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'auto', ?, 'completed', ?)",
      ).bind(id, userId, suiteId, '@suite, "one"', scorer, temperature, JSON.stringify(config), iso(Date.now() - (i % 5) * DAY - i * 1000)),
    );
    for (const m of MODELS.slice(0, 2)) {
      for (let k = 0; k < 6; k++) {
        const success = rand() > 0.1 ? 1 : 0;
        const passed = success && rand() > 0.4;
        const score = (x: number | null) => (success ? x : null);
        stmts.push(
          env.DB.prepare(
            `INSERT INTO tool_eval_results (id, eval_run_id, provider_key, provider_name, model_id, model_name, success, tool_selection_score, param_accuracy,
               overall_score, irrelevance_score, score_parts_json, latency_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).bind(
            hex(),
            id,
            m.provider_key,
            m.provider,
            m.model_id,
            m.model,
            success,
            score(rand() < 0.1 ? null : passed ? 1 : Math.round(rand() * 2) / 2),
            score(rand() < 0.3 ? null : rand()),
            score(rand() < 0.1 ? null : rand()),
            null,
            success ? JSON.stringify({ passed }) : null,
            success ? rand() * 1000 : null,
          ),
        );
      }
    }
  }
  for (let i = 0; i < stmts.length; i += 50) await env.DB.batch(stmts.slice(i, i + 50));
  return ids;
}

// ---------------------------------------------------------------- straightforward recomputation

interface ResultRow {
  run_id: string;
  provider_key: string;
  model_id: string;
  context_tokens: number;
  run_number: number;
  success: number;
  ttft_ms: number | null;
  output_speed_tps: number | null;
  e2e_tps: number | null;
  cost_usd: number | null;
  created_at: string;
  temperature: number;
  config_json: string;
}

async function storedResults(userId: string): Promise<ResultRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT r.*, br.created_at, br.temperature, br.config_json FROM benchmark_results r JOIN benchmark_runs br ON br.id = r.run_id WHERE br.user_id = ?",
  )
    .bind(userId)
    .all<ResultRow>();
  return results;
}

const p50 = (xs: Array<number | null>) => {
  const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  return v.length ? percentile(v, 0.5) : null;
};
const mean = (xs: Array<number | null>) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};
const close = (a: number | null, b: number | null) => {
  if (a === null || b === null) return expect(a).toBe(b);
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
};

function groupBy<T>(rows: T[], key: (r: T) => string) {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const l = m.get(k);
    if (l) l.push(r);
    else m.set(k, [r]);
  }
  return m;
}

async function evalRowsOf(userId: string) {
  const { results } = await env.DB.prepare(
    `SELECT r.*, ter.scorer, ter.suite_id, ter.created_at AS run_at, ter.temperature, ter.config_json FROM tool_eval_results r
     JOIN tool_eval_runs ter ON ter.id = r.eval_run_id WHERE ter.user_id = ?`,
  )
    .bind(userId)
    .all<Record<string, any>>();
  return results;
}

/** Per eval run × model, the summary the app computes (src/shared/eval-summary.ts) from the rows. */
function appSummaries(rows: Record<string, any>[]) {
  const out: Array<{ run: string; key: string; overall: number | null; tool: number | null; param: number | null; row: Record<string, any> }> = [];
  for (const [run, list] of groupBy(rows, (r) => r.eval_run_id)) {
    const sums = summarize(
      list.map((r) => ({
        provider_key: r.provider_key,
        model_id: r.model_id,
        model_name: r.model_name,
        category: r.category,
        success: r.success === 1,
        passed: Boolean(r.score_parts_json && JSON.parse(r.score_parts_json).passed),
        tool_selection_score: r.tool_selection_score,
        param_accuracy: r.param_accuracy,
        overall_score: r.overall_score,
        irrelevance_score: r.irrelevance_score,
        should_call_tool: true,
        format_compliance: null,
        error_type: null,
        latency_ms: r.latency_ms,
      })),
    );
    for (const s of sums) {
      out.push({
        run,
        key: `${s.provider_key}/${s.model_id}`,
        overall: s.overall_pct,
        tool: s.tool_accuracy_pct,
        param: s.param_accuracy_pct,
        row: { ...list[0], ...s },
      });
    }
  }
  return out;
}

let owner: Account;
let other: Account;
let runs: SeededRun[];
let suiteId: string;

beforeAll(async () => {
  [owner, other] = await Promise.all([signUp(), signUp()]);
  suiteId = hex();
  await env.DB.prepare("INSERT INTO tool_suites (id, user_id, name, tools_json) VALUES (?, ?, 'Seeded', '[]')").bind(suiteId, owner.user.id).run();
  runs = await seedBenchmarks(owner.user.id, 12, 7, (i) => (i < 8 ? i % 6 : 40 + i));
  await seedEvals(owner.user.id, suiteId, 6, 11);
  await seedEvals(owner.user.id, null, 3, 12, "bfcl");
  // The other account's rows are far faster and perfect: they must never show up in the owner's figures.
  await seedBenchmarks(other.user.id, 3, 99, () => 0);
});

describe("benchmark leaderboard", () => {
  for (const period of ["7d", "90d", "all"] as const) {
    it(`equals a recomputation from the stored rows (${period})`, async () => {
      const r = await call(`/api/analytics/leaderboard?type=benchmark&period=${period}`, { token: owner.token });
      expect(r.status, r.text).toBe(200);
      const since = period === "all" ? "" : iso(Date.now() - Number.parseInt(period, 10) * DAY);
      const rows = (await storedResults(owner.user.id)).filter((x) => x.created_at >= since && x.run_number >= 1);
      const groups = groupBy(rows, (x) => `${x.provider_key}/${x.model_id}/${x.context_tokens}`);
      expect(r.json.rows).toHaveLength(groups.size);
      for (const row of r.json.rows) {
        const g = groups.get(`${row.provider_key}/${row.model_id}/${row.context_tokens}`)!;
        const ok = g.filter((x) => x.success === 1);
        expect(row.n).toBe(ok.length);
        expect(row.failures).toBe(g.length - ok.length);
        expect(row.runs).toBe(new Set(g.map((x) => x.run_id)).size);
        expect(row.ttft_p50_ms).toBe(p50(ok.map((x) => x.ttft_ms)));
        expect(row.output_speed_p50_tps).toBe(p50(ok.map((x) => x.output_speed_tps)));
        expect(row.e2e_p50_tps).toBe(p50(ok.map((x) => x.e2e_tps)));
        close(row.cost_mean_usd, mean(ok.map((x) => x.cost_usd)));
      }
      // Fastest first by p50 output speed.
      const speeds = r.json.rows.map((x: any) => x.output_speed_p50_tps ?? -1);
      expect(speeds).toEqual([...speeds].sort((a: number, b: number) => b - a));
    });
  }

  it("equals the run view's aggregates for a single run", async () => {
    const run = runs[0]!;
    const view = await call(`/api/analytics/compare?runs=${run.id},${runs[1]!.id}`, { token: owner.token });
    expect(view.status, view.text).toBe(200);
    const stored = (await storedResults(owner.user.id)).filter((x) => x.run_id === run.id && x.run_number >= 1);
    const first = view.json.runs[0];
    expect(first.id).toBe(run.id);
    expect(first.models).toHaveLength(MODELS.length * 2);
    for (const m of first.models) {
      const ok = stored.filter(
        (x) => x.provider_key === m.provider_key && x.model_id === m.model_id && x.context_tokens === m.context_tokens && x.success === 1,
      );
      expect(m.ttft_p50_ms).toBe(p50(ok.map((x) => x.ttft_ms)));
      expect(m.output_speed_p50_tps).toBe(p50(ok.map((x) => x.output_speed_tps)));
    }
  });
});

describe("tool-eval leaderboard", () => {
  it("is the mean of each run's summary per scorer and model (one run equals its summary)", async () => {
    const r = await call("/api/analytics/leaderboard?type=tool_eval&period=all", { token: owner.token });
    expect(r.status, r.text).toBe(200);
    const rows = await evalRowsOf(owner.user.id);
    const sums = appSummaries(rows);
    const byKey = groupBy(sums, (s) => `${s.row.scorer}/${s.key}`);
    expect(r.json.rows).toHaveLength(byKey.size);
    for (const row of r.json.rows) {
      const list = byKey.get(`${row.scorer}/${row.provider_key}/${row.model_id}`)!;
      expect(row.evals).toBe(list.length);
      // The app rounds each run to one decimal; the leaderboard rounds the mean of the unrounded run means.
      const rawMean = (f: "overall" | "tool") => mean(list.map((s) => s[f]));
      expect(Math.abs(row.overall_pct - rawMean("overall")!)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(Math.abs(row.tool_accuracy_pct - rawMean("tool")!)).toBeLessThanOrEqual(0.05 + 1e-9);
    }
    // Scorers are never mixed.
    expect(new Set(r.json.rows.map((x: any) => x.scorer))).toEqual(new Set(["classic", "bfcl"]));
  });

  it("answers exactly a run's own summary when that run is the only one", async () => {
    const single = await signUp();
    await seedEvals(single.user.id, null, 1, 5);
    const summary = appSummaries(await evalRowsOf(single.user.id));
    const r = await call("/api/analytics/leaderboard?type=tool_eval&period=all", { token: single.token });
    for (const s of summary) {
      const row = r.json.rows.find((x: any) => `${x.provider_key}/${x.model_id}` === s.key);
      expect(row.overall_pct).toBe(s.overall);
      expect(row.tool_accuracy_pct).toBe(s.tool);
      expect(row.param_accuracy_pct).toBe(s.param);
    }
  });
});

describe("the same runs as the app shows them", () => {
  it("a real benchmark and eval on the simulator: leaderboard figures equal the run views' aggregates and summaries", async () => {
    const f = await buildFixture();
    const token = f.account.token;
    const bench = await call(`/api/history/${f.ids.benchRun}`, { token });
    const board = await call("/api/analytics/leaderboard?type=benchmark&period=all", { token });
    expect(board.json.rows.length).toBe(bench.json.aggregates.length);
    for (const a of bench.json.aggregates) {
      const row = board.json.rows.find((r: any) => r.model_id === a.model_id && r.context_tokens === a.context_tokens);
      expect(row.n).toBe(a.n);
      expect(row.ttft_p50_ms).toBe(a.stats.ttft_ms?.p50 ?? null);
      expect(row.output_speed_p50_tps).toBe(a.stats.output_speed_tps?.p50 ?? null);
      close(row.cost_mean_usd, a.stats.cost_usd?.mean ?? null);
    }
    const evalRun = await call(`/api/tool-eval/history/${f.ids.evalRun}`, { token });
    const tool = await call("/api/analytics/leaderboard?type=tool_eval&period=all", { token });
    for (const s of evalRun.json.summary) {
      const row = tool.json.rows.find((r: any) => r.model_id === s.model_id);
      expect(row.overall_pct).toBe(s.overall_pct);
      expect(row.tool_accuracy_pct).toBe(s.tool_accuracy_pct);
      expect(row.param_accuracy_pct).toBe(s.param_accuracy_pct);
    }
    const pareto = await call(`/api/analytics/pareto?period=all&suite_id=${f.ids.suite}`, { token });
    const runIds = pareto.json.points.flatMap((p: any) => p.runs.map((r: any) => r.run_id));
    expect(runIds).toEqual(expect.arrayContaining([f.ids.benchRun, f.ids.evalRun]));
  });
});

describe("trends", () => {
  it("gives one point per run with that run's p50, for each model and tier", async () => {
    const r = await call("/api/analytics/trends?metric=ttft&period=all&models=fast-1,Slow%20Two", { token: owner.token });
    expect(r.status, r.text).toBe(200);
    const rows = (await storedResults(owner.user.id)).filter((x) => x.run_number >= 1 && x.success === 1 && x.model_id !== "=evil()");
    const groups = groupBy(rows, (x) => `${x.model_id}/${x.context_tokens}`);
    expect(r.json.series).toHaveLength(groups.size);
    for (const s of r.json.series) {
      const byRun = groupBy(groups.get(`${s.model_id}/${s.context_tokens}`)!, (x) => x.run_id);
      expect(s.points).toHaveLength(byRun.size);
      for (const p of s.points) expect(p.value).toBe(p50(byRun.get(p.run_id)!.map((x) => x.ttft_ms)));
      const times = s.points.map((p: any) => p.timestamp);
      expect(times).toEqual([...times].sort());
    }
  });

  it("gives accuracy per eval run in percent", async () => {
    const r = await call("/api/analytics/trends?metric=accuracy&period=all", { token: owner.token });
    expect(r.status, r.text).toBe(200);
    const sums = appSummaries(await evalRowsOf(owner.user.id));
    const points = r.json.series.flatMap((s: any) => s.points.map((p: any) => ({ ...p, key: `${s.provider_key}/${s.model_id}` })));
    expect(points).toHaveLength(sums.length);
    for (const p of points) expect(p.value).toBe(sums.find((s) => s.run === p.run_id && s.key === p.key)!.overall);
  });

  it("refuses an unknown metric and a bad period with a 400", async () => {
    expectEnvelope(await call("/api/analytics/trends?metric=vibes", { token: owner.token }), 400, "validation_failed");
    expectEnvelope(await call("/api/analytics/leaderboard?period=2w", { token: owner.token }), 400, "validation_failed");
  });
});

describe("compare", () => {
  it("needs 2–4 distinct runs", async () => {
    expectEnvelope(await call(`/api/analytics/compare?runs=${runs[0]!.id}`, { token: owner.token }), 400);
    const five = runs.slice(0, 5).map((r) => r.id);
    expectEnvelope(await call(`/api/analytics/compare?runs=${five.join(",")}`, { token: owner.token }), 400);
    expectEnvelope(await call(`/api/analytics/compare?runs=${runs[0]!.id},${runs[0]!.id}`, { token: owner.token }), 400);
  });

  it("is a 404 for another user's run and never shows another user's rows", async () => {
    expectEnvelope(await call(`/api/analytics/compare?runs=${runs[0]!.id},${runs[1]!.id}`, { token: other.token }), 404, "not_found");
    expectEnvelope(await call(`/api/export/run/${runs[0]!.id}`, { token: other.token }), 404, "not_found");
    const board = await call("/api/analytics/leaderboard?type=benchmark&period=all", { token: other.token });
    const mine = await storedResults(other.user.id);
    expect(board.json.rows.reduce((s: number, r: any) => s + r.n + r.failures, 0)).toBe(mine.filter((x) => x.run_number >= 1).length);
    const pareto = await call("/api/analytics/pareto?period=all", { token: other.token });
    expect(pareto.json.points.every((p: any) => p.eval_runs === 0)).toBe(true);
  });
});

describe("Pareto view", () => {
  it("has per (provider, model, params) speed, accuracy and cost from the stored rows, the front marked, and the runs behind", async () => {
    const r = await call(`/api/analytics/pareto?period=all&suite_id=${suiteId}`, { token: owner.token });
    expect(r.status, r.text).toBe(200);
    const paramsOf = (x: { temperature: number; config_json: string }) =>
      JSON.stringify({ temperature: x.temperature, provider_params: JSON.parse(x.config_json).provider_params ?? {} });
    const bench = groupBy(
      (await storedResults(owner.user.id)).filter((x) => x.run_number >= 1 && x.success === 1),
      (x) => `${x.provider_key}/${x.model_id}/${paramsOf(x)}`,
    );
    const evals = groupBy(
      appSummaries((await evalRowsOf(owner.user.id)).filter((x) => x.suite_id === suiteId)),
      (s) => `${s.key}/${paramsOf(s.row as any)}`,
    );
    const keys = new Set([...bench.keys(), ...evals.keys()]);
    expect(r.json.points).toHaveLength(keys.size);
    for (const p of r.json.points) {
      const key = `${p.provider_key}/${p.model_id}/${JSON.stringify(p.params)}`;
      const b = bench.get(key) ?? [];
      const e = evals.get(key) ?? [];
      expect(p.speed).toBe(p50(b.map((x) => x.output_speed_tps)));
      close(p.cost, mean(b.map((x) => x.cost_usd)));
      if (e.length) expect(Math.abs(p.accuracy - mean(e.map((s) => s.overall))!)).toBeLessThanOrEqual(0.05 + 1e-9);
      else expect(p.accuracy).toBeNull();
      expect(p.benchmark_runs).toBe(new Set(b.map((x) => x.run_id)).size);
      expect(p.eval_runs).toBe(e.length);
      const expectedRuns = new Set([...b.map((x) => x.run_id), ...e.map((s) => s.run)]);
      expect(new Set(p.runs.map((x: any) => x.run_id))).toEqual(expectedRuns);
    }
    // The front, checked against the definition over the returned figures.
    const complete = r.json.points.filter((p: any) => p.speed !== null && p.accuracy !== null && p.cost !== null);
    expect(complete.length).toBeGreaterThan(1);
    for (const p of r.json.points) {
      const beaten = complete.some((q: any) => q !== p && dominates(q, p, PARETO_OBJECTIVES));
      expect(p.front).toBe(complete.includes(p) && !beaten);
    }
    expect(r.json.points.some((p: any) => p.front)).toBe(true);
  });

  it("drops an axis on request (prov_b has no price, so it can only reach the front without cost)", async () => {
    const withCost = await call("/api/analytics/pareto?period=all&axes=speed,cost", { token: owner.token });
    const noCost = await call("/api/analytics/pareto?period=all&axes=speed", { token: owner.token });
    expect(withCost.json.points.filter((p: any) => p.provider_key === "prov_b").every((p: any) => !p.complete)).toBe(true);
    expect(noCost.json.points.filter((p: any) => p.provider_key === "prov_b").every((p: any) => p.complete)).toBe(true);
    expectEnvelope(await call("/api/analytics/pareto?axes=taste", { token: owner.token }), 400);
  });
});

describe("CSV exports", () => {
  it("quote correctly and neutralise formulas in benchmark history", async () => {
    const r = await call("/api/export/history", { token: owner.token });
    expect(r.status).toBe(200);
    expect(r.res.headers.get("content-type")).toContain("text/csv");
    expect(r.res.headers.get("content-disposition")).toContain("benchmark_history.csv");
    const text = r.text;
    // The formula-like model name is text, quoted because it contains quotes and a comma.
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(text).toContain(",'=evil(),");
    // A prompt starting with + and holding a comma, quotes and a newline stays one quoted cell.
    expect(text).toContain(`"'+SUM(A1:A9), ""quoted""\nnext line"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    const header = text.split("\r\n")[0]!;
    expect(header).toBe(
      "run_id,timestamp,prompt,provider,provider_key,model,model_id,context_tokens,run_number,success,ttft_ms,ttfa_ms,output_speed_tps,e2e_tps,itl_ms,total_ms,input_tokens,output_tokens,token_source,cost_usd,error_class,error",
    );
    const stored = (await storedResults(owner.user.id)).filter((x) => x.run_number >= 1);
    // One CRLF-ended record per measured call after the header (the prompt's newline is a bare LF inside quotes).
    expect(text.split("\r\n").length - 2).toBe(stored.length);
  });

  it("export one run, a leaderboard and tool-eval summaries", async () => {
    const run = await call(`/api/export/run/${runs[0]!.id}`, { token: owner.token });
    expect(run.status).toBe(200);
    expect(run.res.headers.get("content-disposition")).toContain(`benchmark_run_${runs[0]!.id}.csv`);
    const stored = (await storedResults(owner.user.id)).filter((x) => x.run_id === runs[0]!.id && x.run_number >= 1);
    expect(run.text.trimEnd().split("\r\n")).toHaveLength(stored.length + 1);

    const board = await call("/api/export/leaderboard?type=benchmark&period=all", { token: owner.token });
    const json = await call("/api/analytics/leaderboard?type=benchmark&period=all", { token: owner.token });
    const lines = board.text.trimEnd().split("\r\n");
    expect(lines[0]!.startsWith("rank,provider_key,provider,model_id,model,context_tokens")).toBe(true);
    expect(lines).toHaveLength(json.json.rows.length + 1);
    expect(lines[1]!.startsWith(`1,${json.json.rows[0].provider_key},`)).toBe(true);

    const tool = await call("/api/export/tool-eval", { token: owner.token });
    const toolLines = tool.text.trimEnd().split("\r\n");
    expect(toolLines[0]).toBe(
      "eval_id,timestamp,suite_name,scorer,provider,provider_key,model,model_id,tool_accuracy_pct,param_accuracy_pct,overall_pct,cases,cases_run,cases_passed",
    );
    const sums = appSummaries(await evalRowsOf(owner.user.id));
    expect(toolLines).toHaveLength(sums.length + 1);
    // The suite name begins with @: escaped, and quoted for its comma and quotes.
    expect(toolLines[1]).toContain(`"'@suite, ""one"""`);
    for (const line of toolLines.slice(1)) {
      const id = line.slice(0, 32);
      const model = sums.find((s) => s.run === id && line.includes(`,${s.key.split("/")[1]},`))!;
      expect(line).toContain(`,${model.overall ?? ""},${model.row.cases},${model.row.cases_run},${model.row.cases_passed}`);
    }
  });
});

describe("the owner indexes (migration 0017) cannot go stale", () => {
  /** The leaderboard's runs, calls and p50 speed per model and tier, and the same recomputed from the stored rows. */
  async function boardAndRecomputation(account: Account) {
    const board = await call("/api/analytics/leaderboard?type=benchmark&period=all", { token: account.token });
    expect(board.status, board.text).toBe(200);
    const rows = (await storedResults(account.user.id)).filter((x) => x.run_number >= 1);
    const expected = [...groupBy(rows, (x) => `${x.provider_key}/${x.model_id}/${x.context_tokens}`)].map(([key, g]) => {
      const ok = g.filter((x) => x.success === 1);
      return { key, runs: new Set(g.map((x) => x.run_id)).size, n: ok.length, speed: p50(ok.map((x) => x.output_speed_tps)) };
    });
    const got = board.json.rows.map((r: any) => ({
      key: `${r.provider_key}/${r.model_id}/${r.context_tokens}`,
      runs: r.runs,
      n: r.n,
      speed: r.output_speed_p50_tps,
    }));
    const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
    return { got: got.sort(byKey), expected: expected.sort(byKey) };
  }

  it("a deleted run leaves the leaderboard and the Pareto view at once", async () => {
    const account = await signUp();
    const seeded = await seedBenchmarks(account.user.id, 4, 21, (i) => i);
    const before = await boardAndRecomputation(account);
    expect(before.got).toEqual(before.expected);
    expect(before.got.every((r: { runs: number }) => r.runs === 4)).toBe(true);

    const del = await call(`/api/history/${seeded[0]!.id}`, { method: "DELETE", token: account.token });
    expect(del.status, del.text).toBeLessThan(300);
    const after = await boardAndRecomputation(account);
    expect(after.got).toEqual(after.expected);
    expect(after.got.every((r: { runs: number }) => r.runs === 3)).toBe(true);
    const pareto = await call("/api/analytics/pareto?period=all", { token: account.token });
    expect(pareto.json.points.flatMap((p: any) => p.runs.map((r: any) => r.run_id))).not.toContain(seeded[0]!.id);
  });

  it("rows stored before a run's parameters change follow the run (the Pareto point moves with it)", async () => {
    const account = await signUp();
    const [run] = await seedBenchmarks(account.user.id, 1, 22, () => 0);
    await env.DB.prepare("UPDATE benchmark_runs SET temperature = 1.3 WHERE id = ?").bind(run!.id).run();
    const pareto = await call("/api/analytics/pareto?period=all", { token: account.token });
    expect(pareto.json.points.length).toBeGreaterThan(0);
    for (const p of pareto.json.points) expect(p.params.temperature).toBe(1.3);
  });
});
