// A local `llm-bench run` whose config calls the simulator's address starts one for the run when none answers.
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import type { CliConfig, ProviderConfig } from "../../src/cli/config.ts";
import { simulatorForRun } from "../../src/cli/simulator.ts";
import { TEST_SIMULATOR_PORT } from "./ports.ts";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function configCalling(baseUrl: string): CliConfig {
  const provider = { api: "openai", base_url: baseUrl, key: "" } as ProviderConfig;
  return { providers: new Map([["simulator", provider]]) } as CliConfig;
}

async function answers(url: string): Promise<boolean> {
  return fetch(`${url}/v1/models`).then(
    () => true,
    () => false,
  );
}

describe("the simulator a local run starts for itself", () => {
  it("starts one when the config calls its address and none answers, and stops it after the run", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const lines: string[] = [];
    const stop = await simulatorForRun(configCalling(`${url}/v1`), (l) => lines.push(l), port);
    expect(lines).toEqual([`no simulator at ${url}: started one for this run (\`llm-bench simulator\` keeps one running)`]);
    const models = await fetch(`${url}/v1/models`);
    expect(models.status).toBe(200);
    await stop();
    expect(await answers(url)).toBe(false);
  });

  it("uses the simulator already running there, and starts none for a config that calls elsewhere", async () => {
    const running = `http://127.0.0.1:${TEST_SIMULATOR_PORT}`; // the test run's own simulator (global setup)
    const lines: string[] = [];
    await (await simulatorForRun(configCalling(`${running}/v1`), (l) => lines.push(l), TEST_SIMULATOR_PORT))();
    expect(lines).toEqual([]);
    expect(await answers(running)).toBe(true); // not stopped: it was not ours

    const port = await freePort();
    await (await simulatorForRun(configCalling("https://api.openai.com/v1"), (l) => lines.push(l), port))();
    expect(lines).toEqual([]);
    expect(await answers(`http://127.0.0.1:${port}`)).toBe(false);
  });
});
