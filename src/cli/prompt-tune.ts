/**
 * `llm-bench prompt-tune [config]`: the config's `prompt_tune` section run on the deployment signed in with
 * `llm-bench login` (the prompt tuner's generations build on each other through the job runtime's storage, so it
 * runs there, not in this process). Imports the tool eval's suite as `run --remote` does, submits
 * POST /api/tool-eval/prompt-tune, prints a line per generation and per evaluated prompt, then reports the stored
 * answer: every prompt's score, the best prompt against the base prompt with the statistics module's statement, and
 * the held-out check.
 */
import type { PromptTuneAnswer } from "../shared/tuning/prompt-tune-answer.ts";
import { CliError, type Command, EXIT, parseOptions, version } from "./command.ts";
import { findConfig, loadConfig } from "./config.ts";
import { loadCredentials } from "./credentials.ts";
import { Deployment } from "./deployment.ts";
import { JobFollower } from "./follow.ts";
import { loadEvalSuite } from "./local-run.ts";
import { emitReport, REPORT_OPTIONS, reportFormat } from "./output.ts";
import { type PromptTuneReport, promptTuneVerdict, renderPromptTune } from "./prompt-tune-report.ts";
import { resolveTargets, suiteOnDeployment } from "./remote-run.ts";

const USAGE = `llm-bench prompt-tune — let a model write system prompts for your tools, and say whether the best beats yours

Usage:
  llm-bench prompt-tune [config] [--fail-if-beaten] [--format table|json|junit|markdown] [--output FILE] [--quiet]

  config            llm-bench.yaml, llm-bench.yml or llm-bench.json in the current directory by default
  --fail-if-beaten  exit 1 when a written prompt is significantly better than the base prompt
  --format <fmt>    the report's format (default table)
  --output <file>   write the report there (the table still goes to stdout)
  --ci              plain progress lines (the default; kept for symmetry with run)
  --quiet           no progress lines
  -h, --help        this text

The config's prompt_tune section has the fields of the app's POST /api/tool-eval/prompt-tune:

  prompt_tune:
    eval: home                       # a tool eval's name or index (default: the first): its suite, scorer,
                                     # max_tokens, timeout and models; its system_prompt is the base prompt
    meta_model: sim-writer           # a model id of models: the model that writes the prompts
    mode: evolutionary               # quick: one generation; evolutionary: survivors are mutated
    config: { population_size: 5, generations: 3 }
    holdout_fraction: 0.2

It runs on the deployment you signed in to with llm-bench login (LLM_BENCH_URL and LLM_BENCH_TOKEN in CI),
with the keys stored there; the tune is on its Prompt Tuner page. Ctrl+C cancels it on the server.

Exit codes: 0 decided, 1 a prompt beats the base prompt (--fail-if-beaten), 2 bad config or not logged in,
3 a provider or network failure, or the job failed there, 4 insufficient evidence, 130 interrupted.
`;

interface Submitted {
  job_id: string;
  tune_id: string;
  mode: string;
  generations: number;
  population_size: number;
  total_eval_calls: number;
  search_cases: number;
  holdout_cases: number;
}

interface StoredPromptTune {
  status: string;
  mode: string;
  suite_name: string;
  completed_at: string | null;
  answer: PromptTuneAnswer;
}

