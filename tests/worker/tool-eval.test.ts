/** Tool-calling evaluation end to end: API → hub → queue → consumer → simulator scripts → scorer → D1 → sockets. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectEnvelope, signUp } from "./helpers.ts";
import { openSocket, waitForJobEvent as waitFor } from "./sockets.ts";

const TOOLS = [
  {
    type: "function",
    function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
  },
  {
    type: "function",
    function: {
      name: "set_light",
      parameters: { type: "object", properties: { room: { type: "string" }, on: { type: "boolean" } }, required: ["room", "on"] },
    },
  },
];

async function script(replies: unknown[]) {
  const id = `e${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await fetch(`${env.SIMULATOR_BASE_URL}/__sim/scripts`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id, replies }),
  });
  return id;
}

describe("tool-calling evaluation", () => {
  it("scores right, wrong, abstaining, parallel and multi-turn cases live, and stores every part", async () => {
    const u = await signUp();
    const suiteId = (
      await call("/api/tool-suites", { token: u.token, body: { name: "Home", tools: TOOLS, system_prompt: "You control a smart home." } })
    ).json.suite_id;
    const cases = await call(`/api/tool-suites/${suiteId}/cases`, {
      token: u.token,
      body: {
        cases: [
          { prompt: "Weather in Paris?", expected_tool: "get_weather", expected_params: { city: "paris" }, category: "simple" },
          { prompt: "Turn on the hall light", expected_tool: "set_light", expected_params: { room: "hall", on: true }, category: "simple" },
          { prompt: "Switch off the bedroom light", expected_tool: "set_light", expected_params: { room: "bedroom", on: false }, category: "args" },
          { prompt: "Weather in Lima?", expected_tool: "get_weather", expected_params: { city: "Lima" }, category: "no_call" },
          { prompt: "Tell me a joke", expected_tool: null, category: "irrelevance" },
          {
            prompt: "Oslo and Rome weather",
            expected_tool: "get_weather",
            expected_params: [{ city: "Oslo" }, { city: "Rome" }],
            category: "parallel",
          },
          {
            prompt: "If it is cold in Bergen, turn on the kitchen light",
            expected_tool: "set_light",
            expected_params: { room: "kitchen", on: true },
            multi_turn: true,
            max_rounds: 4,
            optimal_hops: 2,
            valid_prerequisites: ["get_weather"],
            mock_responses: { get_weather: { temp_c: 2 } },
            category: "multi_turn",
          },
        ],
      },
    });
    expect(cases.status, cases.text).toBe(201);
    const id = await script([
      { tool_calls: [{ name: "get_weather", arguments: { city: "Paris" } }] },
      { tool_calls: [{ name: "get_weather", arguments: { city: "Hall" } }] },
      { tool_calls: [{ name: "set_light", arguments: { room: "bedroom", on: true } }] },
      { content: "It is probably sunny in Lima." },
      { content: "Why did the robot cross the road?" },
      {
        tool_calls: [
          { name: "get_weather", arguments: { city: "Rome" } },
          { name: "get_weather", arguments: { city: "Oslo" } },
        ],
      },
      { tool_calls: [{ name: "get_weather", arguments: { city: "Bergen" } }] },
      { tool_calls: [{ name: "set_light", arguments: { room: "kitchen", on: true } }] },
      { content: "Done." },
    ]);
    const model = `sim-ttft5-tps2000-script${id}`;
    const providers = (await call("/api/v2/providers", { token: u.token })).json.providers;
    const sim = providers.find((p: any) => p.provider_key === "local_simulator");
    await call(`/api/v2/providers/${sim.id}/models`, { token: u.token, body: { model_id: model } });
    const s = await openSocket(u.token);
    const submit = await call("/api/tool-eval", {
      token: u.token,
      body: { suite_id: suiteId, targets: [{ provider_key: "local_simulator", model_id: model }], tool_choice: "auto" },
    });
    expect(submit.status, submit.text).toBe(200);
    await waitFor(s, "tool_eval_init", submit.json.job_id);
    await waitFor(s, "job_completed", submit.json.job_id);
    const live = s.messages.filter((m) => m.type === "tool_eval_result" && m.job_id === submit.json.job_id);
    expect(live).toHaveLength(7);

    const run = (await call(`/api/tool-eval/history/${submit.json.eval_id}`, { token: u.token })).json;
    expect(run.status).toBe("completed");
    const byPrompt = Object.fromEntries(run.results.map((r: any) => [r.prompt, r]));
    expect(byPrompt["Weather in Paris?"]).toMatchObject({ passed: true, overall_score: 1, actual_tool: "get_weather" });
    expect(byPrompt["Turn on the hall light"]).toMatchObject({ passed: false, tool_selection_score: 0 });
    // Right tool, one argument wrong: tool credit, half the argument credit, classified as argument hallucination.
    expect(byPrompt["Switch off the bedroom light"]).toMatchObject({
      passed: false,
      tool_selection_score: 1,
      param_accuracy: 0.5,
      error_type: "argument_hallucination",
    });
    expect(byPrompt["Weather in Lima?"]).toMatchObject({ passed: false, tool_selection_score: 0, actual_tool: null, error_type: "missing_call" });
    expect(byPrompt["Tell me a joke"]).toMatchObject({ passed: true, irrelevance_score: 1 });
    expect(byPrompt["Oslo and Rome weather"].passed).toBe(true); // parallel calls, order-independent
    const multi = byPrompt["If it is cold in Bergen, turn on the kitchen light"];
    expect(multi).toMatchObject({ rounds: 3, actual_tool: "set_light", actual_params: { room: "kitchen", on: true } }); // the chain's last call, not the closing text
    expect(multi.actual_chain.map((c: any) => c.name)).toEqual(["get_weather", "set_light"]);
    // The raw exchange covers every round: the last request carries the mock tool result; all three responses are kept.
    expect(multi.raw_response.rounds).toHaveLength(3);
    expect(multi.raw_request.messages.some((m: any) => m.role === "tool" && String(m.content).includes("temp_c"))).toBe(true);
    expect(byPrompt["Weather in Paris?"].actual_chain).toBeNull();
    expect(live.find((m) => m.data.prompt === "Tell me a joke")?.data).toMatchObject({ should_call_tool: false, passed: true });
    expect(byPrompt["Weather in Paris?"].raw_request.messages[0]).toMatchObject({ role: "system", content: "You control a smart home." });
    expect(JSON.stringify(run.results)).not.toContain("not-needed"); // no key in the stored exchange
    const summary = run.summary[0];
    expect(summary).toMatchObject({ cases: 7, cases_run: 7, irrelevance_cases: 1, irrelevance_pct: 100 });
    expect(summary.category_breakdown.simple).toMatchObject({ cases: 2, passed: 1 });
    expect(summary.latency_p50_ms).toBeGreaterThan(0);

    const list = await call("/api/tool-eval/history", { token: u.token });
    expect(list.json.runs[0].id).toBe(submit.json.eval_id);
    const exported = await call(`/api/export/eval/${submit.json.eval_id}`, { token: u.token });
    expect(exported.res.headers.get("content-disposition")).toContain("eval-");
    expect(exported.json.results).toHaveLength(7);
    s.ws.close(1000);
  });

  it("defaults tool choice to what the suite needs: auto when a case expects no call, else required", async () => {
    const u = await signUp();
    const mixed = (await call("/api/tool-suites", { token: u.token, body: { name: "Mixed", tools: TOOLS } })).json.suite_id;
    const callsOnly = (await call("/api/tool-suites", { token: u.token, body: { name: "Calls only", tools: TOOLS } })).json.suite_id;
    await call(`/api/tool-suites/${mixed}/cases`, {
      token: u.token,
      body: {
        cases: [
          { prompt: "Weather in Oslo?", expected_tool: "get_weather" },
          { prompt: "Tell me a joke", expected_tool: null },
        ],
      },
    });
    await call(`/api/tool-suites/${callsOnly}/cases`, {
      token: u.token,
      body: { cases: [{ prompt: "Weather in Oslo?", expected_tool: "get_weather" }] },
    });
    const listed = (await call("/api/tool-suites", { token: u.token })).json.suites;
    expect(listed.find((x: any) => x.id === mixed).no_call_case_count).toBe(1);
    expect(listed.find((x: any) => x.id === callsOnly).no_call_case_count).toBe(0);
    expect((await call(`/api/tool-suites/${mixed}`, { token: u.token })).json.no_call_case_count).toBe(1);

    const s = await openSocket(u.token);
    const target = [{ provider_key: "local_simulator", model_id: "sim-ttft5-tps2000-tagdefaultchoice" }];
    const sim = (await call("/api/v2/providers", { token: u.token })).json.providers.find((p: any) => p.provider_key === "local_simulator");
    await call(`/api/v2/providers/${sim.id}/models`, { token: u.token, body: { model_id: target[0]!.model_id } });
    for (const [suiteId, expected] of [
      [mixed, "auto"],
      [callsOnly, "required"],
    ] as const) {
      const submit = await call("/api/tool-eval", { token: u.token, body: { suite_id: suiteId, targets: target } });
      expect(submit.status, submit.text).toBe(200);
      expect(submit.json.tool_choice).toBe(expected);
      await waitFor(s, "job_completed", submit.json.job_id);
      const run = (await call(`/api/tool-eval/history/${submit.json.eval_id}`, { token: u.token })).json;
      expect(run.tool_choice).toBe(expected);
    }
    s.ws.close(1000);
  });

  it("finishes an eval whose cases and model are deleted mid-run, keeping the rows", async () => {
    // Was: the FOREIGN KEY on the deleted case/model failed every insert; the message was dead-lettered.
    const u = await signUp();
    const suiteId = (await call("/api/tool-suites", { token: u.token, body: { name: "Vanishing", tools: TOOLS } })).json.suite_id;
    const prompts = ["Weather in Oslo?", "Weather in Rome?", "Weather in Lima?"];
    await call(`/api/tool-suites/${suiteId}/cases`, {
      token: u.token,
      body: { cases: prompts.map((prompt) => ({ prompt, expected_tool: "get_weather" })) },
    });
    const modelId = "sim-ttft300-tps400-tagevalgone";
    const sim = (await call("/api/v2/providers", { token: u.token })).json.providers.find((p: any) => p.provider_key === "local_simulator");
    const model = (await call(`/api/v2/providers/${sim.id}/models`, { token: u.token, body: { model_id: modelId } })).json.model;
    const s = await openSocket(u.token);
    const submit = await call("/api/tool-eval", {
      token: u.token,
      body: { suite_id: suiteId, targets: [{ provider_key: "local_simulator", model_id: modelId }] },
    });
    expect(submit.status, submit.text).toBe(200);
    await waitFor(s, "tool_eval_result", submit.json.job_id);
    expect((await call(`/api/tool-suites/${suiteId}`, { method: "DELETE", token: u.token })).status).toBe(200);
    expect((await call(`/api/v2/models/${model.id}`, { method: "DELETE", token: u.token })).status).toBe(200);
    await waitFor(s, "job_completed", submit.json.job_id);
    const run = (await call(`/api/tool-eval/history/${submit.json.eval_id}`, { token: u.token })).json;
    expect(run.results).toHaveLength(prompts.length);
    expect(run.results.every((r: any) => r.model_id === modelId)).toBe(true);
    s.ws.close(1000);
  });

  it("cancels a running eval: the stream stops, finished cases are kept, the run reads cancelled", async () => {
    const u = await signUp();
    const suiteId = (await call("/api/tool-suites", { token: u.token, body: { name: "Slow", tools: TOOLS } })).json.suite_id;
    const prompts = ["Weather in Oslo?", "Weather in Rome?", "Weather in Lima?", "Weather in Kyiv?"];
    await call(`/api/tool-suites/${suiteId}/cases`, {
      token: u.token,
      body: { cases: prompts.map((prompt) => ({ prompt, expected_tool: "get_weather" })) },
    });
    const model = "sim-ttft600-tps50-tagevalcancel";
    const providers = (await call("/api/v2/providers", { token: u.token })).json.providers;
    const sim = providers.find((p: any) => p.provider_key === "local_simulator");
    await call(`/api/v2/providers/${sim.id}/models`, { token: u.token, body: { model_id: model } });
    const s = await openSocket(u.token);
    const submit = await call("/api/tool-eval", {
      token: u.token,
      body: { suite_id: suiteId, targets: [{ provider_key: "local_simulator", model_id: model }] },
    });
    expect(submit.status, submit.text).toBe(200);
    await waitFor(s, "tool_eval_result", submit.json.job_id);
    const cancel = await call("/api/tool-eval/cancel", { token: u.token, body: { job_id: submit.json.job_id } });
    expect(cancel.json).toEqual({ status: "ok", job_id: submit.json.job_id });
    await waitFor(s, "job_cancelled", submit.json.job_id);
    const run = (await call(`/api/tool-eval/history/${submit.json.eval_id}`, { token: u.token })).json;
    expect(run.status).toBe("cancelled");
    expect(run.results.length).toBeGreaterThanOrEqual(1);
    expect(run.results.length).toBeLessThan(prompts.length);
    // Nothing else arrives for a cancelled job.
    const seen = s.messages.filter((m) => m.type === "tool_eval_result" && m.job_id === submit.json.job_id).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(s.messages.filter((m) => m.type === "tool_eval_result" && m.job_id === submit.json.job_id).length).toBe(seen);
    expectEnvelope(await call("/api/tool-eval/cancel", { token: u.token, body: { job_id: "no-such-job" } }), 404);
    s.ws.close(1000);
  });

  it("runs, shows and bulk-deletes more cases than D1 binds parameters in one query", async () => {
    const u = await signUp();
    const suiteId = (await call("/api/tool-suites", { token: u.token, body: { name: "Big", tools: TOOLS } })).json.suite_id;
    const cases = Array.from({ length: 120 }, (_, i) => ({ prompt: `Weather in city ${i}?`, expected_tool: "get_weather" }));
    expect((await call(`/api/tool-suites/${suiteId}/cases`, { token: u.token, body: { cases } })).status).toBe(201);
    const model = "sim-ttft1-tps5000-tagbig";
    const providers = (await call("/api/v2/providers", { token: u.token })).json.providers;
    const sim = providers.find((p: any) => p.provider_key === "local_simulator");
    await call(`/api/v2/providers/${sim.id}/models`, { token: u.token, body: { model_id: model } });
    const submit = await call("/api/tool-eval", {
      token: u.token,
      body: { suite_id: suiteId, targets: [{ provider_key: "local_simulator", model_id: model }] },
    });
    expect(submit.status, submit.text).toBe(200);
    for (let i = 0; i < 400; i++) {
      const job = (await call(`/api/jobs/${submit.json.job_id}`, { token: u.token })).json;
      if (!["pending", "queued", "running"].includes(job.status)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const run = await call(`/api/tool-eval/history/${submit.json.eval_id}`, { token: u.token });
    expect(run.status, run.text).toBe(200);
    expect(run.json.status).toBe("completed");
    expect(run.json.results).toHaveLength(120);
    expect(run.json.results.every((r: any) => r.prompt.startsWith("Weather in city"))).toBe(true); // every case found
    const ids = (await call(`/api/tool-suites/${suiteId}/cases`, { token: u.token })).json.cases.map((c: any) => c.id);
    const removed = await call(`/api/tool-suites/${suiteId}/cases/bulk-delete`, { token: u.token, body: { case_ids: ids } });
    expect(removed.json).toEqual({ status: "ok", deleted: 120 });
  });

  it("records provider errors per case and refuses bad submissions", async () => {
    const u = await signUp();
    const suiteId = (await call("/api/tool-suites", { token: u.token, body: { name: "E", tools: TOOLS } })).json.suite_id;
    expectEnvelope(
      await call("/api/tool-eval", { token: u.token, body: { suite_id: suiteId, models: ["sim-ttft80-tps150-len200"] } }),
      400,
      "bad_request",
    ); // no cases
    await call(`/api/tool-suites/${suiteId}/cases`, { token: u.token, body: { prompt: "hi", expected_tool: "get_weather" } });
    const providers = (await call("/api/v2/providers", { token: u.token })).json.providers;
    const sim = providers.find((p: any) => p.provider_key === "local_simulator");
    await call(`/api/v2/providers/${sim.id}/models`, { token: u.token, body: { model_id: "sim-fault500-tagevalerr" } });
    const submit = await call("/api/tool-eval", {
      token: u.token,
      body: { suite_id: suiteId, targets: [{ provider_key: "local_simulator", model_id: "sim-fault500-tagevalerr" }] },
    });
    for (let i = 0; i < 200; i++) {
      const job = (await call(`/api/jobs/${submit.json.job_id}`, { token: u.token })).json;
      if (!["pending", "queued", "running"].includes(job.status)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const run = (await call(`/api/tool-eval/history/${submit.json.eval_id}`, { token: u.token })).json;
    expect(run.results[0]).toMatchObject({ success: false, format_compliance: "FAIL", error_type: "invalid_invocation" });
    expect(run.summary[0]).toMatchObject({ cases: 1, failures: 1 });
    expectEnvelope(await call("/api/tool-eval", { token: u.token, body: { suite_id: "nope", models: ["x"] } }), 404);
  });
});
