/**
 * Sharing (issue 16): link shares open without signing in and show the run read-only; revoked, expired and
 * unknown links are the same 404; named accounts open their shares signed in and nobody else can; only the
 * owner's own runs can be shared; every create, open and revoke is audited; and the public view carries no key,
 * no credentialed base URL, nothing of the owner (email, other runs) and no raw exchange.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { publicParamAdjustments, publicProviderParams, publicText } from "../../src/worker/shares/public-text.ts";
import { CANARY } from "./canaries.ts";
import { buildFixture, FIXTURE_MODEL, type Fixture, waitForJob } from "./fixtures.ts";
import { call, expectEnvelope, signUp } from "./helpers.ts";

/** Secrets planted in the credentialed provider's base URL (userinfo and query); not canaries, so asserted here. */
const URL_USER = "shareuser";
const URL_PASSWORD = "BaseUrlPassword7f3e91";
const URL_QUERY_SECRET = "QuerySecret5d2c80";
const SHARED_PROMPT = "Shared prompt: describe the sea in one line.";
const OTHER_PROMPT = "OTHER-RUN-MARKER: this run is never shared.";

let owner: Fixture;
let benchRunId: string;
let otherRunId: string;
let evalRunId: string;

async function ok(r: Promise<{ status: number; json: any; text: string }>, status = 200) {
  const res = await r;
  expect(res.status, res.text).toBe(status);
  return res.json;
}

async function auditRows(action: string, shareId: string) {
  const rows = await env.DB.prepare("SELECT user_id, resource_type, resource_id, detail, ip FROM audit_log WHERE action = ? AND detail LIKE ?")
    .bind(action, `%${shareId}%`)
    .all<{ user_id: string | null; resource_type: string; resource_id: string; detail: string }>();
  return rows.results;
}

beforeAll(async () => {
  owner = await buildFixture(); // a provider on the simulator with the canary key, a suite, a benchmark and an eval
  const token = owner.account.token;
  const sim = new URL(env.SIMULATOR_BASE_URL!);
  const credentialed = `http://${URL_USER}:${URL_PASSWORD}@${sim.host}/v1?api_key=${URL_QUERY_SECRET}`;
  const provider = await ok(
    call("/api/v2/providers", { token, body: { provider_key: "cred_sim", display_name: "Credentialed", api_base: credentialed, is_local: true } }),
    201,
  );
  await ok(call(`/api/v2/providers/${provider.provider.id}/models`, { token, body: { model_id: FIXTURE_MODEL } }), 201);
  await ok(call("/api/keys", { method: "PUT", token, body: { provider_key: "cred_sim", value: CANARY.USER_KEY } }));
  // The same credentials on a server that is down: its failures (messages, hosts, hints) must not carry them either.
  const down = await ok(
    call("/api/v2/providers", {
      token,
      body: {
        provider_key: "cred_down",
        display_name: "Down",
        api_base: `http://${URL_USER}:${URL_PASSWORD}@127.0.0.1:9/v1?api_key=${URL_QUERY_SECRET}`,
        is_local: true,
      },
    }),
    201,
  );
  await ok(call(`/api/v2/providers/${down.provider.id}/models`, { token, body: { model_id: FIXTURE_MODEL } }), 201);
  const targets = [
    { provider_key: owner.providerKey, model_id: FIXTURE_MODEL },
    { provider_key: "cred_sim", model_id: FIXTURE_MODEL },
    { provider_key: "cred_down", model_id: FIXTURE_MODEL },
  ];
  const bench = await ok(
    call("/api/benchmark", {
      token,
      body: {
        targets,
        runs: 1,
        warmup: false,
        max_tokens: 4,
        prompt: SHARED_PROMPT,
        provider_params: { top_p: 0.9, passthrough: { x_secret: URL_QUERY_SECRET } },
      },
    }),
  );
  const other = await ok(
    call("/api/benchmark", { token, body: { targets: targets.slice(0, 1), runs: 1, warmup: false, max_tokens: 4, prompt: OTHER_PROMPT } }),
  );
  const evalRun = await ok(call("/api/tool-eval", { token, body: { suite_id: owner.ids.suite, targets, max_tokens: 64 } }));
  for (const job of [bench.job_id, other.job_id, evalRun.job_id]) expect(await waitForJob(token, job)).toMatch(/^(done|failed)$/);
  benchRunId = bench.run_id;
  otherRunId = other.run_id;
  evalRunId = evalRun.eval_id;
}, 90_000);

