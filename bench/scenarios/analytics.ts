/**
 * Analytics in D1: GET /api/analytics/leaderboard and /api/analytics/pareto for accounts holding 100, 1,000 and
 * 10,000 stored benchmark runs (plus one tool eval per ten runs, for the Pareto accuracy), over the last 30 days
 * and over all time. The issue's bar: 10,000 runs answer within the same order of time as 100 where the period
 * bounds the rows read (30 days through the (user_id, created_at) index); "all" reads every row and grows with it.
 *
 * The rows are generated inside SQLite by recursive CTEs (a few KB of SQL, seconds for ~90,000 result rows) and
 * loaded into local D1 with `wrangler d1 execute --local --file` before wrangler dev starts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { hashPassword } from "../../src/worker/auth/passwords.ts";
import { api, broken, startBenchStack, wrangler } from "../lib/app.ts";
import type { Figure, Scenario, ScenarioOptions } from "../lib/scenario.ts";
import { round, summarize } from "../lib/stats.ts";

const SIZES = [100, 1_000, 10_000];
/** `--quick` keeps the suite short: seeding 10,000 runs (88,000 rows through 0017's triggers) only in the full run. */
const QUICK_SIZES = [100, 1_000];
/** Each run: 2 models × (1 warm-up + 3 measured calls) at one tier; every tenth run also has a 10-case eval of both. */
const MODELS = [
  { provider_key: "openai", provider: "OpenAI", model_id: "gpt-4o-mini", model: "GPT-4o mini" },
  { provider_key: "anthropic", provider: "Anthropic", model_id: "claude-haiku-4-5", model: "Claude Haiku 4.5" },
];
const MEASURED = 3;
const EVAL_EVERY = 10;
const EVAL_CASES = 10;
const PASSWORD = "analytics bench password";
const HOUR = 3600;

const userId = (n: number) => `analytics-user-${n}`;
const email = (n: number) => `analytics-${n}@example.com`;

/** SQL that creates one user with `n` finished runs, one an hour up to now (newest last), and its evals. */
function userSql(n: number, passwordHash: string, nowSec: number): string {
  const u = userId(n);
  const when = (i: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${nowSec} - (${n} - ${i}) * ${HOUR}, 'unixepoch')`;
  const seq = (count: number) => `seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${count - 1})`;
  const models = `m(k, pk, pn, mid, mn) AS (VALUES ${MODELS.map((m, k) => `(${k}, '${m.provider_key}', '${m.provider}', '${m.model_id}', '${m.model}')`).join(", ")})`;
  const evals = Math.ceil(n / EVAL_EVERY);
  return `
INSERT INTO users (id, email, password_hash, role, onboarding_completed) VALUES ('${u}', '${email(n)}', '${passwordHash}', 'user', 1);
INSERT INTO rate_limits (user_id) VALUES ('${u}');
INSERT INTO benchmark_runs (id, user_id, source, status, prompt, max_tokens, temperature, runs, warmup, context_tiers, config_json, created_at, completed_at)
  WITH RECURSIVE ${seq(n)}
  SELECT printf('${u}-b%06d', i), '${u}', 'manual', 'completed', 'Explain time to first token.', 512, 0.7, ${MEASURED}, 1, '[0]',
         '{"prompt":"Explain time to first token.","temperature":0.7}', ${when("i")}, ${when("i")}
  FROM seq;
INSERT INTO benchmark_results (id, run_id, provider_key, provider_name, model_id, model_name, context_tokens, run_number, success,
                               ttfb_ms, ttft_ms, ttfa_ms, total_ms, output_tokens, input_tokens, token_source, output_speed_tps, e2e_tps,
                               itl_ms, cost_usd, created_at)
  WITH RECURSIVE ${seq(n)}, ${models}, rn(r) AS (VALUES ${Array.from({ length: MEASURED + 1 }, (_, r) => `(${r})`).join(", ")}),
  v AS (SELECT i, k, pk, pn, mid, mn, r, 300 + ((i * 7 + r * 13) % 200) + k * 80 AS ttft, 90 + ((i * 3 + r * 11) % 40) + k * 35 AS tps FROM seq, m, rn)
  SELECT printf('${u}-r%06d-%d-%d', i, k, r), printf('${u}-b%06d', i), pk, pn, mid, mn, 0, r, CASE WHEN (i + r + k) % 50 = 0 THEN 0 ELSE 1 END,
         ttft - 20, ttft, ttft, ttft + 255000.0 / tps, 256, 25, 'provider', tps, 256000.0 / (ttft + 255000.0 / tps), 1000.0 / tps,
         0.00012 + k * 0.0004, ${when("i")}
  FROM v;
