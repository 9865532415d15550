#!/usr/bin/env node
// llm-bench: the command line for CI. One file per command in src/cli/; this file only dispatches.
//
//   llm-bench <command> [options]      llm-bench <command> --help      llm-bench --version

import { realpathSync } from "node:fs";
import { capacityCommand } from "./capacity.ts";
import { CliError, type Command, EXIT, version } from "./command.ts";
import { exportCommand } from "./export.ts";
import { historyCommand } from "./history.ts";
import { initCommand } from "./init.ts";
import { loginCommand, logoutCommand } from "./login.ts";
import { promptTuneCommand } from "./prompt-tune.ts";
import { runCommand } from "./run.ts";
import { scoreCommand } from "./score-command.ts";
import { simulatorCommand } from "./simulator.ts";
import { tuneCommand } from "./tune.ts";
import { validateCommand } from "./validate.ts";

const COMMANDS: Command[] = [
  initCommand,
  validateCommand,
  runCommand,
  tuneCommand,
  promptTuneCommand,
  simulatorCommand,
  scoreCommand,
  loginCommand,
  logoutCommand,
  historyCommand,
  exportCommand,
  capacityCommand,
];

function usage(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return `llm-bench — benchmark LLM speed and tool calling from a config file, and gate CI on the results

Usage:
  llm-bench <command> [options]
  llm-bench <command> --help
  llm-bench --version

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join("\n")}

Try it with no API key:
  llm-bench init          writes llm-bench.yaml (the local simulator as provider)
  llm-bench run           starts the simulator at http://127.0.0.1:18787 for the run if none is up
  llm-bench tune          the config's tune section: the best sampling settings, with their significance

On your deployment (a CLI token from Settings → CLI tokens):
  llm-bench login https://bench.example.com
  llm-bench run --remote  results land in the deployment's history
  llm-bench tune --remote the tune lands on the deployment's Param Tuner page
  llm-bench prompt-tune   the config's prompt_tune section, on the deployment (its Prompt Tuner page)
  llm-bench history       llm-bench export <run_id>
  llm-bench capacity --model local_simulator/MODEL --slo-ttft-ms 2000 --slo-itl-ms 50

Exit codes: 0 passed, 1 an assertion failed, 2 bad input or config (or a refused CLI token), 3 provider, network
or internal failure, 4 insufficient evidence (a baseline gate or a tune could not decide).
`;
}

export async function dispatch(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    const out = first === undefined ? process.stderr : process.stdout;
    out.write(usage());
    return first === undefined ? EXIT.input : EXIT.ok;
  }
  if (first === "-v" || first === "--version") {
    process.stdout.write(`llm-bench ${version()}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) {
    process.stderr.write(`llm-bench: unknown command ${first}\nRun llm-bench --help for the commands.\n`);
    return EXIT.input;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`llm-bench ${command.name}: ${e.message}\n`);
      return e.code;
    }
    const detail = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
    process.stderr.write(`llm-bench ${command.name}: internal error: ${detail}\nPlease report this with the command line and config.\n`);
    return EXIT.provider;
  }
}

// Run when executed directly, also through an npm `bin` symlink (compare real paths).
const isMain = ((): boolean => {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(import.meta.filename);
  } catch {
    return false;
  }
})();
if (isMain) {
  process.exitCode = await dispatch(process.argv.slice(2));
}