describe("link shares", () => {
  it("open without signing in, show the run, and leak nothing of the owner", async () => {
    const token = owner.account.token;
    const created = await ok(call("/api/shares", { token, body: { resource_type: "benchmark_run", resource_id: benchRunId } }), 201);
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(created.url).toBe(`https://bench.test/shared/#${created.token}`);
    expect(created).toMatchObject({ kind: "link", resource_type: "benchmark_run", resource_id: benchRunId, recipients: [], expires_at: null });

    // Only a hash of the token is stored.
    const stored = await env.DB.prepare("SELECT * FROM shares WHERE id = ?").bind(created.id).first<Record<string, unknown>>();
    expect(JSON.stringify(stored)).not.toContain(created.token);
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);

    const shared = await call(`/api/shared/${created.token}`);
    expect(shared.status, shared.text).toBe(200);
    expect(shared.res.headers.get("x-robots-tag")).toContain("noindex");
    expect(shared.json.resource_type).toBe("benchmark_run");
    const view = shared.json.view;
    expect(view.prompt).toBe(SHARED_PROMPT);
    expect(view.results.length).toBe(3);
    expect(view.results.some((r: any) => r.success && r.provider_key === owner.providerKey)).toBe(true);
    const down = view.results.find((r: any) => r.provider_key === "cred_down");
    expect(down).toMatchObject({ success: false, error_class: "connection", error_host: null });
    expect(down.error_hint).toMatch(/is the server up/i);
    expect(down.error_hint).not.toContain("127.0.0.1:9");
    expect(view.aggregates.length).toBeGreaterThan(0);
    expect(view.config.provider_params).toEqual({ top_p: 0.9 }); // the passthrough kwargs are not shown

    // The secret scan over the public response (the canary scan checks every response of this file as well).
    const text = shared.text;
    for (const needle of [
      CANARY.USER_KEY,
      URL_USER,
      URL_PASSWORD,
      URL_QUERY_SECRET,
      owner.account.email,
      owner.account.user.id,
      otherRunId,
      owner.ids.benchRun,
      OTHER_PROMPT,
      benchRunId, // not even the shared run's own id
      "raw_request",
      "api_base",
      "authorization",
    ]) {
      expect(text.toLowerCase(), needle).not.toContain(needle.toLowerCase());
    }
    for (const r of view.results) expect(r.error_host).toBeNull();

    const list = await ok(call("/api/shares", { token }));
    const listed = list.shares.find((s: any) => s.id === created.id);
    expect(listed).toMatchObject({ kind: "link", url: null, expired: false, open_count: 1 });
    expect(listed.title).toMatch(/^Benchmark · 3 models · /);
    expect(JSON.stringify(list)).not.toContain(created.token); // the link is shown once

    const opens = await auditRows("share_open", created.id);
    expect(opens).toHaveLength(1);
    expect(opens[0]).toMatchObject({ user_id: null, resource_type: "benchmark_run", resource_id: benchRunId });
    expect(JSON.parse(opens[0]!.detail)).toMatchObject({ via: "link", owner_id: owner.account.user.id });
    expect(await auditRows("share_create", created.id)).toEqual([
      expect.objectContaining({ user_id: owner.account.user.id, resource_type: "benchmark_run", resource_id: benchRunId }),
    ]);
  });

  it("a tool-eval run: results and scores, never the raw exchange or the provider's host", async () => {
    const created = await ok(
      call("/api/shares", { token: owner.account.token, body: { resource_type: "tool_eval_run", resource_id: evalRunId } }),
      201,
    );
    const shared = await call(`/api/shared/${created.token}`);
    expect(shared.status, shared.text).toBe(200);
    const view = shared.json.view;
    expect(view.suite_name).toBe("Fixture suite");
    expect(view.results.length).toBe(6); // 2 cases × 3 models
    expect(view.summary.length).toBe(3);
    expect(view.config).toMatchObject({ tool_count: 1, case_count: 2, suite_system_prompt: "Use the tools." });
    for (const r of view.results) {
      expect(r).not.toHaveProperty("raw_request");
      expect(r).not.toHaveProperty("raw_response");
      expect(r.error_host).toBeNull();
    }
    for (const needle of [CANARY.USER_KEY, URL_PASSWORD, URL_QUERY_SECRET, URL_USER, owner.account.email, evalRunId, otherRunId]) {
      expect(shared.text, needle).not.toContain(needle);
    }
  });

  it("revoked, expired and unknown links are the same 404", async () => {
    const token = owner.account.token;
    const unknown = await call(`/api/shared/${"A".repeat(43)}`);
    expectEnvelope(unknown, 404, "not_found");

    const a = await ok(call("/api/shares", { token, body: { resource_type: "benchmark_run", resource_id: benchRunId } }), 201);
    expect((await call(`/api/shared/${a.token}`)).status).toBe(200);
    await ok(call(`/api/shares/${a.id}`, { method: "DELETE", token }));
    const revoked = await call(`/api/shared/${a.token}`);
    expectEnvelope(revoked, 404, "not_found");
    expect(revoked.json.error).toBe(unknown.json.error);
    expectEnvelope(await call(`/api/shares/${a.id}`, { method: "DELETE", token }), 404, "not_found");
    expect(await auditRows("share_revoke", a.id)).toEqual([expect.objectContaining({ user_id: owner.account.user.id, resource_id: benchRunId })]);
    expect((await ok(call("/api/shares", { token }))).shares.some((s: any) => s.id === a.id)).toBe(false);

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const b = await ok(call("/api/shares", { token, body: { resource_type: "benchmark_run", resource_id: benchRunId, expires_at: tomorrow } }), 201);
    expect(b.expires_at).toBe(tomorrow);
    expect((await call(`/api/shared/${b.token}`)).status).toBe(200);
    // Time passes: the expiry is now behind us.
    await env.DB.prepare("UPDATE shares SET expires_at = ? WHERE id = ?")
      .bind(new Date(Date.now() - 1000).toISOString(), b.id)
      .run();
    const expired = await call(`/api/shared/${b.token}`);
    expectEnvelope(expired, 404, "not_found");
    expect(expired.json.error).toBe(unknown.json.error);
    expect((await ok(call("/api/shares", { token }))).shares.find((s: any) => s.id === b.id)).toMatchObject({ expired: true });

    const past = await call("/api/shares", {
      token,
      body: { resource_type: "benchmark_run", resource_id: benchRunId, expires_at: new Date(Date.now() - 60_000).toISOString() },
    });
    expectEnvelope(past, 400);
    expect(past.json.details?.[0]?.path).toBe("expires_at");
  });

  it("a deleted run's share shows nothing", async () => {
    const token = owner.account.token;
    const other = await ok(
      call("/api/benchmark", {
        token,
        body: { targets: [{ provider_key: owner.providerKey, model_id: FIXTURE_MODEL }], runs: 1, warmup: false, max_tokens: 4 },
      }),
    );
    await waitForJob(token, other.job_id);
    const s = await ok(call("/api/shares", { token, body: { resource_type: "benchmark_run", resource_id: other.run_id } }), 201);
    await ok(call(`/api/history/${other.run_id}`, { method: "DELETE", token }));
    expectEnvelope(await call(`/api/shared/${s.token}`), 404, "not_found");
    expect((await ok(call("/api/shares", { token }))).shares.find((x: any) => x.id === s.id)).toMatchObject({ title: null });
  });
});

