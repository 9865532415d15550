/**
 * `npm run dev`: builds the web app, applies D1 migrations locally, then runs the LLM simulator and
 * `wrangler dev` together. Open the printed URL, sign up, and benchmark the "Local simulator" provider
 * without any API key.
 */
import { applyMigrations, buildWeb, ensureDevVars, startStack } from "./stack.ts";

const PORT = Number(process.env.PORT ?? 8787);
const SIMULATOR_PORT = Number(process.env.SIMULATOR_PORT ?? 18787);

ensureDevVars();
buildWeb();
applyMigrations();
const stack = await startStack({ port: PORT, simulatorPort: SIMULATOR_PORT });
console.log(`\n  LLM Benchmark Studio is running at ${stack.url}\n  LLM simulator at ${stack.simulator.url}\n  Press Ctrl+C to stop.\n`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  });
}
