/** Suite import/export through the API: the original's JSON round-trips exactly; BFCL JSON Lines too. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import parallelQuestions from "../fixtures/bfcl/BFCL_v4_parallel.json?raw";
import simpleQuestions from "../fixtures/bfcl/BFCL_v4_simple_python.json?raw";
import parallelAnswers from "../fixtures/bfcl/possible_answer/BFCL_v4_parallel.json?raw";
import simpleAnswers from "../fixtures/bfcl/possible_answer/BFCL_v4_simple_python.json?raw";
import smartHome from "../fixtures/examples/smart_home_suite.json";
import { call, expectEnvelope, signUp } from "./helpers.ts";

const countRows = async (userId: string) =>
  (await env.DB.prepare(
    "SELECT (SELECT COUNT(*) FROM tool_suites WHERE user_id = ?1) AS s, (SELECT COUNT(*) FROM tool_test_cases c JOIN tool_suites s ON s.id = c.suite_id WHERE s.user_id = ?1) AS c",
  )
    .bind(userId)
    .first<{ s: number; c: number }>())!;

describe("suite import and export", () => {
  it("imports the smart-home suite unchanged and exports it back equal", async () => {
    const u = await signUp();
    const imp = await call("/api/tool-eval/import", { token: u.token, body: smartHome });
    expect(imp.status, imp.text).toBe(201);
    expect(imp.json).toMatchObject({ test_cases_created: 55, tools_imported: 10 });
    const detail = (await call(`/api/tool-suites/${imp.json.suite_id}`, { token: u.token })).json;
    expect(detail.test_case_count).toBe(55);
    // The list counts each suite's own cases (the Suites page shows them).
    const list = (await call("/api/tool-suites", { token: u.token })).json.suites;
    expect(list.map((s: any) => [s.tool_count, s.test_case_count])).toEqual([[10, 55]]);
    expect(detail.test_cases.filter((c: any) => c.multi_turn)).toHaveLength(5);
    const exp = await call(`/api/tool-suites/${imp.json.suite_id}/export`, { token: u.token });
    expect(exp.res.headers.get("content-disposition")).toMatch(/suite-.*\.json/);
    expect(exp.json).toEqual(smartHome);
  });

  it("imports BFCL question + answer files and exports them back to the same entries", async () => {
    const u = await signUp();
    const imp = await call("/api/tool-eval/import", {
      token: u.token,
      body: { format: "bfcl", questions: parallelQuestions, answers: parallelAnswers, name: "BFCL parallel" },
    });
    expect(imp.status, imp.text).toBe(201);
    const entries = parallelQuestions.trim().split("\n").length;
    expect(imp.json.test_cases_created).toBe(entries);
    const cases = (await call(`/api/tool-suites/${imp.json.suite_id}/cases`, { token: u.token })).json.cases;
    expect(cases.every((c: any) => c.category === "parallel")).toBe(true);
    const exp = (await call(`/api/tool-suites/${imp.json.suite_id}/export/bfcl`, { token: u.token })).json;
    const norm = (text: string) =>
      text
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
    expect(norm(exp.questions).map((e: any) => e.id)).toEqual(norm(parallelQuestions).map((e: any) => e.id));
    expect(norm(exp.answers)).toEqual(norm(parallelAnswers));
    // Dotted BFCL names reach providers with "_" and are mapped back (simple_python has e.g. math.hcf).
    const simple = await call("/api/tool-eval/import", {
      token: u.token,
      body: { format: "bfcl", questions: simpleQuestions, answers: simpleAnswers },
    });
    expect(simple.status, simple.text).toBe(201);
    const tools = (await call(`/api/tool-suites/${simple.json.suite_id}`, { token: u.token })).json.tools.map((t: any) => t.function.name);
    expect(tools.every((n: string) => /^[A-Za-z0-9_-]+$/.test(n))).toBe(true);
    const back = (await call(`/api/tool-suites/${simple.json.suite_id}/export/bfcl`, { token: u.token })).json;
    expect(back.questions).toContain("number_analysis.prime_factors");
  });

  it("changes nothing on a bad file and says which line and field is wrong", async () => {
    const u = await signUp();
    const before = await countRows(u.user.id);
    const broken = { ...smartHome, test_cases: [...smartHome.test_cases.slice(0, 3), { expected_tool: "x" }] };
    const r1 = await call("/api/tool-eval/import", { token: u.token, body: broken });
    expectEnvelope(r1, 400, "validation_failed");
    expect(JSON.stringify(r1.json.details)).toMatch(/test_cases\[3\]/);
    const lines = parallelQuestions.trim().split("\n");
    lines[2] = "{not json";
    const r2 = await call("/api/tool-eval/import", {
      token: u.token,
      body: { format: "bfcl", questions: lines.join("\n"), answers: parallelAnswers },
    });
    expectEnvelope(r2, 400, "validation_failed");
    expect(JSON.stringify(r2.json.details)).toMatch(/line 3/);
    expectEnvelope(await call("/api/tool-eval/import", { token: u.token, body: { hello: "world" } }), 400);
    // A regex-mode pattern that cannot be evaluated as Python would is refused, naming case and pattern.
    const regexCase = {
      prompt: "Weather?",
      expected_tool: "get_weather",
      expected_params: { city: "\\N{BULLET}" },
      scoring_config: { mode: "regex" },
    };
    const r3 = await call("/api/tool-eval/import", { token: u.token, body: { ...smartHome, test_cases: [...smartHome.test_cases, regexCase] } });
    expectEnvelope(r3, 400, "validation_failed");
    expect(r3.json.details).toEqual([
      {
        path: `suite:test_cases[${smartHome.test_cases.length}].expected_params.city`,
        message: expect.stringMatching(
          /^suite test_cases\[55\]\.expected_params\.city: regex '\\\\N\{BULLET\}' cannot be used: no JavaScript equivalent for the named character/,
        ),
      },
    ]);
    // A BFCL request with a field of the wrong type is refused, not read as an original-format suite (was a 500).
    for (const bad of [{ answers: -1 }, { questions: 7 }, { name: {} }, { extra: true }]) {
      const r = await call("/api/tool-eval/import", { token: u.token, body: { format: "bfcl", questions: "x", ...bad } });
      expectEnvelope(r, 400, "validation_failed");
    }
    expectEnvelope(await call("/api/tool-eval/import", { token: u.token, body: { ...smartHome, format: "original" } }), 400, "validation_failed");
    expect(await countRows(u.user.id)).toEqual(before);
    const example = await call("/api/tool-eval/import/example", { token: u.token });
    expect((await call("/api/tool-eval/import", { token: u.token, body: example.json })).status).toBe(201);
  });
});