describe("leaderboards and experiment timelines", () => {
  it("a leaderboard view: the owner's per-model figures, live, with no run ids, keys or URLs", async () => {
    const token = owner.account.token;
    const speed = await ok(call("/api/shares", { token, body: { resource_type: "leaderboard", resource_id: "benchmark:all" } }), 201);
    expect(speed.title).toBe("Speed leaderboard · all time");
    const shared = await call(`/api/shared/${speed.token}`);
    expect(shared.status, shared.text).toBe(200);
    expect(shared.json).toMatchObject({ resource_type: "leaderboard", view: { type: "benchmark", period: "all", suite_name: null } });
    const mine = (await ok(call("/api/analytics/leaderboard?type=benchmark&period=all", { token }))).rows;
    expect(shared.json.view.rows.map((r: any) => [r.provider_key, r.model_id, r.n])).toEqual(mine.map((r: any) => [r.provider_key, r.model_id, r.n]));
    expect(shared.json.view.rows.some((r: any) => r.provider_key === owner.providerKey && r.n > 0)).toBe(true);

    const evals = await ok(
      call("/api/shares", { token, body: { resource_type: "leaderboard", resource_id: `tool_eval:30d:${owner.ids.suite}` } }),
      201,
    );
    expect(evals.title).toBe("Tool-eval leaderboard · Fixture suite · last 30 days");
    const evalView = await call(`/api/shared/${evals.token}`);
    expect(evalView.json.view).toMatchObject({ type: "tool_eval", period: "30d", suite_name: "Fixture suite" });
    expect(evalView.json.view.rows.length).toBeGreaterThan(0);

    for (const text of [shared.text, evalView.text]) {
      for (const needle of [
        CANARY.USER_KEY,
        URL_USER,
        URL_PASSWORD,
        URL_QUERY_SECRET,
        owner.account.email,
        benchRunId,
        evalRunId,
        otherRunId,
        owner.ids.suite,
      ]) {
        expect(text, needle).not.toContain(needle);
      }
    }

    // A malformed view name is a 400 naming the field; someone else's suite is not found.
    for (const id of ["benchmark", "benchmark:1y", "benchmark:all:abc", `tool_eval:all:${owner.ids.suite}:x`]) {
      const bad = await call("/api/shares", { token, body: { resource_type: "leaderboard", resource_id: id } });
      expectEnvelope(bad, 400);
      expect(bad.json.details?.[0]?.path).toBe("resource_id");
    }
    const intruder = await signUp();
    expectEnvelope(
      await call("/api/shares", { token: intruder.token, body: { resource_type: "leaderboard", resource_id: `tool_eval:all:${owner.ids.suite}` } }),
      404,
      "not_found",
    );
    // Another account's leaderboard share shows its own (empty) figures, never the owner's.
    const theirs = await ok(
      call("/api/shares", { token: intruder.token, body: { resource_type: "leaderboard", resource_id: "benchmark:all" } }),
      201,
    );
    expect((await call(`/api/shared/${theirs.token}`)).json.view.rows).toEqual([]);
  });

  it("an experiment timeline: scores, deltas and configs without run ids or free-form parameters", async () => {
    const token = owner.account.token;
    const created = await ok(
      call("/api/experiments", { token, body: { name: "Shared experiment", suite_id: owner.ids.suite, baseline_eval_id: evalRunId } }),
      201,
    );
    const exp = created.experiment_id;
    const linked = await ok(
      call("/api/tool-eval", {
        token,
        body: {
          suite_id: owner.ids.suite,
          targets: [{ provider_key: owner.providerKey, model_id: FIXTURE_MODEL }],
          max_tokens: 64,
          experiment_id: exp,
          provider_params: { top_p: 0.8, passthrough: { x_secret: URL_QUERY_SECRET } },
        },
      }),
    );
    await waitForJob(token, linked.job_id);
    const own = await ok(call(`/api/experiments/${exp}/timeline`, { token }));
    expect(JSON.stringify(own)).toContain(URL_QUERY_SECRET); // the owner's own view shows the kwargs; the share must not

    const s = await ok(call("/api/shares", { token, body: { resource_type: "experiment", resource_id: exp } }), 201);
    expect(s.title).toBe("Experiment · Shared experiment");
    const shared = await call(`/api/shared/${s.token}`);
    expect(shared.status, shared.text).toBe(200);
    const view = shared.json.view;
    expect(view).toMatchObject({ name: "Shared experiment", suite_name: "Fixture suite" });
    expect(view.baseline_score).toBe(own.baseline.score);
    expect(view.entries.length).toBe(own.entries.length);
    const entry = view.entries.find((e: any) => !e.is_baseline);
    expect(entry.config_summary).toContain("top_p=0.8");
    expect(entry).not.toHaveProperty("id");
    for (const needle of [
      CANARY.USER_KEY,
      URL_QUERY_SECRET,
      URL_PASSWORD,
      owner.account.email,
      exp,
      evalRunId,
      linked.eval_id,
      owner.ids.suite,
      otherRunId,
    ]) {
      expect(shared.text, needle).not.toContain(needle);
    }
    const intruder = await signUp();
    expectEnvelope(await call("/api/shares", { token: intruder.token, body: { resource_type: "experiment", resource_id: exp } }), 404, "not_found");
  });
});

