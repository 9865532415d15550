/**
 * CLI: `node src/simulator/main.ts [--port 18787] [--host 127.0.0.1] [--verbose] [--quiet]`.
 * Prints one line with the URL, then serves until SIGINT/SIGTERM.
 */

import { parseArgs } from "node:util";
import { startSimulator } from "./server.ts";

const DEFAULT_PORT = 18787;

const { values } = parseArgs({
  options: {
    port: { type: "string", default: String(DEFAULT_PORT) },
    host: { type: "string", default: "127.0.0.1" },
    verbose: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port '${values.port}'.`);
  process.exit(2);
}

const sim = await startSimulator({ port, host: values.host, verbose: values.verbose, quiet: values.quiet });
console.log(`LLM simulator listening on ${sim.url}`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  // Open keep-alive or hanging connections are dropped by close(); the timer is only a safety net.
  setTimeout(() => process.exit(0), 2000).unref();
  sim.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`[sim] error while stopping on ${signal}:`, err);
      process.exit(1);
    },
  );
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
