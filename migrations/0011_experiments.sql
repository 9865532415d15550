-- Experiments (issue 14, part 4): the experiments table and the experiment_id columns on tool_eval_runs,
-- param_tune_runs, prompt_tune_runs and judge_reports exist since 0000; the timeline looks runs up by experiment,
-- so the two tuner tables get the index tool_eval_runs already has.
CREATE INDEX `param_tune_runs_experiment_idx` ON `param_tune_runs` (`experiment_id`);--> statement-breakpoint
CREATE INDEX `prompt_tune_runs_experiment_idx` ON `prompt_tune_runs` (`experiment_id`);