describe("owner scoping and validation", () => {
  it("only the owner's own runs can be shared, listed and revoked", async () => {
    const intruder = await signUp();
    for (const [type, id] of [
      ["benchmark_run", benchRunId],
      ["tool_eval_run", evalRunId],
      ["tool_eval_run", benchRunId], // the right id under the wrong type is not found either
    ]) {
      expectEnvelope(await call("/api/shares", { token: intruder.token, body: { resource_type: type, resource_id: id } }), 404, "not_found");
    }
    const mine = await ok(
      call("/api/shares", { token: owner.account.token, body: { resource_type: "benchmark_run", resource_id: benchRunId } }),
      201,
    );
    expect((await ok(call("/api/shares", { token: intruder.token }))).shares).toEqual([]);
    expectEnvelope(await call(`/api/shares/${mine.id}`, { method: "DELETE", token: intruder.token }), 404, "not_found");
    expectEnvelope(await call(`/api/shares/${mine.id}/view`, { token: intruder.token }), 404, "not_found");
    expect((await call(`/api/shared/${mine.token}`)).status).toBe(200); // untouched
    expect((await call(`/api/shares/${mine.id}/view`, { token: owner.account.token })).status).toBe(200); // the owner previews

    expectEnvelope(await call("/api/shares", { body: { resource_type: "benchmark_run", resource_id: benchRunId } }), 401);
    for (const body of [
      { resource_type: "judge_report", resource_id: benchRunId },
      { resource_type: "benchmark_run" },
      { resource_type: "benchmark_run", resource_id: benchRunId, expires_at: "tomorrow" },
      { resource_type: "benchmark_run", resource_id: benchRunId, user_emails: [] },
      { resource_type: "benchmark_run", resource_id: benchRunId, user_emails: ["not an email"] },
      { resource_type: "benchmark_run", resource_id: benchRunId, extra: 1 },
    ]) {
      expectEnvelope(await call("/api/shares", { token: owner.account.token, body }), 400);
    }
  });
});

