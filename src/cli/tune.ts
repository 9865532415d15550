/**
 * `llm-bench tune [config]`: the config's `tune` section, a parameter tune on one tool eval's suite, run in this
 * process (default) or on the deployment signed in with `llm-bench login` (--remote). Prints every combo's figures
 * and the tuner's significance statement per model; exit 4 when the evidence cannot decide, and with
 * --fail-if-beaten exit 1 when a combo is significantly better than the current settings.
 */
import { TUNE_LIMITS } from "../shared/tuning/limits.ts";
import { CliError, type Command, EXIT, parseOptions, version } from "./command.ts";
import { type CliConfig, findConfig, loadConfig, type TuneSettings } from "./config.ts";
import { loadCredentials } from "./credentials.ts";
import { Deployment } from "./deployment.ts";
import { loadEvalSuite } from "./local-run.ts";
import { runTuneLocal } from "./local-tune.ts";
import { emitReport, REPORT_OPTIONS, reportFormat } from "./output.ts";
import { createProgress } from "./progress.ts";
import { runTuneRemote } from "./remote-tune.ts";
import { simulatorForRun } from "./simulator.ts";
import { decide, renderTune, type TuneOutcome, type TuneReport, tuneVerdict } from "./tune-report.ts";

const USAGE = `llm-bench tune — find the sampling settings that call your tools best, and say whether the win is real

Usage:
  llm-bench tune [config] [--remote] [--repeats N] [--seed N] [--fail-if-beaten]
                 [--format table|json|junit|markdown] [--output FILE] [--ci] [--quiet]

  config            llm-bench.yaml, llm-bench.yml or llm-bench.json in the current directory by default
  --remote          run the tune on the deployment you signed in to with llm-bench login (its Param Tuner page
                    shows it)
  --repeats <n>     repeats per case and combo (1-${TUNE_LIMITS.repeats.max}), instead of the config's
  --seed <n>        fixes the random draw, case order and held-out split, instead of the config's
  --fail-if-beaten  exit 1 when a combo is significantly better than the current settings (a nightly check
                    that your production settings are still the best)
  --format <fmt>    the report's format (default table)
  --output <file>   write the report there (the table still goes to stdout)
  --ci              plain progress lines, even on a terminal
  --quiet           no progress lines
  -h, --help        this text

The config's tune section (see llm-bench init) holds the search space and the tuner's settings, the same fields
as the app's POST /api/tool-eval/param-tune:

  tune:
    eval: smart-home                 # a tool eval's name or index (default: the first); its suite, scorer,
                                     # max_tokens, timeout, system prompt and models are used
    search_space:
      temperature: { min: 0, max: 1, step: 0.5 }
      tool_choice: [auto, required]
    strategy: grid                   # grid | random (with n_trials) | halving
    repeats: 2
    holdout_fraction: 0.25           # cases kept back to confirm the winner on
    # seed: 7
    # baseline: { temperature: 0.7 } # your current settings; default: the tool eval's

Every combo is compared with the current settings (the tool eval's temperature, tool choice and provider params
unless baseline says otherwise) on the same cases, through the same statistics module as the app: the best
combo's statement says better, not distinguishable, or insufficient evidence with how many more repeats would
decide. Locally it runs in this process with the app's tuner modules; Ctrl+C stops and reports what ran.

Exit codes: 0 decided, 1 a combo beats the current settings (--fail-if-beaten), 2 bad config or input,
3 a provider or network failure (a trial got no answer, so no verdict), 4 insufficient evidence for some model,
130 interrupted. When $GITHUB_STEP_SUMMARY is set, the Markdown report is appended to it.
`;

function intOption(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`--${name} must be a whole number from ${min} to ${max}, got ${text}`);
  return n;
}

/** The config's tune with the command line's overrides. */
function tuneOf(config: CliConfig, overrides: { repeats?: number; seed?: number }): TuneSettings {
  if (!config.tune) throw new CliError(`${config.file} has no tune section: add one (llm-bench tune --help shows an example)`);
  return {
    ...config.tune,
    ...(overrides.repeats !== undefined ? { repeats: overrides.repeats } : {}),
    ...(overrides.seed !== undefined ? { seed: overrides.seed } : {}),
  };
}

export const tuneCommand: Command = {
  name: "tune",
  summary: "tune sampling parameters on a tool eval's suite (locally or --remote); exit 4 when the evidence cannot decide",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseOptions(
      argv,
      {
        remote: { type: "boolean", default: false },
        repeats: { type: "string" },
        seed: { type: "string" },
        "fail-if-beaten": { type: "boolean", default: false },
        ...REPORT_OPTIONS,
      },
      true,
    );
    if (values.help) {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (positionals.length > 1) throw new CliError(`one config file at most, got ${positionals.join(" ")}`);
    const format = reportFormat(values.format);
    const overrides = {
      repeats: intOption("repeats", values.repeats, TUNE_LIMITS.repeats.min, TUNE_LIMITS.repeats.max),
      seed: intOption("seed", values.seed, 0, 2 ** 31 - 1),
    };

    const file = findConfig(positionals[0]);
    const config = loadConfig(file, process.env, { requireKeys: !values.remote });
    const tune = tuneOf(config, overrides);
    const deployment = values.remote ? new Deployment(loadCredentials()) : null;
    const suite = loadEvalSuite(config, tune.eval);

    const log = (line: string) => (values.quiet ? undefined : process.stderr.write(`${line}\n`));
    const started = Date.now();
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once("SIGINT", onSigint);
    let outcome: TuneOutcome;
    let interrupted: boolean;
    try {
      if (deployment) {
        ({ outcome, interrupted } = await runTuneRemote(config, tune, suite, deployment, controller.signal, log));
      } else {
        const progress = createProgress(process.stderr, { live: Boolean(process.stderr.isTTY) && !values.ci, quiet: values.quiet });
        const stopSimulator = await simulatorForRun(config, log);
        try {
          outcome = await runTuneLocal(config, tune, suite, progress, controller.signal);
        } finally {
          await stopSimulator();
        }
        interrupted = controller.signal.aborted;
      }
    } finally {
      process.off("SIGINT", onSigint);
    }

    const decisions = outcome.answer.targets.map((t) => decide(t, values["fail-if-beaten"]));
    const verdict = tuneVerdict(outcome, decisions, interrupted);
    const report: TuneReport = {
      llm_bench_version: version(),
      config: file,
      started_at: new Date(started).toISOString(),
      duration_ms: Date.now() - started,
      ...outcome,
      decisions,
      exit_code: verdict.code,
      verdict: verdict.text,
    };
    emitReport("tune", format, values.output, (f) => renderTune(report, f));
    if (interrupted && outcome.remote)
      process.stderr.write(`llm-bench tune: interrupted: the tune job ${outcome.remote.job_id} was cancelled on the server\n`);
    return verdict.code;
  },
};
