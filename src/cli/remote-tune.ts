/**
 * `llm-bench tune --remote`: the tune submitted to the deployment (POST /api/tool-eval/param-tune) on the tool
 * eval's suite, imported once and reused as `run --remote` does, followed over the WebSocket with a line per
 * finished combo, then read back (GET …/history/{id}) for the deployment's own answer and significance. The tune
 * lands on the deployment's Param Tuner page like any other.
 */
import type { Suite } from "../shared/scoring/suite.ts";
import type { TuneAnswer } from "../worker/param-tune/answer.ts";
import type { TuneConfig } from "../worker/param-tune/config.ts";
import { CliError, EXIT } from "./command.ts";
import type { CliConfig, TuneSettings } from "./config.ts";
import type { Deployment } from "./deployment.ts";
import { JobFollower } from "./follow.ts";
import { tuneModels } from "./local-tune.ts";
import { resolveTargets, suiteOnDeployment } from "./remote-run.ts";
import type { TuneOutcome } from "./tune-report.ts";

interface Submitted {
  job_id: string;
  tune_id: string;
  seed: number;
  strategy: string;
  total_combos: number;
  planned_trials: number;
  grid_trials: number;
  search_cases: number;
  holdout_cases: number;
}

interface StoredTune {
  status: string;
  completed_at: string | null;
  seed: number;
  repeats: number;
  strategy: string;
  config: TuneConfig;
  answer: TuneAnswer;
}

const score = (x: unknown) => (typeof x === "number" ? x.toFixed(3) : "–");

export async function runTuneRemote(
  config: CliConfig,
  t: TuneSettings,
  suite: Suite,
  api: Deployment,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<{ outcome: TuneOutcome; interrupted: boolean }> {
  const models = tuneModels(config, t);
  // Only the tune's models (and their providers) need to exist on the deployment.
  const targets = await resolveTargets({ ...config, models }, api, log);
  const suiteId = await suiteOnDeployment(api, suite);
  const { eval: _eval, models: _models, per_model_search_spaces: perModel, ...settings } = t;
  // Per-model spaces are keyed by the config's model ids; the deployment may know a model under a prefixed id.
  const remapped = perModel
    ? Object.fromEntries(
        Object.entries(perModel).map(([key, space]) => {
          const m = models.find((x) => x.id === key);
          return [m ? targets.get(m)!.model_id : key, space];
        }),
      )
    : undefined;
  const follower = await JobFollower.open(api);
  let submitted: Submitted;
  let end: Awaited<ReturnType<JobFollower["follow"]>>;
  try {
    submitted = await api.json<Submitted>("/api/tool-eval/param-tune", {
      body: {
        ...settings,
        ...(remapped ? { per_model_search_spaces: remapped } : {}),
        suite_id: suiteId,
        targets: models.map((m) => targets.get(m)!),
      },
    });
    log(
      `tune ${submitted.tune_id} submitted (job ${submitted.job_id}): ${submitted.total_combos} combos, about ${submitted.planned_trials} trials (the grid would take ${submitted.grid_trials}), seed ${submitted.seed}`,
    );
    end = await follower.follow(
      submitted.job_id,
      (e) => {
        if (e.type === "combo_result") {
          const d = e.data as Record<string, unknown>;
          log(
            `tune ${String(d.model_id)}: ${String(d.label)} (${String(d.stage)}): score ${score(d.overall_score)}, ${String(d.cases_passed)}/${String(d.cases_run)} passed${d.errors ? `, ${String(d.errors)} errors` : ""}`,
          );
        }
      },
      signal,
    );
  } finally {
    follower.close();
  }
  if (!signal.aborted && (end === "failed" || end === "interrupted"))
    throw new CliError(`the tune job ${submitted.job_id} ${end} on the server`, EXIT.provider);
  if (!signal.aborted && end === "cancelled")
    throw new CliError(`the tune job ${submitted.job_id} was cancelled on the deployment (not from here), so no verdict`, EXIT.provider);

  const stored = await api.settled<StoredTune>(`/api/tool-eval/param-tune/history/${encodeURIComponent(submitted.tune_id)}`);
  const errors = stored.answer.targets.flatMap((x) =>
    x.combos.flatMap((c) =>
      c.errors
        ? [
            {
              model_id: x.model_id,
              combo: c.label,
              case_id: null,
              trials: c.errors,
              message: `${c.errors} trials got no answer (the tune's page on the deployment shows why)`,
            },
          ]
        : [],
    ),
  );
  return {
    interrupted: signal.aborted,
    outcome: {
      mode: "remote",
      suite_name: suite.name,
      strategy: stored.strategy,
      seed: stored.seed,
      repeats: stored.repeats,
      search_cases: stored.config.search_cases.length,
      holdout_cases: stored.config.holdout_cases.length,
      planned_trials: submitted.planned_trials,
      grid_trials: stored.config.grid_trials,
      trials_run: stored.answer.trials_run,
      answer: stored.answer,
      provider_errors: errors,
      remote: { url: api.url, tune_id: submitted.tune_id, job_id: submitted.job_id, status: stored.status },
    },
  };
}
