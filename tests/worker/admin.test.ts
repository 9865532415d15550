/**
 * The admin console (/api/admin): who may call it, the role and delete rules, per-user limits that the job
 * registry enforces, the audit log with its filters, every user's jobs with an admin cancel, system figures, the
 * log store and its retention, and shared provider keys (used by a real call to the simulator, never returned).
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { makeDb } from "../../src/worker/db/client.ts";
import { makeLogger } from "../../src/worker/lib/log.ts";
import { LOG_STORE_MAX_ROWS, PRUNE_EVERY, storeLogEvent } from "../../src/worker/lib/log-store.ts";
import { llmTargetFor, resolveTargets } from "../../src/worker/llm/targets.ts";
import { CANARY } from "./canaries.ts";
import { waitForJob } from "./fixtures.ts";
import { call, expectEnvelope, signUp, uniqueEmail } from "./helpers.ts";
import { openSocket, waitForJobEvent } from "./sockets.ts";

type Account = Awaited<ReturnType<typeof signUp>>;
let boss: Account;

/** ADMIN_EMAIL is boss@example.com in the test config (vitest.config.ts): that account is an admin. */
beforeAll(async () => {
  boss = await signUp("boss@example.com");
  expect(boss.user.role).toBe("admin");
});

const SIM_V1 = () => `${env.SIMULATOR_BASE_URL}/v1`;
/** First token after 20 s: a job on it is surely still running while a test looks at it. */
const SLOW_MODEL = "sim-ttft20000-len1";
const FAST_MODEL = "sim-ttft1-tps2000-len3";

async function auditRows(action: string, resourceId?: string) {
  const q = resourceId
    ? env.DB.prepare("SELECT * FROM audit_log WHERE action = ? AND resource_id = ? ORDER BY id").bind(action, resourceId)
    : env.DB.prepare("SELECT * FROM audit_log WHERE action = ? ORDER BY id").bind(action);
  return (await q.all<Record<string, unknown>>()).results;
}

/** A user with a loopback provider and one model on it. */
async function userWithModel(modelId: string, providerKey = "adm_sim") {
  const u = await signUp();
  const p = await call("/api/v2/providers", {
    token: u.token,
    body: { provider_key: providerKey, display_name: "Admin test simulator", api_base: SIM_V1(), is_local: true },
  });
  expect(p.status, p.text).toBe(201);
  const m = await call(`/api/v2/providers/${p.json.provider.id}/models`, { token: u.token, body: { model_id: modelId } });
  expect(m.status, m.text).toBe(201);
  return { ...u, providerKey, providerId: p.json.provider.id as string };
}

async function startBenchmark(u: { token: string; providerKey: string }, modelId: string, extra: Record<string, unknown> = {}) {
  return call("/api/benchmark", {
    token: u.token,
    body: { targets: [{ provider_key: u.providerKey, model_id: modelId }], runs: 1, warmup: false, max_tokens: 4, ...extra },
  });
}

const ADMIN_ROUTES: Array<{ method: string; path: (id: string) => string; body?: unknown }> = [
  { method: "GET", path: () => "/api/admin/users" },
  { method: "PUT", path: (id) => `/api/admin/users/${id}/role`, body: { role: "admin" } },
  { method: "DELETE", path: (id) => `/api/admin/users/${id}` },
  { method: "GET", path: (id) => `/api/admin/users/${id}/rate-limit` },
  { method: "PUT", path: (id) => `/api/admin/users/${id}/rate-limit`, body: { max_concurrent: 5 } },
  { method: "GET", path: () => "/api/admin/audit" },
  { method: "GET", path: () => "/api/admin/jobs" },
  { method: "POST", path: () => "/api/admin/jobs/0123456789abcdef0123456789abcdef/cancel" },
  { method: "GET", path: () => "/api/admin/stats" },
  { method: "GET", path: () => "/api/admin/system" },
  { method: "GET", path: () => "/api/admin/logs" },
  { method: "GET", path: () => "/api/admin/shared-keys" },
  { method: "PUT", path: () => "/api/admin/shared-keys/openai", body: { value: "sk-never-stored-0000" } },
  { method: "DELETE", path: () => "/api/admin/shared-keys/openai" },
];

