/**
 * API under load: with 1,000 stored benchmark runs for one user, GET /api/history and GET /api/jobs under 32
 * concurrent connections (autocannon), next to GET /healthz of the same Worker as the baseline.
 * The runs are seeded straight into local D1 before wrangler dev starts (the product path would take hours).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { hashPassword } from "../../src/worker/auth/passwords.ts";
import { api, startBenchStack, wrangler } from "../lib/app.ts";
import type { Figure, Scenario, ScenarioOptions } from "../lib/scenario.ts";
import { round } from "../lib/stats.ts";

const RUNS = 1000;
const CONNECTIONS = 32;
/** Each seeded run: 2 models × 3 measured runs + 1 warm-up each, 256 output tokens per call. */
const MODELS = [
  { provider_key: "openai", provider: "OpenAI", model_id: "gpt-4o-mini", model: "GPT-4o mini" },
  { provider_key: "anthropic", provider: "Anthropic", model_id: "claude-haiku-4-5", model: "Claude Haiku 4.5" },
];
const MEASURED = 3;
const OUTPUT_TOKENS = 256;
const PASSWORD = "api load password";

const id = () => randomBytes(16).toString("hex");
const q = (v: unknown) =>
  v === null || v === undefined
    ? "NULL"
    : typeof v === "number"
      ? String(v)
      : typeof v === "boolean"
        ? v
          ? "1"
          : "0"
        : `'${String(v).replaceAll("'", "''")}'`;

/** SQL that creates the user and RUNS finished benchmark runs (job, run, result rows) shaped like the engine's. */
function seedSql(userId: string, email: string, passwordHash: string): { sql: string; results: number } {
  const lines: string[] = [];
  lines.push(
    `INSERT INTO users (id, email, password_hash, role, onboarding_completed) VALUES (${q(userId)}, ${q(email)}, ${q(passwordHash)}, 'admin', 1);`,
  );
  lines.push(`INSERT INTO rate_limits (user_id) VALUES (${q(userId)});`);
  const now = Date.now();
  const prompt = "Explain, in three short paragraphs, why measuring time to first token matters for chat interfaces.";
  let results = 0;
  const jobs: string[] = [];
  const runs: string[] = [];
  const rows: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const jobId = id();
    const runId = id();
    const created = now - (RUNS - i) * 3_600_000; // one an hour, newest last
    const iso = (ms: number) => new Date(ms).toISOString();
    const config = {
      targets: MODELS.map((m) => ({ provider_key: m.provider_key, model_id: m.model_id })),
      prompt,
      max_tokens: 512,
      temperature: 0.7,
      context_tiers: [0],
      runs: MEASURED,
      warmup: true,
      timeout_s: 120,
      provider_params: null,
    };
    const params = { run_id: runId, models: MODELS.length, providers: MODELS.length, runs: MEASURED, tiers: 1 };
    jobs.push(
      `(${[jobId, userId, "benchmark", "done", 100, "", JSON.stringify(params), runId, iso(created), iso(created + 200), iso(created + 20_000), iso(created + 200 + 7_200_000), 7200, iso(created + 20_000)].map(q).join(", ")})`,
    );
    runs.push(
      `(${[runId, userId, jobId, "manual", "completed", prompt, 512, 0.7, MEASURED, true, "[0]", JSON.stringify(config), iso(created), iso(created + 20_000)].map(q).join(", ")})`,
    );
    for (const m of MODELS) {
      for (let run = 0; run <= MEASURED; run++) {
        const ttft = 300 + ((i * 7 + run * 13) % 200);
        const gap = 10 + ((i + run) % 5);
        const arrivals = Array.from({ length: OUTPUT_TOKENS }, (_, k) => Math.round((ttft + k * gap + ((k * 37) % 7) / 10) * 1000) / 1000);
        const total = arrivals.at(-1)! + 5;
        const speed = (OUTPUT_TOKENS - 1) / ((arrivals.at(-1)! - ttft) / 1000);
        rows.push(
          `(${[
            id(),
            runId,
            m.provider_key,
            m.provider,
            m.model_id,
            m.model,
            0,
            run,
            true,
            ttft - 20,
            ttft,
            ttft,
            total,
            OUTPUT_TOKENS,
            25,
            "provider",
            speed,
            (OUTPUT_TOKENS / total) * 1000,
            gap,
            25 / (ttft / 1000),
            0.00012,
            null,
            null,
            JSON.stringify({ arrivals_ms: arrivals }),
            iso(created + 1000 + run * 3000),
          ]
            .map(q)
            .join(", ")})`,
        );
        results++;
      }
    }
  }
  // D1 caps one statement at 100 KB: a few dozen rows per INSERT.
  const chunked = (head: string, values: string[], size: number) => {
    for (let i = 0; i < values.length; i += size) lines.push(`${head} VALUES ${values.slice(i, i + size).join(",\n")};`);
  };
  chunked(
    "INSERT INTO jobs (id, user_id, job_type, status, progress_pct, progress_detail, params_json, result_ref, created_at, started_at, completed_at, timeout_at, timeout_seconds, last_progress_at)",
    jobs,
    50,
  );
  chunked(
    "INSERT INTO benchmark_runs (id, user_id, job_id, source, status, prompt, max_tokens, temperature, runs, warmup, context_tiers, config_json, created_at, completed_at)",
    runs,
    50,
  );
  chunked(
    "INSERT INTO benchmark_results (id, run_id, provider_key, provider_name, model_id, model_name, context_tokens, run_number, success, ttfb_ms, ttft_ms, ttfa_ms, total_ms, output_tokens, input_tokens, token_source, output_speed_tps, e2e_tps, itl_ms, prefill_tps, cost_usd, error_class, error, timings_json, created_at)",
    rows,
    20,
  );
  return { sql: lines.join("\n"), results };
}

