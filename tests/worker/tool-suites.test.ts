import { describe, expect, it } from "vitest";
import { call, expectEnvelope, signUp } from "./helpers.ts";

const WEATHER = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, units: { type: "string", enum: ["celsius", "fahrenheit"] } },
      required: ["city"],
    },
  },
};

describe("tool suites", () => {
  it("creates, reads, updates (system prompt included) and deletes a suite", async () => {
    const u = await signUp();
    const created = await call("/api/tool-suites", { token: u.token, body: { name: "Weather", tools: [WEATHER], system_prompt: "Use tools." } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.suite_id;
    const detail = await call(`/api/tool-suites/${id}`, { token: u.token });
    expect(detail.json).toMatchObject({ name: "Weather", system_prompt: "Use tools.", tool_count: 1, test_case_count: 0, tools: [WEATHER] });
    // The original silently ignored system_prompt on PUT; here it is saved.
    const put = await call(`/api/tool-suites/${id}`, {
      method: "PUT",
      token: u.token,
      body: { system_prompt: "Always call a tool.", description: "d" },
    });
    expect(put.json).toMatchObject({ system_prompt: "Always call a tool.", description: "d" });
    const patch = await call(`/api/tool-suites/${id}`, { method: "PATCH", token: u.token, body: { name: "Weather v2" } });
    expect(patch.json.name).toBe("Weather v2");
    expectEnvelope(await call(`/api/tool-suites/${id}`, { method: "PATCH", token: u.token, body: {} }), 400);
    const list = await call("/api/tool-suites", { token: u.token });
    expect(list.json.suites.map((s: any) => s.id)).toEqual([id]);
    expect((await call(`/api/tool-suites/${id}`, { method: "DELETE", token: u.token })).status).toBe(200);
    expectEnvelope(await call(`/api/tool-suites/${id}`, { token: u.token }), 404);
  });

  it("validates tools as JSON Schema and names the field that is wrong", async () => {
    const u = await signUp();
    const badRequired = {
      ...WEATHER,
      function: { ...WEATHER.function, parameters: { type: "object", properties: { city: { type: "string" } }, required: ["town"] } },
    };
    const r = await call("/api/tool-suites", { token: u.token, body: { name: "x", tools: [badRequired] } });
    expectEnvelope(r, 400, "validation_failed");
    expect(r.json.details[0].path).toBe("tools.0.function.parameters");
    expect(r.json.details[0].message).toContain('"town" is not a property');
    const badType = { ...WEATHER, function: { ...WEATHER.function, parameters: { type: "object", properties: { n: { type: "float" } } } } };
    expect((await call("/api/tool-suites", { token: u.token, body: { name: "x", tools: [badType] } })).json.details[0].message).toContain(
      "unknown type",
    );
    const dup = await call("/api/tool-suites", { token: u.token, body: { name: "x", tools: [WEATHER, WEATHER] } });
    expect(dup.json.details[0].message).toContain("Duplicate tool name");
    const badName = { type: "function", function: { name: "has space" } };
    expectEnvelope(await call("/api/tool-suites", { token: u.token, body: { name: "x", tools: [badName] } }), 400);
  });
});

describe("test cases", () => {
  it("adds single and bulk cases covering every field, updates and deletes them", async () => {
    const u = await signUp();
    const id = (await call("/api/tool-suites", { token: u.token, body: { name: "S", tools: [WEATHER] } })).json.suite_id;
    const single = await call(`/api/tool-suites/${id}/cases`, {
      token: u.token,
      body: {
        prompt: "Weather in Paris?",
        expected_tool: ["get_weather", "get_forecast"],
        expected_params: { city: "Paris" },
        param_scoring: "case_insensitive",
        category: "simple",
      },
    });
    expect(single.status, single.text).toBe(201); // lists of acceptable names work in single mode too
    const bulk = await call(`/api/tool-suites/${id}/cases`, {
      token: u.token,
      body: {
        cases: [
          { prompt: "Tell me a joke", expected_tool: null },
          { prompt: "Two cities", expected_tool: "get_weather", expected_params: [{ city: "Oslo" }, { city: "Rome" }], category: "parallel" },
          {
            prompt: "Plan",
            expected_tool: "get_weather",
            multi_turn: true,
            max_rounds: 4,
            optimal_hops: 2,
            valid_prerequisites: ["get_weather"],
            mock_responses: { get_weather: { temp: 20 } },
          },
        ],
      },
    });
    expect(bulk.json.created).toBe(3);
    const cases = (await call(`/api/tool-suites/${id}/cases`, { token: u.token })).json.cases;
    expect(cases.map((c: any) => c.prompt)).toEqual(["Weather in Paris?", "Tell me a joke", "Two cities", "Plan"]);
    expect(cases[0]).toMatchObject({
      expected_tool: ["get_weather", "get_forecast"],
      param_scoring: "case_insensitive",
      should_call_tool: true,
      multi_turn: false,
    });
    expect(cases[1]).toMatchObject({ expected_tool: null, should_call_tool: false });
    expect(cases[2].expected_params).toEqual([{ city: "Oslo" }, { city: "Rome" }]);
    expect(cases[3]).toMatchObject({ multi_turn: true, max_rounds: 4, mock_responses: { get_weather: { temp: 20 } } });

    const upd = await call(`/api/tool-suites/${id}/cases/${cases[3].id}`, {
      method: "PUT",
      token: u.token,
      body: { multi_turn: false, param_scoring: "numeric_tolerance", scoring_config: { epsilon: 0.5 } },
    });
    expect(upd.json).toMatchObject({ multi_turn: false, max_rounds: 5, param_scoring: "numeric_tolerance", scoring_config: { epsilon: 0.5 } });
    const del = await call(`/api/tool-suites/${id}/cases/bulk-delete`, {
      token: u.token,
      body: { case_ids: [cases[0].id, cases[1].id, "not-mine"] },
    });
    expect(del.json.deleted).toBe(2);
    expect((await call(`/api/tool-suites/${id}/cases/${cases[2].id}`, { method: "DELETE", token: u.token })).status).toBe(200);
    expect((await call(`/api/tool-suites/${id}`, { token: u.token })).json.test_case_count).toBe(1);
    const listed = (await call("/api/tool-suites", { token: u.token })).json.suites.find((s: any) => s.id === id);
    expect(listed).toMatchObject({ tool_count: expect.any(Number), test_case_count: 1 }); // the list counts cases too
  });

  it("refuses regex-mode patterns that Python rejects or JS cannot reproduce, naming the case and the pattern", async () => {
    const u = await signUp();
    const id = (await call("/api/tool-suites", { token: u.token, body: { name: "S", tools: [WEATHER] } })).json.suite_id;
    const single = await call(`/api/tool-suites/${id}/cases`, {
      token: u.token,
      body: { prompt: "Weather in Paris?", expected_tool: "get_weather", expected_params: { city: "(?<=a+)b" }, param_scoring: "regex" },
    });
    expectEnvelope(single, 400, "validation_failed");
    expect(single.json.details).toEqual([
      {
        path: "expected_params.city",
        message: `Case "Weather in Paris?": regex '(?<=a+)b' cannot be used: not a valid Python regular expression: look-behind requires fixed-width pattern`,
      },
    ]);
    const bulk = await call(`/api/tool-suites/${id}/cases`, {
      token: u.token,
      body: {
        cases: [
          { prompt: "fine", expected_tool: "get_weather", expected_params: { city: "(?i)^paris\\Z" }, param_scoring: "regex" },
          {
            prompt: "two",
            expected_tool: "get_weather",
            expected_params: [{ city: "x" }, { city: "(p)?(?(1)aris|London)" }],
            param_scoring: "regex",
          },
        ],
      },
    });
    expectEnvelope(bulk, 400, "validation_failed");
    expect(bulk.json.details).toHaveLength(1);
    expect(bulk.json.details[0].path).toBe("cases.1.expected_params.1.city");
    expect(bulk.json.details[0].message).toMatch(
      /^Case "two": regex '\(p\)\?\(\?\(1\)aris\|London\)' cannot be used: no JavaScript equivalent for a conditional group/,
    );
    // The same pattern is fine in another mode, and a good regex is accepted.
    const plain = await call(`/api/tool-suites/${id}/cases`, {
      token: u.token,
      body: { prompt: "p", expected_tool: "get_weather", expected_params: { city: "(?<=a+)b" } },
    });
    expect(plain.status, plain.text).toBe(201);
    const good = await call(`/api/tool-suites/${id}/cases`, {
      token: u.token,
      body: { prompt: "g", expected_tool: "get_weather", expected_params: { city: "(?x) ^ \\w+ $" }, param_scoring: "regex" },
    });
    expect(good.status, good.text).toBe(201);
    // An update is checked against the case as it will be stored: switching the mode, or changing the params.
    const caseId = plain.json.case_id;
    const toRegex = await call(`/api/tool-suites/${id}/cases/${caseId}`, { method: "PUT", token: u.token, body: { param_scoring: "regex" } });
    expectEnvelope(toRegex, 400, "validation_failed");
    expect(toRegex.json.error).toBe(
      `Test case ${caseId}: regex '(?<=a+)b' cannot be used: not a valid Python regular expression: look-behind requires fixed-width pattern`,
    );
    expect(toRegex.json.details[0].path).toBe("expected_params.city");
    const badParams = await call(`/api/tool-suites/${id}/cases/${good.json.case_id}`, {
      method: "PUT",
      token: u.token,
      body: { expected_params: { city: "\\N{BULLET}" } },
    });
    expectEnvelope(badParams, 400, "validation_failed");
    expect(badParams.json.error).toContain("regex '\\\\N{BULLET}' cannot be used");
    const cases = (await call(`/api/tool-suites/${id}/cases`, { token: u.token })).json.cases;
    expect(cases.map((c: any) => [c.prompt, c.param_scoring, c.expected_params])).toEqual([
      ["p", "exact", { city: "(?<=a+)b" }],
      ["g", "regex", { city: "(?x) ^ \\w+ $" }],
    ]);
  });

  it("rejects a bad bulk insert as a whole", async () => {
    const u = await signUp();
    const id = (await call("/api/tool-suites", { token: u.token, body: { name: "S", tools: [] } })).json.suite_id;
    const r = await call(`/api/tool-suites/${id}/cases`, {
      token: u.token,
      body: { cases: [{ prompt: "ok" }, { prompt: "" }, { prompt: "bad mode", param_scoring: "fuzzy" }] },
    });
    expectEnvelope(r, 400, "validation_failed");
    expect((await call(`/api/tool-suites/${id}/cases`, { token: u.token })).json.cases).toEqual([]);
  });
});