describe("admin routes: who may call them", () => {
  it("401 without a token, 403 for a user (changing nothing), 2xx/404 for an admin", async () => {
    const user = await signUp();
    expect(user.user.role).toBe("user");
    for (const r of ADMIN_ROUTES) {
      const path = r.path(user.user.id);
      expectEnvelope(await call(path, { method: r.method, body: r.body }), 401, "unauthorized");
      expectEnvelope(await call(path, { method: r.method, body: r.body, token: user.token }), 403, "forbidden");
    }
    // Nothing the user tried took effect.
    const row = await env.DB.prepare("SELECT role FROM users WHERE id = ?").bind(user.user.id).first<{ role: string }>();
    expect(row?.role).toBe("user");
    const limits = await env.DB.prepare("SELECT max_concurrent, updated_by FROM rate_limits WHERE user_id = ?").bind(user.user.id).first();
    expect(limits ?? { max_concurrent: 1, updated_by: null }).toEqual({ max_concurrent: 1, updated_by: null });
    expect(await env.DB.prepare("SELECT * FROM shared_provider_keys").first()).toBeNull();
    // The admin gets through (reads 200; writes on a missing job/key 404; the user's own rows are changed last).
    const victim = await signUp();
    for (const r of ADMIN_ROUTES) {
      const res = await call(r.path(victim.user.id), { method: r.method, body: r.body, token: boss.token });
      expect([200, 404], `${r.method} ${r.path(victim.user.id)}: ${res.text}`).toContain(res.status);
      if (res.status === 404) expectEnvelope(res, 404, "not_found");
    }
  });
});