describe("sharing with named accounts", () => {
  it("recipients see it under Shared with me and open it signed in; nobody else can", async () => {
    const token = owner.account.token;
    const recipient = await signUp();
    const outsider = await signUp();

    const unknown = await call("/api/shares", {
      token,
      body: { resource_type: "tool_eval_run", resource_id: evalRunId, user_emails: [recipient.email, "nobody-here@example.com"] },
    });
    expectEnvelope(unknown, 400);
    expect(unknown.json.details).toEqual([{ path: "user_emails.1", message: expect.stringContaining("nobody-here@example.com") }]);
    const self = await call("/api/shares", {
      token,
      body: { resource_type: "tool_eval_run", resource_id: evalRunId, user_emails: [owner.account.email] },
    });
    expectEnvelope(self, 400);

    const s = await ok(
      call("/api/shares", { token, body: { resource_type: "tool_eval_run", resource_id: evalRunId, user_emails: [recipient.email.toUpperCase()] } }),
      201,
    );
    expect(s).toMatchObject({ kind: "accounts", token: null, recipients: [recipient.email], url: `https://bench.test/shared/?share=${s.id}` });

    const received = await ok(call("/api/shares/received", { token: recipient.token }));
    expect(received.shares).toEqual([expect.objectContaining({ id: s.id, resource_type: "tool_eval_run", shared_by: owner.account.email })]);
    expect((await ok(call("/api/shares/received", { token: outsider.token }))).shares).toEqual([]);

    const opened = await call(`/api/shares/${s.id}/view`, { token: recipient.token });
    expect(opened.status, opened.text).toBe(200);
    expect(opened.json.view.results.length).toBe(6);
    expect(opened.text).not.toContain(owner.account.email);
    const opens = await auditRows("share_open", s.id);
    expect(opens).toEqual([expect.objectContaining({ user_id: recipient.user.id, resource_id: evalRunId })]);
    expect(JSON.parse(opens[0]!.detail)).toMatchObject({ via: "account" });

    expectEnvelope(await call(`/api/shares/${s.id}/view`, { token: outsider.token }), 404, "not_found");
    expectEnvelope(await call(`/api/shares/${s.id}/view`), 401);
    expectEnvelope(await call(`/api/shares/${s.id}`, { method: "DELETE", token: recipient.token }), 404, "not_found");

    await ok(call(`/api/shares/${s.id}`, { method: "DELETE", token }));
    expectEnvelope(await call(`/api/shares/${s.id}/view`, { token: recipient.token }), 404, "not_found");
    expect((await ok(call("/api/shares/received", { token: recipient.token }))).shares).toEqual([]);
  });
});

