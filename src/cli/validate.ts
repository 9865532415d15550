/** `llm-bench validate [config]`: check a config, its suites and baseline without calling anything (no keys needed). */
import { existsSync } from "node:fs";
import { CliError, type Command, EXIT, parseOptions } from "./command.ts";
import { findConfig, loadConfig } from "./config.ts";
import { loadSuites } from "./local-run.ts";
import { InputError } from "./score.ts";
import { loadBaseline } from "./verdicts.ts";

const USAGE = `llm-bench validate — check a config without running it

Usage:
  llm-bench validate [config]

Checks every field (exit 2 naming file, line and field), loads the suites and the baseline, and lists the
environment variables the keys come from (set or not; never their values). Makes no call, needs no key.
`;

export const validateCommand: Command = {
  name: "validate",
  summary: "check a config, its suites and baseline without calling any provider",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseOptions(argv, { help: { type: "boolean", short: "h" } }, true);
    if (values.help) {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (positionals.length > 1) throw new CliError(`one config file at most, got ${positionals.join(" ")}`);
    const file = findConfig(positionals[0]);
    const config = loadConfig(file, process.env, { requireKeys: false });
    let suites: ReturnType<typeof loadSuites>;
    try {
      suites = loadSuites(config);
    } catch (e) {
      if (e instanceof InputError) throw new CliError(`tool_evals: ${e.message}`);
      throw e;
    }
    if (config.baseline && existsSync(config.baseline.file)) loadBaseline(config.baseline.file);
    const lines = [`${file}: valid`];
    lines.push(`  models: ${config.models.map((m) => `${m.provider}/${m.id}`).join(", ")}`);
    if (config.benchmark) {
      const b = config.benchmark;
      lines.push(`  benchmark: ${b.runs} runs × tiers ${b.context_tiers.join(", ")}, max_tokens ${b.max_tokens}`);
    }
    for (const [i, e] of config.toolEvals.entries())
      lines.push(`  tool eval: ${suites[i]!.name} (${suites[i]!.test_cases.length} cases, scorer ${e.scorer})`);
    lines.push(`  assertions: ${config.assertions.length}`);
    if (config.baseline) lines.push(`  baseline: ${config.baseline.file}${existsSync(config.baseline.file) ? "" : " (not there yet)"}`);
    for (const [name, p] of config.providers) {
      if (p.api_key_env) lines.push(`  key for ${name}: $${p.api_key_env} ${process.env[p.api_key_env] ? "is set" : "is NOT set (run will exit 2)"}`);
    }
    process.stdout.write(`${lines.join("\n")}\n`);
    return EXIT.ok;
  },
};