describe("users", () => {
  it("lists accounts with last login, run, job and key counts", async () => {
    const u = await userWithModel(FAST_MODEL);
    expect(
      (await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: u.providerKey, value: "sk-sim-mine-000000" } })).status,
    ).toBe(200);
    expect((await call("/api/auth/login", { body: { email: u.email, password: u.password } })).status).toBe(200);
    const run = await startBenchmark(u, FAST_MODEL);
    expect(run.status, run.text).toBe(200);
    expect(await waitForJob(u.token, run.json.job_id)).toBe("done");
    const list = await call("/api/admin/users?limit=500", { token: boss.token });
    expect(list.status, list.text).toBe(200);
    const row = list.json.users.find((x: any) => x.id === u.user.id);
    expect(row).toMatchObject({ email: u.email, role: "user", benchmark_count: 1, job_count: 1, key_count: 1, active_jobs: 0, is_self: false });
    expect(row.last_login).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(list.json.users.find((x: any) => x.id === boss.user.id)).toMatchObject({ role: "admin", is_self: true });
    expect(list.json.total).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(list.json)).not.toMatch(/password|hash/i);
  });

  it("changes another account's role (audited), never one's own", async () => {
    const u = await signUp();
    const up = await call(`/api/admin/users/${u.user.id}/role`, { method: "PUT", token: boss.token, body: { role: "admin" } });
    expect(up.status, up.text).toBe(200);
    expect((await call("/api/admin/users", { token: u.token })).status).toBe(200); // takes effect at once
    const down = await call(`/api/admin/users/${u.user.id}/role`, { method: "PUT", token: boss.token, body: { role: "user" } });
    expect(down.status).toBe(200);
    expectEnvelope(await call("/api/admin/users", { token: u.token }), 403, "forbidden");
    const entries = await auditRows("admin_user_update", u.user.id);
    expect(entries.map((e) => JSON.parse(String(e.detail)).role)).toEqual(["admin", "user"]);
    expect(entries[0]).toMatchObject({ user_id: boss.user.id });

    const self = await call(`/api/admin/users/${boss.user.id}/role`, { method: "PUT", token: boss.token, body: { role: "user" } });
    expectEnvelope(self, 400, "bad_request");
    expect(self.json.error).toMatch(/own role/);
    expectEnvelope(await call(`/api/admin/users/${"f".repeat(32)}/role`, { method: "PUT", token: boss.token, body: { role: "user" } }), 404);
    expectEnvelope(await call(`/api/admin/users/${u.user.id}/role`, { method: "PUT", token: boss.token, body: { role: "root" } }), 400);
  });

  it("deletes an account with everything it owns; its audit entries stay with the user id nulled", async () => {
    const u = await userWithModel(SLOW_MODEL);
    expect(
      (await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: u.providerKey, value: "sk-sim-gone-000000" } })).status,
    ).toBe(200);
    const run = await startBenchmark(u, SLOW_MODEL);
    expect(run.status, run.text).toBe(200);
    const socket = await openSocket(u.token);
    await socket.next("sync");
    const ownEntries = (await env.DB.prepare("SELECT id FROM audit_log WHERE user_id = ?").bind(u.user.id).all()).results.map((r) => r.id);
    expect(ownEntries.length).toBeGreaterThanOrEqual(3); // register, api_key_set, benchmark_start

    expectEnvelope(await call(`/api/admin/users/${boss.user.id}`, { method: "DELETE", token: boss.token }), 400, "bad_request");
    const del = await call(`/api/admin/users/${u.user.id}`, { method: "DELETE", token: boss.token });
    expect(del.status, del.text).toBe(200);
    expect((await socket.closed).code).toBe(4001);

    for (const table of ["users", "providers", "user_api_keys", "jobs", "benchmark_runs", "user_settings"]) {
      const col = table === "users" ? "id" : "user_id";
      const n = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${col} = ?`).bind(u.user.id).first<{ n: number }>();
      expect(n?.n, table).toBe(0);
    }
    const kept = await env.DB.prepare(`SELECT id, user_id, action FROM audit_log WHERE id IN (${ownEntries.join(",")})`).all();
    expect(kept.results).toHaveLength(ownEntries.length);
    expect(kept.results.every((r) => r.user_id === null)).toBe(true);
    const [entry] = await auditRows("admin_user_delete", u.user.id);
    expect(entry).toMatchObject({ user_id: boss.user.id });
    expect(JSON.parse(String(entry!.detail))).toMatchObject({ email: u.email, cancelled_jobs: 1 });
    // The account is gone for its own tokens too, and a second delete is a 404.
    expectEnvelope(await call("/api/jobs", { token: u.token }), 401);
    expectEnvelope(await call(`/api/admin/users/${u.user.id}`, { method: "DELETE", token: boss.token }), 404, "not_found");
  });
});

describe("per-user limits", () => {
  it("defaults, validated updates (audited) that the job registry enforces at once", async () => {
    const u = await userWithModel(FAST_MODEL);
    const path = `/api/admin/users/${u.user.id}/rate-limit`;
    expect((await call(path, { token: boss.token })).json).toMatchObject({
      benchmarks_per_hour: 20,
      max_concurrent: 1,
      max_runs_per_benchmark: 10,
    });
    for (const bad of [{ benchmarks_per_hour: 0 }, { max_concurrent: 51 }, { max_runs_per_benchmark: 1.5 }, {}, { other: 1 }]) {
      expectEnvelope(await call(path, { method: "PUT", token: boss.token, body: bad }), 400, "validation_failed");
    }
    const put = await call(path, { method: "PUT", token: boss.token, body: { benchmarks_per_hour: 2, max_runs_per_benchmark: 3 } });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toMatchObject({ benchmarks_per_hour: 2, max_concurrent: 1, max_runs_per_benchmark: 3 });
    const [entry] = await auditRows("admin_rate_limit", u.user.id);
    expect(JSON.parse(String(entry!.detail))).toMatchObject({ before: { benchmarks_per_hour: 20 }, after: { benchmarks_per_hour: 2 } });

    expect((await call("/api/user/rate-limit", { token: u.token })).json).toMatchObject({ limit: 2, remaining: 2 });
    const tooMany = await startBenchmark(u, FAST_MODEL, { runs: 4 });
    expectEnvelope(tooMany, 400, "bad_request");
    expect(tooMany.json.error).toMatch(/At most 3 runs/);
    for (let i = 0; i < 2; i++) {
      const ok = await startBenchmark(u, FAST_MODEL, { runs: 3 });
      expect(ok.status, ok.text).toBe(200);
      await waitForJob(u.token, ok.json.job_id);
    }
    expectEnvelope(await startBenchmark(u, FAST_MODEL), 429, "rate_limited");
    // Raised again: the next submission is accepted.
    expect((await call(path, { method: "PUT", token: boss.token, body: { benchmarks_per_hour: 50 } })).status).toBe(200);
    const again = await startBenchmark(u, FAST_MODEL);
    expect(again.status, again.text).toBe(200);
    await waitForJob(u.token, again.json.job_id);
  });

  it("a raised concurrency limit starts a queued job", async () => {
    const u = await userWithModel(SLOW_MODEL);
    const first = await startBenchmark(u, SLOW_MODEL);
    const second = await startBenchmark(u, SLOW_MODEL);
    expect(second.status, second.text).toBe(200);
    expect((await call(`/api/jobs/${second.json.job_id}`, { token: u.token })).json.status).toBe("queued");
    const jobs = await call("/api/admin/jobs", { token: boss.token });
    const mine = jobs.json.jobs.filter((j: any) => j.user_id === u.user.id);
    expect(mine.map((j: any) => j.status).sort()).toEqual(["queued", "running"].sort());
    expect(mine[0].user_email).toBe(u.email);
    const sys = await call("/api/admin/system", { token: boss.token });
    expect(sys.json.queued_jobs).toBeGreaterThanOrEqual(1);
    expect(sys.json.active_jobs).toBeGreaterThanOrEqual(1);

    expect((await call(`/api/admin/users/${u.user.id}/rate-limit`, { method: "PUT", token: boss.token, body: { max_concurrent: 2 } })).status).toBe(
      200,
    );
    expect((await call(`/api/jobs/${second.json.job_id}`, { token: u.token })).json.status).toMatch(/^(pending|running)$/);
    for (const j of [first, second]) expect((await call(`/api/jobs/${j.json.job_id}/cancel`, { method: "POST", token: u.token })).status).toBe(200);
  });
});

describe("jobs", () => {
  it("an admin cancels another user's running job through that user's hub (audited)", async () => {
    const u = await userWithModel(SLOW_MODEL);
    const socket = await openSocket(u.token);
    await socket.next("sync");
    const run = await startBenchmark(u, SLOW_MODEL);
    expect(run.status, run.text).toBe(200);
    const listed = await call("/api/admin/jobs", { token: boss.token });
    expect(listed.json.jobs.map((j: any) => j.id)).toContain(run.json.job_id);

    const cancel = await call(`/api/admin/jobs/${run.json.job_id}/cancel`, { method: "POST", token: boss.token });
    expect(cancel.status, cancel.text).toBe(200);
    await waitForJobEvent(socket, "job_cancelled", run.json.job_id); // the owner's tabs hear it
    expect(await waitForJob(u.token, run.json.job_id)).toBe("cancelled");
    const [entry] = await auditRows("admin_job_cancel", run.json.job_id);
    expect(entry).toMatchObject({ user_id: boss.user.id });
    expect(JSON.parse(String(entry!.detail))).toMatchObject({ owner_id: u.user.id, job_type: "benchmark" });
    expect((await call("/api/admin/jobs", { token: boss.token })).json.jobs.map((j: any) => j.id)).not.toContain(run.json.job_id);
    // Finished: 400; unknown: 404.
    expectEnvelope(await call(`/api/admin/jobs/${run.json.job_id}/cancel`, { method: "POST", token: boss.token }), 400, "bad_request");
    expectEnvelope(await call(`/api/admin/jobs/${"0".repeat(32)}/cancel`, { method: "POST", token: boss.token }), 404, "not_found");
    socket.ws.close();
  });
});

describe("audit log", () => {
  it("filters by user (id or email), action and time range, with paging", async () => {
    const u = await signUp(uniqueEmail("audited"));
    for (let i = 0; i < 3; i++) expect((await call("/api/auth/login", { body: { email: u.email, password: u.password } })).status).toBe(200);
    const byId = await call(`/api/admin/audit?user=${u.user.id}&action=user_login`, { token: boss.token });
    expect(byId.status, byId.text).toBe(200);
    expect(byId.json.total).toBe(3);
    expect(byId.json.entries.every((e: any) => e.action === "user_login" && e.user_email === u.email)).toBe(true);
    expect(byId.json.actions).toEqual(expect.arrayContaining(["user_login", "user_register"]));
    const times = byId.json.entries.map((e: any) => e.created_at);
    expect([...times].sort().reverse()).toEqual(times); // newest first

    const byEmail = await call(`/api/admin/audit?user=${encodeURIComponent(u.email.slice(0, 12).toUpperCase())}`, { token: boss.token });
    expect(byEmail.json.entries.some((e: any) => e.action === "user_register" && e.user_id === u.user.id)).toBe(true);
    // "%" is a literal, not a wildcard.
    expect((await call("/api/admin/audit?user=%25", { token: boss.token })).json.total).toBe(0);

    const page1 = await call(`/api/admin/audit?user=${u.user.id}&limit=2`, { token: boss.token });
    const page2 = await call(`/api/admin/audit?user=${u.user.id}&limit=2&offset=2`, { token: boss.token });
    expect(page1.json.entries).toHaveLength(2);
    expect(page1.json.total).toBe(4);
    expect(page2.json.entries.map((e: any) => e.id)).not.toContain(page1.json.entries[0].id);
    expect(page1.json.entries.length + page2.json.entries.length).toBe(4);

    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await call(`/api/admin/audit?user=${u.user.id}&since=${future}`, { token: boss.token })).json.total).toBe(0);
    const past = new Date(Date.now() - 3600_000).toISOString();
    expect((await call(`/api/admin/audit?user=${u.user.id}&until=${past}`, { token: boss.token })).json.total).toBe(0);
    expect((await call(`/api/admin/audit?user=${u.user.id}&since=${past}&until=${future}`, { token: boss.token })).json.total).toBe(4);
    expectEnvelope(await call("/api/admin/audit?since=yesterday", { token: boss.token }), 400, "validation_failed");
    expectEnvelope(await call("/api/admin/audit?limit=0", { token: boss.token }), 400, "validation_failed");
  });
});

describe("stats and system", () => {
  it("counts runs per window, top users, keys by provider, and live sockets", async () => {
    const u = await userWithModel(FAST_MODEL);
    expect(
      (await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: u.providerKey, value: "sk-sim-stats-00000" } })).status,
    ).toBe(200);
    const before = (await call("/api/admin/stats", { token: boss.token })).json;
    for (let i = 0; i < 2; i++) {
      const r = await startBenchmark(u, FAST_MODEL);
      expect(r.status, r.text).toBe(200);
      await waitForJob(u.token, r.json.job_id);
    }
    const stats = await call("/api/admin/stats", { token: boss.token });
    expect(stats.status, stats.text).toBe(200);
    expect(stats.json.runs_24h).toBe(before.runs_24h + 2);
    expect(stats.json.runs_7d).toBe(before.runs_7d + 2);
    expect(stats.json.runs_30d).toBe(before.runs_30d + 2);
    expect(stats.json.top_users.find((t: any) => t.user_id === u.user.id)).toMatchObject({ email: u.email, count: 2 });
    expect(stats.json.keys_by_provider.find((k: any) => k.provider_key === u.providerKey).user_count).toBeGreaterThanOrEqual(1);
    expect(stats.json.total_users).toBeGreaterThanOrEqual(2);

    const sys0 = (await call("/api/admin/system", { token: boss.token })).json;
    const a = await openSocket(u.token);
    const b = await openSocket(u.token);
    await a.next("sync");
    await b.next("sync");
    const sys1 = (await call("/api/admin/system", { token: boss.token })).json;
    expect(sys1.connected_sockets).toBe(sys0.connected_sockets + 2);
    expect(sys1.users_connected).toBe(sys0.users_connected + 1);
    a.ws.close();
    b.ws.close();
    await Promise.all([a.closed, b.closed]);
    await expect
      .poll(async () => (await call("/api/admin/system", { token: boss.token })).json.connected_sockets, { timeout: 5000 })
      .toBe(sys0.connected_sockets);
    expect(sys1.db_size_bytes === null || sys1.db_size_bytes > 0).toBe(true);
    expect(typeof sys1.log_events).toBe("number");
  });
});

describe("log store", () => {
  it("keeps warnings and errors (redacted) from the request logger, searchable by level and text", async () => {
    const marker = `marker${crypto.randomUUID().slice(0, 8)}`;
    // A 404 logs a warning line with the path; the key-shaped text in it is redacted before it is stored.
    expect((await call(`/api/${marker}/sk-proj-abcdefghijklmnop`)).status).toBe(404);
    const found = await expect
      .poll(async () => (await call(`/api/admin/logs?search=${marker}`, { token: boss.token })).json, { timeout: 5000 })
      .toMatchObject({ count: 1 });
    void found;
    const r = await call(`/api/admin/logs?search=${marker}&level=warn`, { token: boss.token });
    expect(r.json.logs[0]).toMatchObject({ level: "warn", message: "request" });
    expect(r.json.logs[0].fields).toMatchObject({ status: 404, method: "GET" });
    expect(JSON.stringify(r.json)).not.toContain("abcdefghijklmnop");
    expect((await call(`/api/admin/logs?search=${marker}&level=error`, { token: boss.token })).json.count).toBe(0);
    expect((await call(`/api/admin/logs?search=${marker.toUpperCase()}`, { token: boss.token })).json.count).toBe(1);
    // info lines are printed, never stored
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM log_events WHERE level NOT IN ('warn', 'error')").first<{ n: number }>();
    expect(rows?.n).toBe(0);
    expectEnvelope(await call("/api/admin/logs?level=info", { token: boss.token }), 400, "validation_failed");
  });

  it("a logger with the sink stores only warn and error lines, already redacted", async () => {
    const seen: Array<{ level: string; line: string }> = [];
    const log = makeLogger("debug", { request_id: "r1" }, (e) => seen.push(e));
    log.info("fine");
    log.warn("careful", { key: "sk-ant-0123456789abcdef" });
    log.child({ a: 1 }).error("broken");
    expect(seen.map((e) => e.level)).toEqual(["warn", "error"]);
    expect(seen[0]!.line).not.toContain("0123456789abcdef");
    expect(JSON.parse(seen[1]!.line)).toMatchObject({ a: 1, request_id: "r1", message: "broken" });
  });

  it("retention: never more than the limit plus one prune interval, oldest dropped first", async () => {
    expect(LOG_STORE_MAX_ROWS).toBeGreaterThanOrEqual(2000);
    const max = 150; // the same pruning with a small limit, so the test writes hundreds of rows, not thousands
    await env.DB.prepare("DELETE FROM log_events").run();
    let peak = 0;
    for (let i = 0; i < 600; i++) {
      await storeLogEvent(env.DB, { level: i % 2 ? "warn" : "error", message: `m${i}`, line: `{"n":${i}}`, requestId: null }, max);
      if (i % 50 === 49) peak = Math.max(peak, (await env.DB.prepare("SELECT count(*) AS n FROM log_events").first<{ n: number }>())!.n);
    }
    const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM log_events").first<{ n: number }>())!;
    expect(n).toBeLessThanOrEqual(max + PRUNE_EVERY);
    expect(n).toBeGreaterThanOrEqual(max);
    expect(peak).toBeLessThanOrEqual(max + PRUNE_EVERY);
    const newest = await env.DB.prepare("SELECT message FROM log_events ORDER BY id DESC LIMIT 1").first<{ message: string }>();
    expect(newest?.message).toBe("m599");
    expect(await env.DB.prepare("SELECT 1 FROM log_events WHERE message = 'm0'").first()).toBeNull();
  });
});

describe("shared provider keys", () => {
  it("are used by a real call when the user has no key, only at the URL the admin chose", async () => {
    const model = "sim-ttft1-tps2000-len3-needkeyTeam1";
    const set = await call("/api/admin/shared-keys/team_sim", {
      method: "PUT",
      token: boss.token,
      body: { value: "sk-sim-Team1", api_base: `${SIM_V1()}/` },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.json).toMatchObject({ provider_key: "team_sim", api_base: SIM_V1(), last4: "eam1" });
    expect(JSON.stringify(set.json)).not.toContain("sk-sim-Team1");
    const [entry] = await auditRows("admin_shared_key_set", "team_sim");
    expect(entry).toMatchObject({ user_id: boss.user.id });
    expect(String(entry!.detail)).not.toContain("sk-sim-Team1");

    // A user without a key: the key list says SHARED (no hint of the key), and a benchmark succeeds with it.
    const u = await userWithModel(model, "team_sim");
    await call(`/api/v2/providers/${u.providerId}`, { method: "PUT", token: u.token, body: { is_local: false } });
    const keys = await call("/api/keys", { token: u.token });
    const row = keys.json.keys.find((k: any) => k.provider_key === "team_sim");
    expect(row).toMatchObject({ status: "shared", has_global_key: true, has_user_key: false, last4: null });
    const run = await startBenchmark(u, model);
    expect(run.status, run.text).toBe(200);
    expect(await waitForJob(u.token, run.json.job_id)).toBe("done");
    const history = await call(`/api/history/${run.json.run_id}`, { token: u.token });
    expect(history.json.results.every((r: any) => r.success)).toBe(true);

    // A user pointing the same provider key elsewhere never gets it.
    const elsewhere = await userWithModel(model, "team_sim");
    await call(`/api/v2/providers/${elsewhere.providerId}`, {
      method: "PUT",
      token: elsewhere.token,
      body: { api_base: "http://127.0.0.1:9/v1", is_local: false },
    });
    const db = makeDb(env.DB);
    const { found } = await resolveTargets(db, elsewhere.user.id, [{ provider_key: "team_sim", model_id: model }]);
    await expect(llmTargetFor(env, db, elsewhere.user.id, found[0]!)).rejects.toThrow(/No API key/);
    expect((await call("/api/keys", { token: elsewhere.token })).json.keys.find((k: any) => k.provider_key === "team_sim").status).toBe("not_set");

    // A user's own key wins over the shared one (here a wrong one: the simulator refuses it).
    expect((await call("/api/keys", { method: "PUT", token: u.token, body: { provider_key: "team_sim", value: "sk-sim-mine-000000" } })).status).toBe(
      200,
    );
    const own = await startBenchmark(u, model);
    await waitForJob(u.token, own.json.job_id);
    const ownRun = await call(`/api/history/${own.json.run_id}`, { token: u.token });
    expect(ownRun.json.results[0]).toMatchObject({ success: false, error_class: "auth" });

    // Removed: the next call has no key.
    expect((await call("/api/admin/shared-keys/team_sim", { method: "DELETE", token: boss.token })).status).toBe(200);
    expect(await auditRows("admin_shared_key_delete", "team_sim")).toHaveLength(1);
    expectEnvelope(await call("/api/admin/shared-keys/team_sim", { method: "DELETE", token: boss.token }), 404, "not_found");
  });

  it("are never returned: the admin list shows a hint only, and catalogue providers default to their own URL", async () => {
    const put = await call("/api/admin/shared-keys/openrouter", { method: "PUT", token: boss.token, body: { value: CANARY.USER_KEY } });
    expect(put.status, put.text).toBe(200);
    expect(put.json.api_base).toBe("https://openrouter.ai/api/v1");
    const list = await call("/api/admin/shared-keys", { token: boss.token });
    expect(list.json.keys.find((k: any) => k.provider_key === "openrouter")).toMatchObject({
      display_name: "OpenRouter",
      last4: CANARY.USER_KEY.slice(-4),
      updated_by_email: "boss@example.com",
    });
    const stored = await env.DB.prepare("SELECT * FROM shared_provider_keys WHERE provider_key = 'openrouter'").first<Record<string, string>>();
    expect(JSON.stringify(stored)).not.toContain(CANARY.USER_KEY);
    // Every admin read after the write, scanned for the key (the canary scan checks this file's traffic too).
    for (const path of ["/api/admin/shared-keys", "/api/admin/audit", "/api/admin/logs?limit=500", "/api/admin/stats", "/api/admin/system"]) {
      expect((await call(path, { token: boss.token })).text, path).not.toContain(CANARY.USER_KEY);
    }
    expectEnvelope(
      await call("/api/admin/shared-keys/team_x", { method: "PUT", token: boss.token, body: { value: "sk-x-000000000" } }),
      400,
      "bad_request",
    );
    expectEnvelope(
      await call("/api/admin/shared-keys/team_x", { method: "PUT", token: boss.token, body: { value: "k", api_base: "ftp://x" } }),
      400,
      "validation_failed",
    );
    expect((await call("/api/admin/shared-keys/openrouter", { method: "DELETE", token: boss.token })).status).toBe(200);
  });
});
