/**
 * The simulator's tool-caller models as an account sees them: in the built-in Local simulator (new accounts at
 * sign-up, existing ones through migration 0005), priced, and scoring the app's example suite over real HTTP the way
 * their documented profiles say (src/simulator/README.md).
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SIMULATOR_CAPACITY_MODELS, SIMULATOR_MODELS, SIMULATOR_TOOL_CALLER_MODELS } from "../../src/shared/catalogue.ts";
import { builtInPrice } from "../../src/shared/pricing.ts";
import { call, signUp } from "./helpers.ts";
import { openSocket, waitForJobEvent as waitFor } from "./sockets.ts";

const CALLERS = SIMULATOR_TOOL_CALLER_MODELS.map((m) => m.model_id);

async function simulatorOf(token: string) {
  const providers = (await call("/api/v2/providers", { token })).json.providers;
  return providers.find((p: any) => p.provider_key === "local_simulator");
}

async function simulatorModelIds(token: string): Promise<string[]> {
  const cfg = await call("/api/config", { token });
  const sim = cfg.json.providers.find((p: any) => p.provider_key === "local_simulator");
  return sim.models.map((m: any) => m.model_id);
}

describe("the simulator's tool-callers in an account", () => {
  it("are in a new account's Local simulator after the speed models, each with a price", async () => {
    const u = await signUp();
    expect(CALLERS).toEqual(["sim-careful", "sim-sloppy", "sim-eager", "sim-tunable"]);
    expect(await simulatorModelIds(u.token)).toEqual(SIMULATOR_MODELS.map((m) => m.model_id));
    for (const id of CALLERS) expect(builtInPrice(id).inputPerMtok, id).not.toBeNull();
  });

  it("join an existing account's Local simulator through the migration, once, after the models it has", async () => {
    const u = await signUp();
    // An account from before the tool-callers: its simulator lacks them, and has one model of its own added.
    const sim = await simulatorOf(u.token);
    await env.DB.prepare(`DELETE FROM models WHERE provider_id = ? AND model_id LIKE 'sim-%' AND model_id NOT LIKE 'sim-ttft%'`).bind(sim.id).run();
    await call(`/api/v2/providers/${sim.id}/models`, { token: u.token, body: { model_id: "sim-ttft5-tagmine" } });
    const before = await simulatorModelIds(u.token);
    expect(before.some((id) => CALLERS.includes(id))).toBe(false);

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0005_"));
    if (!migration) throw new Error("migration 0005 is missing");
    for (let i = 0; i < 2; i++) for (const q of migration.queries) await env.DB.prepare(q).run();

    expect(await simulatorModelIds(u.token)).toEqual([...before, ...CALLERS]);
    const openai = (await call("/api/v2/providers", { token: u.token })).json.providers.find((p: any) => p.provider_key === "openai");
    const { results } = await env.DB.prepare("SELECT model_id FROM models WHERE provider_id = ? AND model_id LIKE 'sim-%'").bind(openai.id).all();
    expect(results).toEqual([]);
  });

  it("the capacity probe's simulated server joins an existing account's Local simulator through migration 0018, once", async () => {
    const u = await signUp();
    const capacityModel = SIMULATOR_CAPACITY_MODELS[0]!.model_id;
    const sim = await simulatorOf(u.token);
    await env.DB.prepare("DELETE FROM models WHERE provider_id = ? AND model_id = ?").bind(sim.id, capacityModel).run();
    const before = await simulatorModelIds(u.token);
    expect(before).not.toContain(capacityModel);

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0018_"));
    if (!migration) throw new Error("migration 0018 is missing");
    for (let i = 0; i < 2; i++) for (const q of migration.queries) await env.DB.prepare(q).run();
    expect(await simulatorModelIds(u.token)).toEqual([...before, capacityModel]);
    expect(builtInPrice(capacityModel).inputPerMtok).not.toBeNull();
  });

  it("score the example suite as documented: careful gets all three, sloppy drops an optional unit, eager calls on the joke", async () => {
    const u = await signUp();
    const example = (await call("/api/tool-eval/import/example", { token: u.token })).json;
    const imported = await call("/api/tool-eval/import", { token: u.token, body: example });
    expect(imported.status, imported.text).toBe(201);
    const s = await openSocket(u.token);
    const targets = ["sim-careful", "sim-sloppy", "sim-eager"].map((model_id) => ({ provider_key: "local_simulator", model_id }));
    const submit = await call("/api/tool-eval", { token: u.token, body: { suite_id: imported.json.suite_id, targets } });
    expect(submit.status, submit.text).toBe(200);
    expect(submit.json.tool_choice).toBe("auto"); // the suite has a no-call case
    await waitFor(s, "job_completed", submit.json.job_id);
    s.ws.close(1000);

    const run = (await call(`/api/tool-eval/history/${submit.json.eval_id}`, { token: u.token })).json;
    const passed = (model: string) =>
      run.results
        .filter((r: any) => r.model_id === model)
        .map((r: any) => [r.prompt, r.passed])
        .sort();
    expect(passed("sim-careful")).toEqual([
      ["How warm is it in Tokyo in fahrenheit?", true],
      ["Tell me a joke about clouds.", true],
      ["What's the weather in Paris?", true],
    ]);
    expect(passed("sim-sloppy")).toEqual([
      ["How warm is it in Tokyo in fahrenheit?", false],
      ["Tell me a joke about clouds.", true],
      ["What's the weather in Paris?", true],
    ]);
    const joke = run.results.find((r: any) => r.model_id === "sim-eager" && r.prompt.startsWith("Tell me a joke"));
    expect(joke).toMatchObject({ passed: false, actual_tool: "get_weather" });
  });
});
