/**
 * Out-of-range input is refused, never changed: a 400 `validation_failed` whose details name the field (and say
 * the allowed range), and nothing is stored or started. Bounds come from src/shared/request-limits.ts.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectEnvelope, signUp } from "./helpers.ts";

const MODEL = { provider_key: "local_simulator", model_id: "sim-ttft80-tps150-len200" };

function expectFieldRefused(r: { status: number; json: any }, field: string, range: RegExp) {
  expectEnvelope(r, 400, "validation_failed");
  const detail = r.json.details.find((d: any) => d.path === field);
  expect(detail, JSON.stringify(r.json.details)).toBeDefined();
  expect(detail.message).toMatch(range);
}

async function countRows(table: string, userId: string) {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE user_id = ?`).bind(userId).first<{ n: number }>();
  return row!.n;
}

describe("out-of-range values are refused with the field named, nothing stored or started", () => {
  it("benchmark submit: runs, timeout, max_tokens, temperature, context tiers", async () => {
    const u = await signUp();
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ runs: 99999 }, "runs", /whole number from 1 to 20 \(got 99999\)/],
      [{ runs: 0 }, "runs", /from 1 to 20/],
      [{ runs: 2.5 }, "runs", /whole number/],
      [{ timeout: -5 }, "timeout", /from 10 to 600 \(got -5\)/],
      [{ timeout: 100000 }, "timeout", /from 10 to 600/],
      [{ max_tokens: 99999999 }, "max_tokens", /from 1 to 128,000/],
      [{ temperature: 5 }, "temperature", /from 0 to 2/],
      [{ context_tiers: [0, -1] }, "context_tiers.1", /from 0 to 2,000,000/],
    ];
    for (const [fields, path, range] of cases) {
      expectFieldRefused(await call("/api/benchmark", { token: u.token, body: { targets: [MODEL], ...fields } }), path, range);
    }
    expect(await countRows("benchmark_runs", u.user.id)).toBe(0);
    expect((await call("/api/jobs", { token: u.token })).json.jobs).toEqual([]);
  });

  it("tool-eval submit: timeout, max_tokens, temperature", async () => {
    const u = await signUp();
    const suite = await call("/api/tool-suites", {
      token: u.token,
      body: { name: "V", tools: [{ type: "function", function: { name: "f", parameters: { type: "object", properties: {} } } }] },
    });
    await call(`/api/tool-suites/${suite.json.suite_id}/cases`, { token: u.token, body: { prompt: "hi", expected_tool: "f" } });
    const base = { suite_id: suite.json.suite_id, targets: [MODEL] };
    expectFieldRefused(await call("/api/tool-eval", { token: u.token, body: { ...base, timeout: -5 } }), "timeout", /from 10 to 600/);
    expectFieldRefused(await call("/api/tool-eval", { token: u.token, body: { ...base, max_tokens: 99999999 } }), "max_tokens", /from 16 to 32,000/);
    expectFieldRefused(await call("/api/tool-eval", { token: u.token, body: { ...base, temperature: -1 } }), "temperature", /from 0 to 2/);
    expect(await countRows("tool_eval_runs", u.user.id)).toBe(0);
    expect((await call("/api/jobs", { token: u.token })).json.jobs).toEqual([]);
  });

  it("settings: benchmark defaults and feature settings keep their saved values", async () => {
    const u = await signUp();
    const before = (await call("/api/config", { token: u.token })).json.defaults;
    expectFieldRefused(
      await call("/api/config/defaults", { method: "PUT", token: u.token, body: { max_tokens: 99999999 } }),
      "max_tokens",
      /from 1 to 128,000 \(got 99999999\)/,
    );
    expectFieldRefused(await call("/api/config/defaults", { method: "PUT", token: u.token, body: { temperature: 2.5 } }), "temperature", /0 to 2/);
    expect((await call("/api/config", { token: u.token })).json.defaults).toEqual(before);

    const judge = await call("/api/settings/phase10", { method: "PUT", token: u.token, body: { judge: { max_tokens: 99999999 } } });
    expectEnvelope(judge, 400, "validation_failed");
    expect(judge.json.details.map((d: any) => d.path)).toContain("judge.max_tokens");
    expect((await call("/api/settings/phase10", { token: u.token })).json.judge.max_tokens).toBe(4096);
  });

  it("models: token limits and prices out of range are refused on create and on update", async () => {
    const u = await signUp();
    const sim = (await call("/api/v2/providers", { token: u.token })).json.providers.find((p: any) => p.provider_key === "local_simulator");
    const create = (body: Record<string, unknown>) =>
      call(`/api/v2/providers/${sim.id}/models`, { token: u.token, body: { model_id: "sim-new", ...body } });
    expectFieldRefused(await create({ max_output_tokens: 99999999 }), "max_output_tokens", /from 1 to 1,000,000/);
    expectFieldRefused(await create({ context_window: 0 }), "context_window", /from 1 to 10,000,000/);
    expectFieldRefused(await create({ input_cost_per_mtok: -1 }), "input_cost_per_mtok", /from 0 to 100,000/);
    const models = (await call("/api/v2/models", { token: u.token })).json.models;
    expect(models.some((m: any) => m.model_id === "sim-new")).toBe(false);

    const existing = models.find((m: any) => m.provider_id === sim.id);
    const update = await call(`/api/v2/models/${existing.id}`, { method: "PUT", token: u.token, body: { context_window: 99999999999 } });
    expectFieldRefused(update, "context_window", /from 1 to 10,000,000/);
    const after = (await call("/api/v2/models", { token: u.token })).json.models.find((m: any) => m.id === existing.id);
    expect(after.context_window).toBe(existing.context_window);
  });

  it("test cases and list queries: bounds are checked, not clamped", async () => {
    const u = await signUp();
    const suite = await call("/api/tool-suites", { token: u.token, body: { name: "Q", tools: [] } });
    const r = await call(`/api/tool-suites/${suite.json.suite_id}/cases`, {
      token: u.token,
      body: { prompt: "hi", multi_turn: true, max_rounds: 99 },
    });
    expectEnvelope(r, 400, "validation_failed");
    expect(r.json.details.map((d: any) => d.path)).toContain("max_rounds");
    expect((await call(`/api/tool-suites/${suite.json.suite_id}`, { token: u.token })).json.test_cases).toEqual([]);
    for (const path of ["/api/history?limit=100000", "/api/tool-eval/history?offset=-1", "/api/jobs?limit=0"]) {
      expectEnvelope(await call(path, { token: u.token }), 400, "validation_failed");
    }
  });
});