interface LoadResult {
  route: string;
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  non2xx: number;
  errors: number;
  bytesPerResponse: number;
}

async function load(url: string, route: string, token: string | null, seconds: number): Promise<LoadResult> {
  const r = await autocannon({
    url: `${url}${route}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (r.requests.total - r.non2xx <= 0) {
    // Nothing finished in time: broken only if the route also fails on its own (a stalled, shared machine is noise).
    const probe = await fetch(`${url}${route}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!probe.ok) throw new Error(`${route}: no successful response under load, and HTTP ${probe.status} alone`);
  }
  return {
    route,
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: r.requests.average,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    bytesPerResponse: r.requests.total ? Math.round(r.throughput.total / r.requests.total) : 0,
  };
}

export const scenario: Scenario = {
  id: "api-load",
  title: "API under load: history and jobs with 1,000 stored runs",
  async run(opts: ScenarioOptions) {
    const seconds = opts.quick ? 3 : 20;
    const email = `load-${Date.now()}@example.com`;
    const userId = id();
    let seededResults = 0;
    let seedMs = 0;
    const stack = await startBenchStack({
      portBase: opts.portBase,
      label: "api-load",
      beforeStart: async (stateDir) => {
        const t = performance.now();
        const { sql, results } = seedSql(userId, email, await hashPassword(PASSWORD));
        seededResults = results;
        const dir = mkdtempSync(path.join(tmpdir(), "llm-bench-seed-"));
        try {
          const file = path.join(dir, "seed.sql");
          writeFileSync(file, sql);
          opts.log(`seeding ${RUNS} runs (${results} result rows, ${(sql.length / 1e6).toFixed(1)} MB of SQL) into local D1`);
          wrangler(["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--file", file, "--yes"], "seeding D1");
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        seedMs = performance.now() - t;
      },
    });
    try {
      const session = await api(stack.url, "/api/auth/login", { body: { email, password: PASSWORD } });
      const token = session.access_token as string;
      // The data is what the routes will serve: check it before loading them.
      const firstPage = await api(stack.url, "/api/history", { token });
      if (firstPage.runs.length !== 50 || firstPage.runs[0].results.length !== MODELS.length * MEASURED) {
        throw new Error(`seeded history looks wrong: ${firstPage.runs.length} runs, ${firstPage.runs[0]?.results.length} results in the first`);
      }
      const jobsPage = await api(stack.url, "/api/jobs", { token });
      if (jobsPage.jobs.length !== 20) throw new Error(`seeded jobs look wrong: ${jobsPage.jobs.length}`);

      const routes = ["/healthz", "/api/history", "/api/history?limit=20", "/api/jobs"];
      const out: LoadResult[] = [];
      for (const route of routes) {
        opts.log(`${route}: ${CONNECTIONS} connections for ${seconds} s`);
        out.push(await load(stack.url, route, route === "/healthz" ? null : token, seconds));
        const last = out.at(-1)!;
        opts.log(`${route}: p50 ${last.p50} ms, p99 ${last.p99} ms, ${round(last.rps, 1)} req/s, ${last.non2xx} non-2xx`);
      }
      const base = out[0]!;
      const figures: Figure[] = [];
      for (const r of out) {
        const label = `GET ${r.route}`;
        figures.push({ label: `${label}: p50`, value: r.p50, unit: "ms" });
        figures.push({ label: `${label}: p99`, value: r.p99, unit: "ms" });
        figures.push({ label: `${label}: throughput`, value: round(r.rps, 1), unit: "req/s" });
        if (r !== base) {
          figures.push({ label: `${label}: p50 vs /healthz`, value: round(r.p50 / Math.max(base.p50, 1), 1), unit: "×" });
          figures.push({ label: `${label}: p99 vs /healthz`, value: round(r.p99 / Math.max(base.p99, 1), 1), unit: "×" });
        }
        figures.push({
          label: `${label}: failed responses (non-2xx, errors, timeouts)`,
          value: r.non2xx + r.errors,
          unit: "responses",
          bar: "0",
          meets: r.non2xx + r.errors === 0,
        });
        figures.push({ label: `${label}: response size`, value: round(r.bytesPerResponse / 1000, 1), unit: "KB" });
      }
      return {
        id: "api-load",
        title: "API under load: history and jobs with 1,000 stored runs",
        figures,
        notes: [
          `Data: ${RUNS} finished benchmark runs for one user, each with its job row and ${MODELS.length * (MEASURED + 1)} result rows (${MODELS.length} models × ${MEASURED} measured runs + 1 warm-up, ${OUTPUT_TOKENS} output tokens with their arrival times in timings_json, as the engine stores them) — ${seededResults} result rows in all. They were seeded straight into local D1 with \`wrangler d1 execute --local --file\` before wrangler dev started (${round(seedMs / 1000)} s); the product path would need 1,000 real runs.`,
          `Load: autocannon, ${CONNECTIONS} connections, ${seconds} s per route, one route after the other, with a valid Bearer token; /healthz (no auth, no D1) is the same Worker's baseline. /api/history is the default page (50 runs with results and aggregates), /api/history?limit=20 what the History page asks for, /api/jobs the default 20 jobs.`,
          "Why /api/history costs more than /api/jobs: a page carries every measured result of its runs plus per-model aggregates (about 7 KB of JSON per run here), so its cost grows with the page size, not with the 1,000 stored runs (the page query uses the (user_id, created_at) index, results are read by run id through the unique index's prefix). The route reads no raw event timings and gets job statuses by a join.",
          "Everything runs on one shared 2-CPU machine: wrangler dev (workerd + local D1 as SQLite) and autocannon compete for the same cores, so absolute numbers are far below production; the ratio to /healthz is the useful figure. No bars are given for this scenario except that nothing fails.",
        ],
        raw: { out, seededResults, seedMs },
      };
    } finally {
      await stack.stop();
    }
  },
};