INSERT INTO tool_eval_runs (id, user_id, suite_id, suite_name, scorer, temperature, tool_choice, config_json, status, created_at, completed_at)
  WITH RECURSIVE ${seq(evals)}
  SELECT printf('${u}-e%06d', i), '${u}', NULL, 'Bench suite', 'classic', 0.7, 'required', '{}', 'completed', ${when(`i * ${EVAL_EVERY}`)}, ${when(`i * ${EVAL_EVERY}`)}
  FROM seq;
INSERT INTO tool_eval_results (id, eval_run_id, provider_key, model_id, model_name, success, tool_selection_score, param_accuracy, overall_score,
                               score_parts_json, latency_ms, created_at)
  WITH RECURSIVE ${seq(evals)}, ${models}, c(j) AS (VALUES ${Array.from({ length: EVAL_CASES }, (_, j) => `(${j})`).join(", ")})
  SELECT printf('${u}-x%06d-%d-%d', i, k, j), printf('${u}-e%06d', i), pk, mid, mn, 1,
         CASE WHEN (i + j + k) % 4 = 0 THEN 0.0 ELSE 1.0 END, CASE WHEN (i + j) % 5 = 0 THEN 0.5 ELSE 1.0 END,
         CASE WHEN (i + j + k) % 4 = 0 THEN 0.0 ELSE 0.9 END, '{"passed":true}', 400 + j * 10, ${when(`i * ${EVAL_EVERY}`)}
  FROM seq, m, c;`;
}

interface Timing {
  size: number;
  route: string;
  p50: number;
  p95: number;
  samples: number[];
}

export const scenario: Scenario = {
  id: "analytics",
  title: "Analytics in D1: leaderboard and Pareto at 100, 1,000 and 10,000 stored runs",
  async run(opts: ScenarioOptions) {
    const reps = opts.quick ? 3 : 10;
    const sizes = opts.quick ? QUICK_SIZES : SIZES;
    const largest = sizes.at(-1)!;
    let seedMs = 0;
    let sqlBytes = 0;
    const stack = await startBenchStack({
      portBase: opts.portBase,
      label: "analytics",
      beforeStart: async (stateDir) => {
        const t = performance.now();
        const hash = await hashPassword(PASSWORD);
        const nowSec = Math.floor(Date.now() / 1000) - 60;
        const sql = sizes.map((n) => userSql(n, hash, nowSec)).join("\n");
        sqlBytes = sql.length;
        const dir = mkdtempSync(path.join(tmpdir(), "llm-bench-analytics-"));
        try {
          const file = path.join(dir, "seed.sql");
          writeFileSync(file, sql);
          opts.log(`seeding ${sizes.join(" / ")} runs (${(sql.length / 1000).toFixed(1)} KB of SQL, rows generated in SQLite) into local D1`);
          wrangler(["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--file", file, "--yes"], "seeding D1");
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        seedMs = performance.now() - t;
        opts.log(`seeded in ${(seedMs / 1000).toFixed(1)} s`);
      },
    });
    try {
      const timings: Timing[] = [];
      const routes = [
        "/api/analytics/leaderboard?type=benchmark&period=30d",
        "/api/analytics/leaderboard?type=benchmark&period=all",
        "/api/analytics/pareto?period=30d",
        "/api/analytics/pareto?period=all",
      ];
      for (const n of sizes) {
        const { access_token: token } = await api(stack.url, "/api/auth/login", { body: { email: email(n), password: PASSWORD } });
        // The figures must be the seeded ones before their time means anything.
        const all = await api(stack.url, "/api/analytics/leaderboard?type=benchmark&period=all", { token });
        if (all.rows.length !== MODELS.length || all.rows.some((r: { runs: number }) => r.runs !== n)) {
          broken(`leaderboard of the ${n}-run account is wrong: ${JSON.stringify(all.rows.map((r: { runs: number }) => r.runs))}`);
        }
        const pareto = await api(stack.url, "/api/analytics/pareto?period=all", { token });
        const evals = Math.ceil(n / EVAL_EVERY);
        if (
          pareto.points.length !== MODELS.length ||
          pareto.points.some((p: { benchmark_runs: number; eval_runs: number }) => p.benchmark_runs !== n || p.eval_runs !== evals)
        ) {
          broken(
            `Pareto of the ${n}-run account is wrong: ${JSON.stringify(pareto.points.map((p: { benchmark_runs: number; eval_runs: number }) => [p.benchmark_runs, p.eval_runs]))}`,
          );
        }
        for (const route of routes) {
          await api(stack.url, route, { token }); // warm
          const samples: number[] = [];
          for (let i = 0; i < reps; i++) {
            const t = performance.now();
            await api(stack.url, route, { token });
            samples.push(performance.now() - t);
          }
          const s = summarize(samples);
          timings.push({ size: n, route, p50: s.p50, p95: s.p95, samples });
          opts.log(`${n} runs, ${route}: p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms`);
        }
      }
      const healthz: number[] = [];
      for (let i = 0; i < reps; i++) {
        const t = performance.now();
        const r = await fetch(`${stack.url}/healthz`);
        await r.arrayBuffer();
        healthz.push(performance.now() - t);
      }
      const base = summarize(healthz).p50;

      const figures: Figure[] = [{ label: "GET /healthz (same Worker, no D1): p50", value: round(base, 1), unit: "ms" }];
      const label = (route: string) => route.replace("/api/analytics/", "").replace("?type=benchmark&", " ").replace("?", " ");
      for (const route of routes) {
        for (const n of sizes) {
          const t = timings.find((x) => x.route === route && x.size === n)!;
          figures.push({ label: `${label(route)}, ${n.toLocaleString("en")} runs: p50`, value: round(t.p50, 1), unit: "ms" });
        }
        const small = timings.find((x) => x.route === route && x.size === 100)!;
        const big = timings.find((x) => x.route === route && x.size === largest)!;
        const ratio = big.p50 / Math.max(small.p50, 1);
        const period = route.includes("30d") ? "30 days hold ≤ 720 runs at one an hour" : "all time holds every stored run";
        figures.push({
          label: `${label(route)}: ${largest.toLocaleString("en")} runs vs 100 (p50)`,
          value: round(ratio, 1),
          unit: "×",
          bar: `< 10× (same order of time; ${period})`,
          meets: ratio < 10,
        });
      }
      figures.push({ label: "Every answer had the seeded figures (run and eval counts per model)", value: 1, unit: "yes", bar: "yes", meets: true });
      return {
        id: "analytics",
        title: "Analytics in D1: leaderboard and Pareto at 100, 1,000 and 10,000 stored runs",
        figures,
        notes: [
          `Data: ${sizes.length} accounts with ${sizes.join(", ")} finished benchmark runs (one an hour, newest an hour ago), each with ${MODELS.length} models × (1 warm-up + ${MEASURED} measured) result rows, and one ${EVAL_CASES}-case tool eval of both models per ${EVAL_EVERY} runs — ${sizes.reduce((s, n) => s + n * MODELS.length * (MEASURED + 1), 0).toLocaleString("en")} benchmark result rows in all. Generated inside SQLite by recursive CTEs (${(sqlBytes / 1000).toFixed(1)} KB of SQL) and loaded with \`wrangler d1 execute --local\` before wrangler dev started (${round(seedMs / 1000, 1)} s).`,
          `Timing: each route ${reps} times one after the other after one warm-up request, end to end over loopback with a Bearer token (auth, the SQL in D1, JSON). "30d" covers at most 720 runs of any account (the period is a range on the (user_id, created_at) index), so 100 → 10,000 stored runs must stay within the same order of time; "all" covers every stored row of the account (~${(10_000 * MODELS.length * MEASURED).toLocaleString("en")} measured calls at 10,000): its counts come from an index-only scan of the owner index and each exact p50 from a walk of a rank index to the middle (migration 0017, src/worker/analytics/ranked.ts), so it must stay within the same order of time too. The tool-eval half of the Pareto view still groups the owner's eval rows (one eval per ${EVAL_EVERY} runs).`,
          "Before timing, each account's leaderboard and Pareto answer is checked against what was seeded (per-model run counts; eval counts behind each Pareto point): a wrong answer breaks the scenario.",
          ...(opts.quick
            ? ["Quick run: 100 and 1,000 runs only; the full run (`npm run bench -- --only analytics`) adds the 10,000-run account."]
            : []),
          "One shared 2-CPU machine: wrangler dev (workerd + local D1 as SQLite) and the client share the cores, so absolute numbers are noisy; local D1 has no network round trip to a database, which production D1 adds per query.",
        ],
        raw: { timings, healthz, seedMs, sqlBytes },
      };
    } finally {
      await stack.stop();
    }
  },
};
