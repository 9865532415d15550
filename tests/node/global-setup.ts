import { TEST_SIMULATOR_PORT } from "./ports.ts";

// Starts the loopback LLM simulator once for the whole run; workerd tests reach it over real HTTP.
let stop: (() => Promise<void>) | undefined;

export async function setup() {
  const { startSimulator } = await import("../../src/simulator/server.ts");
  const sim = await startSimulator({ port: TEST_SIMULATOR_PORT, host: "127.0.0.1" });
  stop = sim.close;
}

export async function teardown() {
  await stop?.();
}
