-- Analytics at scale (issue 15): the leaderboard and Pareto queries read benchmark results by owner, model and
-- value through indexes instead of joining every run and ranking every row. Each result carries its run's owner,
-- creation time and sampling parameters (copied by triggers, so every insert path is covered and a run's rows
-- can never disagree with it; deleting a run still cascades to its rows, so nothing can go stale).
ALTER TABLE `benchmark_results` ADD `user_id` text;--> statement-breakpoint
ALTER TABLE `benchmark_results` ADD `run_created_at` text;--> statement-breakpoint
ALTER TABLE `benchmark_results` ADD `params_key` text;--> statement-breakpoint
UPDATE `benchmark_results` SET
  `user_id` = (SELECT br.user_id FROM benchmark_runs br WHERE br.id = benchmark_results.run_id),
  `run_created_at` = (SELECT br.created_at FROM benchmark_runs br WHERE br.id = benchmark_results.run_id),
  `params_key` = (SELECT json_object('temperature', br.temperature, 'provider_params', json(COALESCE(json_extract(br.config_json, '$.provider_params'), '{}')))
                  FROM benchmark_runs br WHERE br.id = benchmark_results.run_id);--> statement-breakpoint
CREATE TRIGGER `benchmark_results_run_copy` AFTER INSERT ON `benchmark_results`
BEGIN
  UPDATE benchmark_results SET
    user_id = (SELECT br.user_id FROM benchmark_runs br WHERE br.id = NEW.run_id),
    run_created_at = (SELECT br.created_at FROM benchmark_runs br WHERE br.id = NEW.run_id),
    params_key = (SELECT json_object('temperature', br.temperature, 'provider_params', json(COALESCE(json_extract(br.config_json, '$.provider_params'), '{}')))
                  FROM benchmark_runs br WHERE br.id = NEW.run_id)
  WHERE id = NEW.id;
END;--> statement-breakpoint
CREATE TRIGGER `benchmark_runs_copy_to_results` AFTER UPDATE OF `user_id`, `created_at`, `temperature`, `config_json` ON `benchmark_runs`
BEGIN
  UPDATE benchmark_results SET
    user_id = NEW.user_id,
    run_created_at = NEW.created_at,
    params_key = json_object('temperature', NEW.temperature, 'provider_params', json(COALESCE(json_extract(NEW.config_json, '$.provider_params'), '{}')))
  WHERE run_id = NEW.id;
END;--> statement-breakpoint
CREATE INDEX `benchmark_results_owner_tier_idx` ON `benchmark_results` (`user_id`,`provider_key`,`model_id`,`context_tokens`,`run_created_at`,`run_number`,`success`,`run_id`,`cost_usd`,`provider_name`,`model_name`);--> statement-breakpoint
CREATE INDEX `benchmark_results_owner_params_idx` ON `benchmark_results` (`user_id`,`provider_key`,`model_id`,`params_key`,`run_created_at`,`run_number`,`success`,`run_id`,`cost_usd`,`provider_name`,`model_name`);--> statement-breakpoint
CREATE INDEX `benchmark_results_ttft_rank_idx` ON `benchmark_results` (`user_id`,`provider_key`,`model_id`,`context_tokens`,`ttft_ms`,`run_created_at`) WHERE run_number >= 1 AND success = 1 AND ttft_ms IS NOT NULL;--> statement-breakpoint
CREATE INDEX `benchmark_results_speed_rank_idx` ON `benchmark_results` (`user_id`,`provider_key`,`model_id`,`context_tokens`,`output_speed_tps`,`run_created_at`) WHERE run_number >= 1 AND success = 1 AND output_speed_tps IS NOT NULL;--> statement-breakpoint
CREATE INDEX `benchmark_results_e2e_rank_idx` ON `benchmark_results` (`user_id`,`provider_key`,`model_id`,`context_tokens`,`e2e_tps`,`run_created_at`) WHERE run_number >= 1 AND success = 1 AND e2e_tps IS NOT NULL;--> statement-breakpoint
CREATE INDEX `benchmark_results_params_speed_rank_idx` ON `benchmark_results` (`user_id`,`provider_key`,`model_id`,`params_key`,`output_speed_tps`,`run_created_at`) WHERE run_number >= 1 AND success = 1 AND output_speed_tps IS NOT NULL;--> statement-breakpoint
-- Tool-eval results keep the provider's usage, its cost at the model's price when the case ran, and what served it
-- (model version, system_fingerprint): a scheduled eval's regression check names a price change or a new build.
ALTER TABLE `tool_eval_results` ADD `input_tokens` integer;--> statement-breakpoint
ALTER TABLE `tool_eval_results` ADD `output_tokens` integer;--> statement-breakpoint
ALTER TABLE `tool_eval_results` ADD `cost_usd` real;--> statement-breakpoint
ALTER TABLE `tool_eval_results` ADD `served_model` text;--> statement-breakpoint
ALTER TABLE `tool_eval_results` ADD `system_fingerprint` text;--> statement-breakpoint
-- Earlier rows: usage and served-by from the stored raw reply (single-turn cases; a multi-turn case's first round
-- says what served it). Their cost stays unknown: the price they ran at was not kept.
UPDATE `tool_eval_results` SET
  `input_tokens` = CASE WHEN json_extract(raw_response_json, '$.rounds') IS NULL
    THEN COALESCE(json_extract(raw_response_json, '$.usage.prompt_tokens'), json_extract(raw_response_json, '$.usage.input_tokens')) END,
  `output_tokens` = CASE WHEN json_extract(raw_response_json, '$.rounds') IS NULL
    THEN COALESCE(json_extract(raw_response_json, '$.usage.completion_tokens'), json_extract(raw_response_json, '$.usage.output_tokens')) END,
  `served_model` = COALESCE(json_extract(raw_response_json, '$.rounds[0].model'), json_extract(raw_response_json, '$.model')),
  `system_fingerprint` = COALESCE(json_extract(raw_response_json, '$.rounds[0].system_fingerprint'), json_extract(raw_response_json, '$.system_fingerprint'))
WHERE success = 1 AND json_valid(raw_response_json);
