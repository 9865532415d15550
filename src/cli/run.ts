/**
 * `llm-bench run [config]`: run the config's benchmark and tool evals — in this process (local mode, the default)
 * or on the deployment signed in with `llm-bench login` (--remote) — then report and decide the exit code. Both
 * modes produce the same RunResults, so the same assertions and gates decide.
 */
import { CliError, type Command, EXIT, parseOptions, version } from "./command.ts";
import { findConfig, loadConfig } from "./config.ts";
import { loadCredentials } from "./credentials.ts";
import { Deployment } from "./deployment.ts";
import { loadSuites, type RunResults, runBenchmark, runToolEval } from "./local-run.ts";
import { emitReport, REPORT_OPTIONS, reportFormat } from "./output.ts";
import { createProgress } from "./progress.ts";
import { type RemoteRun, runRemote } from "./remote-run.ts";
import { type Report, render } from "./report.ts";
import { simulatorForRun } from "./simulator.ts";
import { checkAssertions, checkGates, type GateResult, loadBaseline } from "./verdicts.ts";

const USAGE = `llm-bench run — run the config's speed benchmark and tool evals locally, check its assertions

Usage:
  llm-bench run [config] [--remote] [--format table|json|junit|markdown] [--output FILE] [--ci] [--quiet]

  config            llm-bench.yaml, llm-bench.yml or llm-bench.json in the current directory by default
  --remote          run on the deployment you signed in to with llm-bench login (results land in its history)
  --format <fmt>    the report's format (default table); json can serve as a later run's baseline
  --output <file>   write the report there (the table still goes to stdout)
  --ci              plain progress lines, even on a terminal (also when stderr is not a terminal)
  --quiet           no progress lines
  -h, --help        this text

Locally it runs in this process with the same engine modules as the app (no server needed). With --remote the
config is submitted to the deployment through its API (its providers are matched by provider key = the config's
provider name, or by base URL, and use the keys stored there; missing models are added; each tool eval's suite is
imported), followed live, and the assertions are checked on the results it stored. Ctrl+C cancels the job on the
server. Progress goes to stderr, the report to stdout. When $GITHUB_STEP_SUMMARY is set, the Markdown report is
appended to it.

Exit codes: 0 passed, 1 an assertion or baseline gate failed, 2 bad config or input, 3 a provider or network
failure (some call failed, or the deployment cannot be reached: no verdict), 4 insufficient evidence (a baseline
gate could not decide), 130 interrupted (Ctrl+C; locally what was measured so far is reported, remotely the job
is cancelled on the server). With --remote, a refused (revoked or expired) CLI token is exit 2.
`;

function verdictOf(results: RunResults, failedAssertions: number, gates: GateResult[]): { code: number; text: string } {
  const speedFailures = results.speed.reduce((n, s) => n + s.failures, 0);
  const evalFailures = results.evals.reduce((n, e) => n + e.provider_errors, 0);
  const failedGates = gates.filter((g) => g.outcome === "fail").length;
  const undecided = gates.filter((g) => g.outcome === "insufficient_evidence");
  if (speedFailures + evalFailures > 0) {
    return { code: EXIT.provider, text: `PROVIDER FAILURE: ${speedFailures} benchmark runs and ${evalFailures} eval cases failed to get an answer` };
  }
  if (failedAssertions + failedGates > 0)
    return { code: EXIT.failed, text: `FAILED: ${failedAssertions} assertions and ${failedGates} baseline gates failed` };
  if (undecided.length) {
    const more = Math.max(0, ...undecided.map((g) => g.more_repeats_needed ?? 0));
    return {
      code: EXIT.insufficient,
      text: `INSUFFICIENT EVIDENCE: ${undecided.length} baseline gates could not decide${more ? ` (about ${more} more repeats would)` : ""}`,
    };
  }
  return { code: EXIT.ok, text: "PASSED" };
}

export const runCommand: Command = {
  name: "run",
  summary: "run the config's benchmark and tool evals (locally, or --remote on your deployment); exit 1 when an assertion fails",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseOptions(
      argv,
      {
        remote: { type: "boolean", default: false },
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

    const file = findConfig(positionals[0]);
    // Remote runs use the keys stored on the deployment, so the key variables need not be set here.
    const config = loadConfig(file, process.env, { requireKeys: !values.remote });
    const deployment = values.remote ? new Deployment(loadCredentials()) : null;
    const suites = loadSuites(config);
    const baseline = config.baseline ? loadBaseline(config.baseline.file) : null;

    const started = Date.now();
    const progress = createProgress(process.stderr, { live: Boolean(process.stderr.isTTY) && !values.ci, quiet: values.quiet });
    // Ctrl+C stops the calls in flight and reports what was measured so far.
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once("SIGINT", onSigint);
    let results: RunResults;
    let remoteRuns: RemoteRun[] = [];
    try {
      if (deployment) {
        const log = (line: string) => (values.quiet ? undefined : process.stderr.write(`${line}\n`));
        ({ results, runs: remoteRuns } = await runRemote(config, suites, deployment, progress, controller.signal, log));
      } else {
        const stopSimulator = await simulatorForRun(config, (line) => (values.quiet ? undefined : process.stderr.write(`${line}\n`)));
        try {
          results = { speed: await runBenchmark(config, progress, controller.signal), evals: [] };
          for (const [i, e] of config.toolEvals.entries())
            results.evals.push(...(await runToolEval(config, e, suites[i]!, progress, controller.signal)));
        } finally {
          await stopSimulator();
        }
      }
    } finally {
      process.off("SIGINT", onSigint);
    }

    const assertions = checkAssertions(config.assertions, results);
    const gates = baseline && config.baseline ? checkGates(config.baseline, baseline, results) : [];
    const verdict = verdictOf(results, assertions.filter((a) => !a.passed).length, gates);
    const report: Report = {
      llm_bench_version: version(),
      config: file,
      started_at: new Date(started).toISOString(),
      duration_ms: Date.now() - started,
      results,
      assertions,
      gates,
      exit_code: verdict.code,
      verdict: verdict.text,
      ...(deployment ? { remote: { url: deployment.url, runs: remoteRuns } } : {}),
    };

    emitReport("run", format, values.output, (f) => render(report, f));
    const failures = [
      ...results.speed.flatMap((s) => s.errors.map((e) => `${s.model_name} tier ${s.tier}: ${e.cls}: ${e.message}`)),
      ...results.evals.flatMap((e) => e.results.filter((c) => c.provider_error).map((c) => `${e.model_name} ${e.eval} ${c.case_id}: ${c.error}`)),
    ];
    if (failures.length) {
      const shown = [...new Set(failures)].slice(0, 10);
      process.stderr.write(`llm-bench run: provider failures:\n${shown.map((f) => `  ${f}`).join("\n")}\n`);
    }
    return verdict.code;
  },
};
