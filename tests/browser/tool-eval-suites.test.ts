/**
 * Tool suites as a person uses them in real Chromium: import the smart-home suite through the file input, see
 * its counts, read the API's line/field errors for bad files, edit a case (parameters, match mode, multi-turn)
 * and find it saved after a reload, get live and server errors for bad tool JSON, export the suite and compare
 * it with the original file, import BFCL question + answer files, add and bulk-delete a case, delete suites.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Download, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/stack.ts";
import { browserPorts } from "../node/ports.ts";
import { type BrowserEnv, screenshot, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const SMART_HOME = path.join(ROOT, "tests/fixtures/examples/smart_home_suite.json");
const BFCL_QUESTIONS = path.join(ROOT, "tests/fixtures/bfcl/BFCL_v4_simple_python.json");
const BFCL_ANSWERS = path.join(ROOT, "tests/fixtures/bfcl/possible_answer/BFCL_v4_simple_python.json");
/** Case 52 of the file (index 51): multi-turn thermostat case. */
const EDITED = 51;

type SuiteFile = { name: string; tools: Array<{ function: { name: string } }>; test_cases: Array<Record<string, unknown>> };

describe.skipIf(skipBrowserTests)("tool suites in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  const original = JSON.parse(readFileSync(SMART_HOME, "utf8")) as SuiteFile;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(2));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 }, acceptDownloads: true });
    page.setDefaultTimeout(20_000);
    page.on("console", (m) => {
      // 4xx answers are shown in the page by design, and so is the 502 of the unreachable MCP server.
      if (m.type() === "error" && !/status of (4\d\d|502)/.test(m.text())) consoleErrors.push(m.text());
    });
    await signUpInBrowser(page, env.stack.url, `suites-${Date.now()}@example.com`, "suites browser pw");
  });

  afterAll(async () => {
    await env?.stop();
  });

  const url = (p: string) => `${env.stack.url}${p}`;
  const row = (name: string): Locator => page.getByTestId("suite-row").filter({ hasText: name });
  const caseRow = (i: number): Locator => page.getByTestId("case-row").nth(i);

  it("starts empty and imports the smart-home suite through the file input", async () => {
    await page.goto(url("/tool-eval/"));
    await page.getByTestId("suites-empty").waitFor();
    const [example] = await Promise.all([page.waitForEvent("download"), page.getByTestId("suite-download-example").click()]);
    expect(JSON.parse(readFileSync((await example.path())!, "utf8"))).toMatchObject({ name: "Weather API Suite", test_cases: expect.any(Array) });
    await page.getByTestId("suite-import-file").setInputFiles(SMART_HOME);
    await row("Smart Home Assistant").waitFor();
    expect(await row("Smart Home Assistant").getByTestId("suite-tool-count").textContent()).toBe("10");
    expect(await row("Smart Home Assistant").getByTestId("suite-case-count").textContent()).toBe("55");
    await page.locator(".toast-message", { hasText: "10 tools, 55 cases" }).waitFor();
  });

  it("shows the API's field errors for a bad suite file and the line of a JSON syntax error", async () => {
    const bad = structuredClone(original);
    bad.test_cases[1]!.expected_tool = 42;
    bad.test_cases[3]!.max_rounds = 0;
    await page
      .getByTestId("suite-import-file")
      .setInputFiles({ name: "bad-suite.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(bad)) });
    const error = page.getByTestId("suite-import-error");
    await error.waitFor();
    const text = (await error.textContent()) ?? "";
    expect(text).toContain("bad-suite.json");
    expect(text).toContain("test_cases[1].expected_tool");
    expect(text).toContain("test_cases[3].max_rounds: must be an integer ≥ 1");
    await screenshot(page, "30-suites-import-error");

    await page.getByTestId("suite-import-file").setInputFiles({
      name: "broken.json",
      mimeType: "application/json",
      buffer: Buffer.from('{\n  "name": "Broken",\n  "tools": [,]\n}'),
    });
    await page.waitForFunction(() => /broken\.json/.test(document.querySelector('[data-testid="suite-import-error"]')?.textContent ?? ""));
    expect(await error.textContent()).toMatch(/line 3/);
    expect(await page.getByTestId("suite-row").count()).toBe(1); // nothing was imported
  });

  it("imports BFCL questions with their possible answers (two JSON Lines files)", async () => {
    await page.getByTestId("suite-import-file").setInputFiles([BFCL_QUESTIONS, BFCL_ANSWERS]);
    const bfcl = row("BFCL_v4_simple_python");
    await bfcl.waitFor();
    expect(await bfcl.getByTestId("suite-case-count").textContent()).toBe("40");
    expect(await page.getByTestId("suite-import-error").count()).toBe(0);
    await screenshot(page, "31-suites-list");
  });

  it("edits a case (parameters, match mode, multi-turn) and finds it saved after a reload", async () => {
    await row("Smart Home Assistant").getByTestId("suite-open").click();
    await page.waitForURL(/\/tool-eval\/suite\/\?id=/);
    await page.getByTestId("case-row").nth(54).waitFor();
    expect(await page.getByTestId("case-row").count()).toBe(55);
    const target = caseRow(EDITED);
    expect(await target.getByTestId("case-badge-multi-turn").textContent()).toContain("4 rounds");

    await target.getByTestId("case-edit").click();
    const form = target.getByTestId("case-form");
    // Bad JSON is reported while typing, and blocks the save.
    await form.getByTestId("case-expected-params").fill('{"room": "living room", "temperature": }');
    await form.getByTestId("case-error-expected_params").waitFor();
    expect(await form.getByTestId("case-error-expected_params").textContent()).toMatch(/JSON|Unexpected/i);
    await form.getByTestId("case-expected-params").fill('{"room": "living room", "temperature": 24, "mode": "heat"}');
    await form.getByTestId("case-error-expected_params").waitFor({ state: "detached" });
    await form.getByTestId("case-param-scoring").selectOption("numeric_tolerance");
    await form.getByTestId("case-epsilon").fill("0.5");
    await form.getByTestId("case-max-rounds").fill("6");
    await form.getByTestId("case-valid-prerequisites").fill("get_weather, get_time");
    await form
      .getByTestId("case-mock-responses")
      .fill(JSON.stringify({ get_weather: { city: "Denver", temperature_celsius: -3, condition: "snowy", wind_mph: 15 } }, null, 2));
    await screenshot(page, "32-suite-case-form");
    await form.getByTestId("case-save").click();
    await form.waitFor({ state: "detached" });
    expect(await target.getByTestId("case-badge-multi-turn").textContent()).toContain("6 rounds");
    expect(await target.getByTestId("case-badge-match-mode").textContent()).toContain("±0.5");

    await page.reload();
    await caseRow(EDITED).getByTestId("case-edit").click();
    const again = caseRow(EDITED).getByTestId("case-form");
    expect(JSON.parse(await again.getByTestId("case-expected-params").inputValue())).toEqual({ room: "living room", temperature: 24, mode: "heat" });
    expect(await again.getByTestId("case-param-scoring").inputValue()).toBe("numeric_tolerance");
    expect(await again.getByTestId("case-epsilon").inputValue()).toBe("0.5");
    expect(await again.getByTestId("case-max-rounds").inputValue()).toBe("6");
    expect(await again.getByTestId("case-optimal-hops").inputValue()).toBe("2");
    expect(await again.getByTestId("case-valid-prerequisites").inputValue()).toBe("get_weather, get_time");
    expect(JSON.parse(await again.getByTestId("case-mock-responses").inputValue()).get_weather.temperature_celsius).toBe(-3);
    await again.getByTestId("case-cancel").click();
  });

  it("reports bad tool JSON while typing and the server's schema errors on save", async () => {
    const tool = page.getByTestId("tool-item-0");
    await tool.getByTestId("tool-toggle").click();
    const editor = tool.getByTestId("tool-json");
    const saved = await editor.inputValue();
    await editor.fill('{"type": "function", "function": {"name": "get_time",');
    await tool.getByTestId("tool-error").waitFor();
    expect(await tool.getByTestId("tool-error").textContent()).toContain("Invalid JSON");

    // Well-formed JSON whose schema lists a required parameter that does not exist: only the server knows.
    const badSchema = {
      type: "function",
      function: {
        name: "get_time",
        description: "Returns the current date and time",
        parameters: { type: "object", properties: {}, required: ["zone"] },
      },
    };
    await editor.fill(JSON.stringify(badSchema, null, 2));
    await tool.getByTestId("tool-error").waitFor({ state: "detached" });
    await page.getByTestId("tools-save").click();
    await tool.getByTestId("tool-server-error").waitFor();
    expect(await tool.getByTestId("tool-server-error").textContent()).toContain('"zone" is not a property');
    await screenshot(page, "33-suite-tool-error");

    // Leaving with unsaved edits asks first (the guard cancels beforeunload, which makes the browser prompt).
    const guarded = () =>
      page.evaluate(() => {
        const event = new Event("beforeunload", { cancelable: true });
        window.dispatchEvent(event);
        return event.defaultPrevented;
      });
    expect(await guarded()).toBe(true);

    await editor.fill(saved);
    await page.waitForFunction(() => /saved/i.test(document.querySelector('[data-testid="tools-save"]')?.textContent ?? ""));
    expect(await page.getByTestId("tools-save").isDisabled()).toBe(true);
    expect(await guarded()).toBe(false);
  });

  it("exports the suite: the downloaded JSON equals the original file except for the edited case", async () => {
    await page.goto(url("/tool-eval/"));
    const [download] = await Promise.all([page.waitForEvent("download"), row("Smart Home Assistant").getByTestId("suite-export").click()]);
    expect(download.suggestedFilename()).toBe("suite-smart-home-assistant.json");
    const exported = JSON.parse(readFileSync((await download.path())!, "utf8")) as SuiteFile;

    const expected = structuredClone(original);
    expected.test_cases[EDITED] = {
      ...original.test_cases[EDITED],
      expected_params: { room: "living room", temperature: 24, mode: "heat" },
      param_scoring: "numeric_tolerance",
      scoring_config: { epsilon: 0.5, mode: "numeric_tolerance" },
      max_rounds: 6,
      valid_prerequisites: ["get_weather", "get_time"],
      mock_responses: { get_weather: { city: "Denver", temperature_celsius: -3, condition: "snowy", wind_mph: 15 } },
    };
    expect(exported).toEqual(expected);

    // BFCL: question and possible-answer JSON Lines, one line per case.
    const downloads: Download[] = [];
    page.on("download", (d) => downloads.push(d));
    await row("Smart Home Assistant").getByTestId("suite-export-bfcl").click();
    await expect.poll(() => downloads.length).toBe(2);
    const names = downloads.map((d) => d.suggestedFilename()).sort();
    expect(names).toEqual(["smart-home-assistant.bfcl-possible-answer.jsonl", "smart-home-assistant.bfcl-questions.jsonl"]);
    for (const d of downloads) {
      const lines = readFileSync((await d.path())!, "utf8")
        .trim()
        .split("\n");
      expect(lines).toHaveLength(55);
      expect(() => lines.map((l) => JSON.parse(l))).not.toThrow();
    }
  });

  it("creates a suite, adds and bulk-deletes a case, and deletes suites with a confirmation", async () => {
    await page.getByTestId("suite-new").click();
    await page.getByTestId("suite-create-name").fill("Scratch suite");
    await page.getByTestId("suite-create-submit").click();
    await page.waitForURL(/\/tool-eval\/suite\/\?id=/);
    expect(await page.getByTestId("suite-title").textContent()).toBe("Scratch suite");

    await page.getByTestId("case-add").click();
    const form = page.getByTestId("case-form");
    await form.getByTestId("case-save").click();
    await form.getByTestId("case-error-prompt").waitFor(); // required fields are checked before sending
    await form.getByTestId("case-prompt").fill("Tell me a joke about thermostats.");
    await form.getByTestId("case-no-tool").check();
    // "No tool expected" also clears "should call a tool" (the form updates it asynchronously).
    await page.waitForFunction(() => !(document.querySelector('[data-testid="case-should-call"]') as HTMLInputElement | null)?.checked);
    await form.getByTestId("case-save").click();
    await page.getByTestId("case-row").first().waitFor();
    expect(await caseRow(0).getByTestId("case-badge-no-tool").textContent()).toMatch(/no tool/i);

    await caseRow(0).getByTestId("case-select").check();
    await page.getByTestId("cases-bulk-delete").click();
    await page.getByTestId("confirm-ok").click();
    await page.getByTestId("case-row").first().waitFor({ state: "detached" });
    expect(await page.getByTestId("editor-case-count").textContent()).toContain("0 cases");

    await page.goto(url("/tool-eval/"));
    for (const name of ["Scratch suite", "BFCL_v4_simple_python"]) {
      await row(name).getByTestId("suite-delete").click();
      await page.getByTestId("confirm-ok").click();
      await row(name).waitFor({ state: "detached" });
    }
    expect(await page.getByTestId("suite-row").count()).toBe(1);
    await page.reload();
    await row("Smart Home Assistant").waitFor();
    expect(await page.getByTestId("suite-row").count()).toBe(1);
  });

  it("imports tools from an MCP server through the dialog, and explains a failed discovery", async () => {
    await page.goto(`${env.stack.url}/tool-eval/`);
    await page.getByTestId("mcp-open").click();
    await page.getByTestId("mcp-dialog").waitFor();
    await page.getByTestId("mcp-discover").click();
    expect(await page.getByTestId("mcp-error").textContent()).toContain("http");
    // Nothing listens on port 9: the API answers 502 and the dialog says so.
    await page.getByTestId("mcp-url").fill("http://127.0.0.1:9/mcp");
    await page.getByTestId("mcp-discover").click();
    await page.waitForFunction(() => {
      const text = document.querySelector('[data-testid="mcp-error"]')?.textContent ?? "";
      return text !== "" && !text.startsWith("Enter the server");
    });

    // The simulator's demo MCP server (Streamable HTTP, tools listed over several pages, one name listed twice).
    await page.getByTestId("mcp-url").fill(`${env.stack.simulator.url}/mcp`);
    await page.getByTestId("mcp-discover").click();
    await page.getByTestId("mcp-tool-get_weather").waitFor();
    expect(await page.getByTestId("mcp-tool-search_web").count()).toBe(2);
    await page.getByTestId("mcp-tool-list_projects").uncheck();
    await page.getByTestId("mcp-suite-name").fill("Demo MCP tools");
    await page.getByTestId("mcp-generate").check();
    await screenshot(page, "34-suites-mcp-dialog");
    await page.getByTestId("mcp-import").click();

    // The import opens the new suite's editor: six tools (the duplicate renamed), one generated case each.
    await page.waitForURL(/\/tool-eval\/suite\/\?id=/);
    await page.getByTestId("suite-title").filter({ hasText: "Demo MCP tools" }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="editor-case-count"]')?.textContent?.includes("6"));
    expect(await page.getByTestId("editor-tool-count").textContent()).toContain("6");
    expect(await page.locator('[data-testid^="tool-item-"][data-tool-name="search_web_2"]').count()).toBe(1);
    expect(await page.locator('[data-testid^="tool-item-"][data-tool-name="list_projects"]').count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
