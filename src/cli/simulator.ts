/** `llm-bench simulator`: the loopback LLM simulator, so the example config runs with no API key. */
import { startSimulator } from "../simulator/server.ts";
import { CliError, type Command, EXIT, parseOptions } from "./command.ts";
import type { CliConfig } from "./config.ts";

export const SIMULATOR_DEFAULT_PORT = 18787;
export const SIMULATOR_DEFAULT_URL = `http://127.0.0.1:${SIMULATOR_DEFAULT_PORT}`;

const USAGE = `llm-bench simulator — start the loopback LLM simulator (OpenAI and Anthropic protocols)

Usage:
  llm-bench simulator [--port ${SIMULATOR_DEFAULT_PORT}] [--host 127.0.0.1] [--verbose]

Models are named by their behaviour, e.g. sim-ttft80-tps150-len200 (80 ms to the first token, 150 tokens/s,
200 tokens) or sim-careful (a realistic tool caller); see src/simulator/README.md. Any non-empty API key works.
Serves until Ctrl+C.
`;

/**
 * For a local run whose config calls the simulator at its default address: when nothing answers there, start one
 * in this process for the run, so `llm-bench init && llm-bench run` works with no second terminal. Returns the
 * function that stops it (a no-op when a simulator was already running or none is needed).
 */
export async function simulatorForRun(config: CliConfig, log: (line: string) => void, port = SIMULATOR_DEFAULT_PORT): Promise<() => Promise<void>> {
  const url = `http://127.0.0.1:${port}`;
  const needed = [...config.providers.values()].some((p) => p.base_url === url || p.base_url.startsWith(`${url}/`));
  if (!needed || (await answers(url))) return async () => {};
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  try {
    sim = await startSimulator({ port, quiet: true });
  } catch {
    return async () => {}; // taken meanwhile by another process: the run reports that provider's own errors
  }
  log(`no simulator at ${url}: started one for this run (\`llm-bench simulator\` keeps one running)`);
  return () => sim.close();
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/v1/models`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

export const simulatorCommand: Command = {
  name: "simulator",
  summary: `start the LLM simulator at ${SIMULATOR_DEFAULT_URL} (no API key needed)`,
  usage: USAGE,
  async run(argv) {
    const { values } = parseOptions(argv, {
      port: { type: "string", default: String(SIMULATOR_DEFAULT_PORT) },
      host: { type: "string", default: "127.0.0.1" },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port: expected a port number, got ${values.port}`);
    let sim: Awaited<ReturnType<typeof startSimulator>>;
    try {
      sim = await startSimulator({ port, host: values.host, verbose: values.verbose, quiet: !values.verbose });
    } catch (e) {
      throw new CliError(`cannot listen on ${values.host}:${port}: ${(e as Error).message}`, EXIT.provider);
    }
    process.stdout.write(`LLM simulator listening on ${sim.url}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    setTimeout(() => process.exit(0), 2000).unref(); // open keep-alive connections must not hold the exit
    await sim.close();
    return EXIT.ok;
  },
};