describe("the public text and parameter filters", () => {
  it("strip URL credentials and query strings, key-shaped tokens and free-form kwargs", () => {
    const text = publicText(
      `connect failed: https://${URL_USER}:${URL_PASSWORD}@models.example:8443/v1/chat?api_key=${URL_QUERY_SECRET}&x=1 (sk-proj-abcdefghijklmnop)`,
    );
    expect(text).toBe("connect failed: https://models.example:8443/v1/chat (sk-proj-***)");
    expect(
      publicProviderParams({ top_p: 0.5, seed: 3, stop: ["a"], passthrough: { extra_headers: { Authorization: "x" } }, extra_headers: "y" }),
    ).toEqual({
      top_p: 0.5,
      seed: 3,
      stop: ["a"],
    });
    const adjusted = publicParamAdjustments([
      {
        model_id: "m",
        provider: "P",
        provider_key: "p",
        adjustments: [
          { param: "temperature", original: 3, adjusted: 2, action: "clamp", reason: "max 2" },
          { param: "x_api_key", original: URL_QUERY_SECRET, adjusted: URL_QUERY_SECRET, action: "passthrough", reason: "sent as is" },
        ],
      },
    ]);
    expect(adjusted[0]!.adjustments).toEqual([
      { param: "temperature", original: 3, adjusted: 2, action: "clamp", reason: "max 2" },
      { param: "x_api_key", original: null, adjusted: null, action: "passthrough", reason: "sent as is" },
    ]);
  });
});
