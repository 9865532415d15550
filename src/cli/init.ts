/** `llm-bench init`: a commented example config (and a small suite) that runs against the local simulator. */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CliError, type Command, EXIT, parseOptions } from "./command.ts";
import { SIMULATOR_DEFAULT_URL } from "./simulator.ts";

export const EXAMPLE_SUITE_FILE = "llm-bench-suite.json";

export function exampleConfig(simulatorUrl = SIMULATOR_DEFAULT_URL): string {
  return `# llm-bench config: run with \`llm-bench run\` (it starts the simulator for the run when none is running).
# JSON with the same fields works too. Exit codes: 0 pass, 1 an assertion failed, 2 bad config,
# 3 provider or network failure, 4 insufficient evidence (baseline gates).

providers:
  # A name of your choice → how to reach it. Keys are NEVER written here: api_key_env names the
  # environment variable that holds the key (e.g. api_key_env: OPENAI_API_KEY).
  simulator:
    api: openai                      # openai (chat completions) | anthropic (messages)
    base_url: ${simulatorUrl}/v1
    # the simulator takes any key, so this one needs no api_key_env

models:
  # Simulator model names say how they behave: 80 ms to the first token, 150 tokens/s, 200 tokens.
  - provider: simulator
    id: sim-ttft80-tps150-len200
    name: Fast (simulated)
  - provider: simulator
    id: sim-careful                  # a realistic tool caller
    # input_cost_per_mtok: 1.0       # prices per 1M tokens (built-in list prices are used when omitted)
    # output_cost_per_mtok: 4.0
    # context_window: 128000

# The speed benchmark: the same fields as the app's benchmark request (POST /api/benchmark).
benchmark:
  prompt: Explain the concept of recursion in programming, with a short example.
  context_tiers: [0, 1000]           # extra context tokens in front of the prompt
  runs: 3                            # measured runs per model and tier
  max_tokens: 256
  temperature: 0.7
  warmup: true                       # one unmeasured call per model first
  # provider_params: { top_p: 0.9, seed: 7 }

# Tool-calling evals: a suite in the original Benchmark Studio format or a BFCL file,
# with the same fields as the app's tool-eval request (POST /api/tool-eval).
tool_evals:
  - suite: ${EXAMPLE_SUITE_FILE}
    scorer: classic                  # classic | bfcl | partial
    # tool_choice: required          # default: auto when some case expects no call, else required
    # system_prompt: You are a home assistant. Call exactly one tool.
    models: [sim-careful]            # default: every model

# Each assertion is checked per model (and per tier for speed); any failure exits 1.
# Metrics: ttft_p50_ms, ttft_p95_ms, output_tps_p50, cost_per_run (USD), score (0..1).
assertions:
  - assert: ttft_p50_ms < 2000
  - assert: output_tps_p50 > 20
    model: sim-ttft80-tps150-len200
  - assert: score >= 0.5
  # - assert: cost_per_run < 0.01

# The parameter tuner (\`llm-bench tune\`): which sampling settings call the tools best. Every combo runs the
# tool eval's cases and is compared with its current settings (temperature, tool_choice) by the app's statistics;
# exit 4 when there are too few cases to tell. The same fields as the app's POST /api/tool-eval/param-tune.
tune:
  eval: 0                            # the tool eval (its name or index) whose suite, scorer and models it uses
  search_space:
    temperature: [0, 0.5, 1]
    tool_choice: [auto, required]
  strategy: grid                     # grid | random (with n_trials) | halving
  repeats: 1                         # more repeats per case: surer verdicts, more calls
  # holdout_fraction: 0.25           # cases kept back to confirm the winner on
  # seed: 7                          # fixes the case order and split, to repeat a tune

# Baseline gates: compare with an earlier \`llm-bench run --format json --output baseline.json\`.
# baseline:
#   file: baseline.json
#   max_drop: 5                      # tool-eval score points (0-100)
#   ttft_p95_increase_pct: 20
`;
}

/** A few smart-home cases in the original's suite format ({name, tools, test_cases}). */
export function exampleSuite(): string {
  const fn = (name: string, description: string, properties: Record<string, unknown>, required: string[]) => ({
    type: "function",
    function: { name, description, parameters: { type: "object", properties, required } },
  });
  const suite = {
    name: "Smart home (example)",
    description: "Which tool, with which arguments, for a few household requests.",
    tools: [
      fn("get_weather", "Get the current weather for a city", { city: { type: "string", description: "City name" } }, ["city"]),
      fn("set_timer", "Start a countdown timer", { minutes: { type: "integer", description: "Length in minutes" } }, ["minutes"]),
      fn(
        "control_lights",
        "Turn the lights in a room on or off",
        { room: { type: "string", description: "Room name" }, state: { type: "string", enum: ["on", "off"] } },
        ["room", "state"],
      ),
    ],
    test_cases: [
      { prompt: "What's the weather like in Paris right now?", expected_tool: "get_weather", expected_params: { city: "Paris" } },
      { prompt: "Set a timer for 10 minutes.", expected_tool: "set_timer", expected_params: { minutes: 10 } },
      { prompt: "Turn off the lights in the kitchen.", expected_tool: "control_lights", expected_params: { room: "kitchen", state: "off" } },
      { prompt: "Switch the bedroom lights on, please.", expected_tool: "control_lights", expected_params: { room: "bedroom", state: "on" } },
    ],
  };
  return `${JSON.stringify(suite, null, 2)}\n`;
}

const USAGE = `llm-bench init — write an example config (and suite) that runs against the local simulator

Usage:
  llm-bench init [--dir .] [--force]

Writes llm-bench.yaml and ${EXAMPLE_SUITE_FILE}. Existing files are kept unless --force is given.
Then: \`llm-bench run\` (it starts the simulator for the run when none answers at its default address;
\`llm-bench simulator\` keeps one running), and \`llm-bench tune\` for the tune section.
`;

export const initCommand: Command = {
  name: "init",
  summary: "write a commented example llm-bench.yaml (simulator provider, assertions)",
  usage: USAGE,
  async run(argv) {
    const { values } = parseOptions(argv, {
      dir: { type: "string", default: "." },
      force: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    const files = [
      [path.join(values.dir, "llm-bench.yaml"), exampleConfig()],
      [path.join(values.dir, EXAMPLE_SUITE_FILE), exampleSuite()],
    ] as const;
    const present = files.filter(([f]) => existsSync(f)).map(([f]) => f);
    if (present.length && !values.force) throw new CliError(`${present.join(" and ")} already exist (use --force to overwrite)`);
    for (const [f, text] of files) {
      try {
        writeFileSync(f, text);
      } catch (e) {
        throw new CliError(`cannot write ${f}: ${(e as Error).message}`);
      }
      process.stdout.write(`wrote ${f}\n`);
    }
    process.stdout.write("next: llm-bench run   (it starts the simulator for the run; `llm-bench simulator` keeps one running)\n");
    return EXIT.ok;
  },
};
