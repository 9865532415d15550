/**
 * Settings → Defaults in real Chromium: the judge, param tuner and prompt tuner defaults are edited, saved (each
 * section says "Saved") and still there after a reload and in the API; an out-of-range value is marked beside its
 * field and nothing is sent; the server's refusal is shown in its section; "Reset to defaults" fills in the server's
 * defaults; a saved search-space preset is deleted; and the Param Tuner, Prompt Tuner, Evaluate (Auto-judge) and
 * Judge pages start from what is saved here.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ParamTunerSettings, PromptTunerSettings } from "../../src/shared/settings.ts";
import { FEATURE_DEFAULTS } from "../../src/shared/settings-defaults.ts";
import { browserPorts } from "../node/ports.ts";
import { apiCall } from "./browser-api.ts";
import { type BrowserEnv, screenshot, signUpInBrowser, skipBrowserTests, startBrowserEnv } from "./harness.ts";

const JUDGES = ["sim-judge-ttft5-tps2000", "sim-judge-ttft500-tps2000"];
const SETTINGS = "/api/settings/phase10";
const value = (page: Page, testId: string) => page.getByTestId(testId).inputValue();

describe.skipIf(skipBrowserTests)("Settings → Defaults in a real browser", () => {
  let env: BrowserEnv;
  let page: Page;
  let token = "";
  /** A judge model the Judge page would not pick by itself (it falls back to the first model named "judge"). */
  let judgeKey = "";

  const read = () => apiCall(env.stack.url, token, SETTINGS);
  const openPanel = async () => {
    await page.goto(`${env.stack.url}/settings/defaults/`);
    await page.getByTestId("defaults-judge-form").waitFor();
  };

  beforeAll(async () => {
    env = await startBrowserEnv(browserPorts(43));
    page = await env.browser.newPage({ viewport: { width: 1360, height: 1000 } });
    page.setDefaultTimeout(20_000);
    const email = `defaults-${Date.now()}@example.com`;
    const password = "defaults browser pw";
    await signUpInBrowser(page, env.stack.url, email, password);
    token = (await apiCall(env.stack.url, "", "/api/auth/login", { email, password })).access_token;
    const { providers } = await apiCall(env.stack.url, token, "/api/v2/providers");
    const sim = providers.find((p: { provider_key: string }) => p.provider_key === "local_simulator");
    for (const model_id of JUDGES) await apiCall(env.stack.url, token, `/api/v2/providers/${sim.id}/models`, { model_id });
    const { models } = await apiCall(env.stack.url, token, "/api/v2/models");
    const fallback = models.find((m: { model_id: string }) => m.model_id.includes("judge")).model_id;
    judgeKey = `local_simulator::${JUDGES.find((m) => m !== fallback)}`;
    // Presets reach an account through the API or a settings restore; the page lists and deletes them.
    await apiCall(
      env.stack.url,
      token,
      SETTINGS,
      {
        param_tuner: {
          presets: [
            { name: "Warm sampling", search_space: { temperature: [0.7], top_k: [20] } },
            { name: "Wide temperature", search_space: { temperature: { min: 0, max: 1.5, step: 0.5 } } },
          ],
        },
      },
      "PUT",
    );
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("edits each section, saves it, and shows the saved values after a reload", async () => {
    await page.goto(`${env.stack.url}/settings/`);
    await page.getByRole("link", { name: "Defaults" }).click();
    await page.getByTestId("defaults-panel").waitFor();
    await page.getByTestId("defaults-judge-form").waitFor();

    await page.getByTestId("defaults-judge-model").selectOption(judgeKey);
    await page.getByTestId("defaults-judge-mode").selectOption("live_inline");
    await page.getByTestId("defaults-judge-instructions").fill("Name the tool in every verdict.");
    await page.getByTestId("defaults-judge-save").click();
    expect(await page.getByTestId("defaults-judge-status").textContent()).toBe("Saved.");

    const ranges = {
      temp_min: "0.2",
      temp_max: "1.4",
      temp_step: "0.3",
      top_p_min: "0.6",
      top_p_max: "0.9",
      top_p_step: "0.1",
      max_combinations: "120",
    };
    for (const [key, v] of Object.entries(ranges)) await page.getByTestId(`defaults-${key}`).fill(v);
    await page.getByTestId("defaults-param_tuner-save").click();
    expect(await page.getByTestId("defaults-param_tuner-status").textContent()).toBe("Saved.");

    await page.getByTestId("defaults-prompt-mode").selectOption("evolutionary");
    await page.getByTestId("defaults-generations").fill("5");
    await page.getByTestId("defaults-population_size").fill("8");
    await page.getByTestId("defaults-max_api_calls").fill("400");
    await page.getByTestId("defaults-prompt_tuner-save").click();
    expect(await page.getByTestId("defaults-prompt_tuner-status").textContent()).toBe("Saved.");
    await screenshot(page, "settings-defaults-saved");

    const saved = await read();
    expect(saved.judge).toMatchObject({ model_id: judgeKey, mode: "live_inline", custom_instructions: "Name the tool in every verdict." });
    expect(saved.param_tuner).toMatchObject(Object.fromEntries(Object.entries(ranges).map(([k, v]) => [k, Number(v)])));
    expect(saved.param_tuner.presets).toHaveLength(2); // saving the ranges leaves the presets alone
    expect(saved.prompt_tuner).toEqual({ mode: "evolutionary", generations: 5, population_size: 8, max_api_calls: 400 });

    await page.reload();
    await page.getByTestId("defaults-judge-form").waitFor();
    await page.waitForFunction(
      (key) => (document.querySelector('[data-testid="defaults-judge-model"]') as HTMLSelectElement | null)?.value === key,
      judgeKey,
    );
    expect(await value(page, "defaults-judge-mode")).toBe("live_inline");
    expect(await value(page, "defaults-judge-instructions")).toBe("Name the tool in every verdict.");
    for (const [key, v] of Object.entries(ranges)) expect(await value(page, `defaults-${key}`)).toBe(v);
    expect(await value(page, "defaults-prompt-mode")).toBe("evolutionary");
    expect(await value(page, "defaults-generations")).toBe("5");
    expect(await value(page, "defaults-population_size")).toBe("8");
    expect(await value(page, "defaults-max_api_calls")).toBe("400");
    expect(await page.getByTestId("defaults-judge-status").count()).toBe(0); // "Saved" belongs to the save, not the page
  });

  it("marks an out-of-range value beside its field with the schema's range, and sends nothing", async () => {
    await openPanel();
    const puts: string[] = [];
    const onRequest = (r: { method(): string; url(): string }) => {
      if (r.method() === "PUT" && r.url().endsWith(SETTINGS)) puts.push(r.url());
    };
    page.on("request", onRequest);
    const tempMax = ParamTunerSettings.shape.temp_max;
    await page.getByTestId("defaults-temp_max").fill(String(tempMax.maxValue! + 3));
    const error = page.getByTestId("defaults-temp_max-error");
    await error.waitFor();
    expect(await error.textContent()).toBe(`Temperature max must be a number from ${tempMax.minValue} to ${tempMax.maxValue}.`);
    expect(await page.getByTestId("defaults-temp_max").getAttribute("aria-invalid")).toBe("true");

    const generations = PromptTunerSettings.shape.generations;
    await page.getByTestId("defaults-generations").fill(String(generations.maxValue! + 1));
    expect(await page.getByTestId("defaults-generations-error").textContent()).toContain(`from ${generations.minValue} to ${generations.maxValue}`);
    await screenshot(page, "settings-defaults-invalid");

    await page.getByTestId("defaults-param_tuner-save").click();
    await page.getByTestId("defaults-prompt_tuner-save").click();
    expect(await page.getByTestId("defaults-param_tuner-error").textContent()).toContain("Nothing was saved");
    expect(await page.getByTestId("defaults-prompt_tuner-error").textContent()).toContain("Nothing was saved");
    page.off("request", onRequest);
    expect(puts).toEqual([]);
    const saved = await read();
    expect(saved.param_tuner.temp_max).toBe(1.4);
    expect(saved.prompt_tuner.generations).toBe(5);

    // Fixing the value clears its message.
    await page.getByTestId("defaults-temp_max").fill("1.2");
    expect(await page.getByTestId("defaults-temp_max-error").count()).toBe(0);
  });

  it("shows the server's refusal in its section when a save is refused", async () => {
    await openPanel();
    // A value this form never sends (a mode the server does not know), put into the real request on its way: the
    // real Worker refuses it, and the page must say so instead of "Saved".
    await page.route(`**${SETTINGS}`, async (route) => {
      const req = route.request();
      if (req.method() !== "PUT") return route.continue();
      const body = JSON.parse(req.postData() ?? "{}");
      await route.continue({ postData: JSON.stringify({ judge: { ...body.judge, mode: "sometimes" } }) });
    });
    await page.getByTestId("defaults-judge-instructions").fill("Refused on the way.");
    await page.getByTestId("defaults-judge-save").click();
    const alert = page.getByTestId("defaults-judge-error");
    await alert.waitFor();
    const text = (await alert.textContent()) ?? "";
    expect(text).toMatch(/^Not saved: /);
    expect(text).toContain("judge.mode");
    expect(await page.getByTestId("defaults-judge-status").count()).toBe(0);
    await screenshot(page, "settings-defaults-refused");
    await page.unroute(`**${SETTINGS}`);
    expect((await read()).judge.custom_instructions).toBe("Name the tool in every verdict.");

    // The same edit goes through once nothing alters it, and the refusal is gone.
    await page.getByTestId("defaults-judge-save").click();
    expect(await page.getByTestId("defaults-judge-status").textContent()).toBe("Saved.");
    expect(await page.getByTestId("defaults-judge-error").count()).toBe(0);
    expect((await read()).judge.custom_instructions).toBe("Refused on the way.");
  });

  it("resets a section to the server's defaults, saved only on Save", async () => {
    await openPanel();
    await page.getByTestId("defaults-prompt_tuner-reset").click();
    expect(await page.getByTestId("defaults-prompt_tuner-status").textContent()).toContain("save to keep them");
    const d = FEATURE_DEFAULTS.prompt_tuner;
    expect(await value(page, "defaults-prompt-mode")).toBe(d.mode);
    expect(await value(page, "defaults-population_size")).toBe(String(d.population_size));
    expect((await read()).prompt_tuner.population_size).toBe(8); // not saved yet
    await page.getByTestId("defaults-prompt_tuner-save").click();
    expect(await page.getByTestId("defaults-prompt_tuner-status").textContent()).toBe("Saved.");
    expect((await read()).prompt_tuner).toEqual(d);
  });

  it("lists the saved presets and deletes one", async () => {
    await openPanel();
    const list = page.getByTestId("defaults-presets");
    await list.waitFor();
    expect(await list.locator("li").count()).toBe(2);
    expect(await page.getByTestId("defaults-preset-Wide temperature").textContent()).toContain("temperature 0–1.5 step 0.5");
    await page.getByTestId("defaults-preset-delete-Warm sampling").click();
    await page.getByTestId("confirm-ok").click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="defaults-presets"] li').length === 1);
    const { param_tuner } = await read();
    expect(param_tuner.presets.map((p: { name: string }) => p.name)).toEqual(["Wide temperature"]);
    expect(param_tuner.temp_max).toBe(1.4); // the ranges are untouched
  });

  it("the Param Tuner and Prompt Tuner start from the defaults saved here (this browser remembers no form of theirs)", async () => {
    // Saved in the first test: temperature 0.2–1.4 step 0.3; "Wide temperature" is the preset left after the delete.
    await page.goto(`${env.stack.url}/tool-eval/param-tune/`);
    await page.waitForFunction(() => (document.querySelector('[data-testid="space-min-temperature"]') as HTMLInputElement | null)?.value === "0.2");
    expect(await value(page, "space-max-temperature")).toBe("1.4");
    expect(await value(page, "space-step-temperature")).toBe("0.3");
    const accountGroup = page.locator('[data-testid="tune-preset-select"] optgroup[label="Account (Settings → Defaults)"] option');
    expect(await accountGroup.allTextContents()).toEqual(["Wide temperature"]);

    await apiCall(env.stack.url, token, SETTINGS, { prompt_tuner: { mode: "evolutionary", generations: 4, population_size: 6 } }, "PUT");
    await page.goto(`${env.stack.url}/tool-eval/prompt-tune/`);
    await page.waitForFunction(() => (document.querySelector('[data-testid="pt-mode-evolutionary"]') as HTMLInputElement | null)?.checked === true);
    expect(await value(page, "pt-generations")).toBe("4");
    expect(await value(page, "pt-population")).toBe("6");
  });

  it("Evaluate starts its Auto-judge with the saved judge when the saved mode is live inline", async () => {
    await apiCall(env.stack.url, token, SETTINGS, { judge: { mode: "live_inline", model_id: judgeKey } }, "PUT");
    await page.goto(`${env.stack.url}/tool-eval/evaluate/`);
    await page.waitForFunction(
      (key) => (document.querySelector('[data-testid="eval-auto-judge-select"]') as HTMLSelectElement | null)?.value === key,
      judgeKey,
    );
    expect(await page.getByTestId("eval-auto-judge-default").textContent()).toContain("Settings → Defaults");
    await apiCall(env.stack.url, token, SETTINGS, { judge: { mode: "post_eval" } }, "PUT");
    await page.goto(`${env.stack.url}/tool-eval/evaluate/`);
    await page.getByTestId("eval-auto-judge-select").waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="eval-auto-judge-select"] option').length > 1);
    expect(await page.getByTestId("eval-auto-judge-select").inputValue()).toBe("");
    expect(await page.getByTestId("eval-auto-judge-default").count()).toBe(0);
  });

  it("the Judge page starts from the judge model and instructions saved here", async () => {
    await page.goto(`${env.stack.url}/tool-eval/judge/`);
    await page.waitForFunction(
      (key) => (document.querySelector('[data-testid="judge-model-select"]') as HTMLSelectElement | null)?.value === key,
      judgeKey,
    );
    expect(await page.locator("#judge-instructions").inputValue()).toBe("Refused on the way.");
    expect(await page.getByTestId("judge-defaults-note").textContent()).toContain("come from your saved judge defaults");
    await screenshot(page, "settings-defaults-judge-prefill");
  });
});