export const promptTuneCommand: Command = {
  name: "prompt-tune",
  summary: "let a model write system prompts on your deployment; exit 4 when the best cannot be told from yours",
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseOptions(argv, { "fail-if-beaten": { type: "boolean", default: false }, ...REPORT_OPTIONS }, true);
    if (values.help) {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (positionals.length > 1) throw new CliError(`one config file at most, got ${positionals.join(" ")}`);
    const format = reportFormat(values.format);
    const file = findConfig(positionals[0]);
    const config = loadConfig(file, process.env, { requireKeys: false });
    const t = config.promptTune;
    if (!t) throw new CliError(`${config.file} has no prompt_tune section: add one (llm-bench prompt-tune --help shows an example)`);
    const suite = loadEvalSuite(config, t.eval);
    const api = new Deployment(loadCredentials());
    const log = (line: string) => (values.quiet ? undefined : process.stderr.write(`${line}\n`));

    // The tuned models and the meta-model must exist on the deployment (missing models are added, as run --remote does).
    const wanted = config.models.filter((m) => t.models.includes(m.id) || m.id === t.meta_model);
    const targets = await resolveTargets({ ...config, models: wanted }, api, log);
    const ref = (id: string) => {
      const m = wanted.find((x) => x.id === id)!;
      return targets.get(m)!;
    };
    const meta = ref(t.meta_model);
    const suiteId = await suiteOnDeployment(api, suite);
    const { eval: _eval, models: _models, meta_model: _meta, ...settings } = t;

    const started = Date.now();
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once("SIGINT", onSigint);
    const follower = await JobFollower.open(api);
    let submitted: Submitted;
    let end: Awaited<ReturnType<JobFollower["follow"]>>;
    try {
      submitted = await api.json<Submitted>("/api/tool-eval/prompt-tune", {
        body: {
          ...settings,
          suite_id: suiteId,
          target_targets: t.models.map(ref),
          meta_model: `${meta.provider_key}::${meta.model_id}`,
        },
      });
      log(
        `prompt tune ${submitted.tune_id} submitted (job ${submitted.job_id}): ${submitted.mode}, ${submitted.generations} generation${submitted.generations === 1 ? "" : "s"} of ${submitted.population_size} prompts, about ${submitted.total_eval_calls} evaluation calls`,
      );
      end = await follower.follow(
        submitted.job_id,
        (e) => {
          if (e.type === "generation_start")
            log(`prompt tune: generation ${e.generation}/${e.total_generations}: writing ${e.population_size} prompts`);
          else if (e.type === "generation_error") log(`prompt tune: generation ${e.generation}: ${e.message}`);
          else if (e.type === "prompt_eval_result")
            log(`prompt tune ${e.model_id}: ${e.candidate} (${e.stage}): score ${e.overall_score.toFixed(3)} on ${e.cases} cases`);
          else if (e.type === "generation_complete")
            log(`prompt tune: generation ${e.generation} done: best ${e.best_score === null ? "–" : e.best_score.toFixed(3)}`);
        },
        controller.signal,
      );
    } finally {
      process.off("SIGINT", onSigint);
      follower.close();
    }
    const interrupted = controller.signal.aborted;
    if (!interrupted && (end === "failed" || end === "interrupted"))
      throw new CliError(`the prompt tune job ${submitted.job_id} ${end} on the server`, EXIT.provider);
    if (!interrupted && end === "cancelled")
      throw new CliError(`the prompt tune job ${submitted.job_id} was cancelled on the deployment (not from here), so no verdict`, EXIT.provider);

    const stored = await api.settled<StoredPromptTune>(`/api/tool-eval/prompt-tune/history/${encodeURIComponent(submitted.tune_id)}`);
    const decided = promptTuneVerdict(stored.answer, values["fail-if-beaten"]);
    const verdict = interrupted
      ? { code: EXIT.interrupted, text: `INTERRUPTED: the prompt tune was cancelled on the server (job ${submitted.job_id})` }
      : decided;
    const report: PromptTuneReport = {
      llm_bench_version: version(),
      config: file,
      started_at: new Date(started).toISOString(),
      duration_ms: Date.now() - started,
      url: api.url,
      tune_id: submitted.tune_id,
      job_id: submitted.job_id,
      status: stored.status,
      suite_name: stored.suite_name,
      mode: stored.mode,
      answer: stored.answer,
      outcome: decided.outcome,
      exit_code: verdict.code,
      verdict: verdict.text,
    };
    emitReport("prompt-tune", format, values.output, (f) => renderPromptTune(report, f));
    return verdict.code;
  },
};
