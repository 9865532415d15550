CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`user_id` text,
	`email` text,
	`action` text NOT NULL,
	`resource_type` text,
	`resource_id` text,
	`detail` text,
	`ip` text,
	`user_agent` text,
	`request_id` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `audit_log_created_idx` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_user_idx` ON `audit_log` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_log_action_idx` ON `audit_log` (`action`,`created_at`);--> statement-breakpoint
CREATE TABLE `benchmark_results` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`model_ref` text,
	`provider_key` text NOT NULL,
	`provider_name` text NOT NULL,
	`model_id` text NOT NULL,
	`model_name` text NOT NULL,
	`context_tokens` integer DEFAULT 0 NOT NULL,
	`run_number` integer NOT NULL,
	`success` integer NOT NULL,
	`ttfb_ms` real,
	`ttft_ms` real,
	`ttfa_ms` real,
	`total_ms` real,
	`output_tokens` integer,
	`input_tokens` integer,
	`token_source` text,
	`output_speed_tps` real,
	`e2e_tps` real,
	`itl_ms` real,
	`prefill_tps` real,
	`cost_usd` real,
	`error_class` text,
	`error` text,
	`timings_json` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `benchmark_runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`model_ref`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "benchmark_results_error_ck" CHECK("benchmark_results"."error_class" IS NULL OR error_class IN ('timeout', 'rate_limited', 'auth', 'bad_request', 'server', 'network', 'malformed_stream', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `benchmark_results_run_uq` ON `benchmark_results` (`run_id`,`provider_key`,`model_id`,`context_tokens`,`run_number`);--> statement-breakpoint
CREATE INDEX `benchmark_results_model_idx` ON `benchmark_results` (`model_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `benchmark_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`job_id` text,
	`schedule_id` text,
	`source` text DEFAULT 'manual' NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`prompt` text NOT NULL,
	`max_tokens` integer NOT NULL,
	`temperature` real,
	`runs` integer DEFAULT 1 NOT NULL,
	`warmup` integer DEFAULT true NOT NULL,
	`context_tiers` text NOT NULL,
	`config_json` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`schedule_id`) REFERENCES `schedules`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "benchmark_runs_status_ck" CHECK(status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted')),
	CONSTRAINT "benchmark_runs_source_ck" CHECK(source IN ('manual', 'schedule', 'rerun', 'api'))
);
--> statement-breakpoint
CREATE INDEX `benchmark_runs_user_created_idx` ON `benchmark_runs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`suite_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`suite_snapshot_json` text,
	`baseline_eval_id` text,
	`baseline_score` real,
	`best_score` real,
	`best_source` text,
	`best_source_id` text,
	`best_config_json` text,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`suite_id`) REFERENCES `tool_suites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`baseline_eval_id`) REFERENCES `tool_eval_runs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "experiments_status_ck" CHECK(status IN ('active', 'archived')),
	CONSTRAINT "experiments_best_source_ck" CHECK("experiments"."best_source" IS NULL OR best_source IN ('eval', 'param_tune', 'prompt_tune'))
);
--> statement-breakpoint
CREATE INDEX `experiments_user_status_idx` ON `experiments` (`user_id`,`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `experiments_suite_idx` ON `experiments` (`suite_id`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`job_type` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`progress_pct` integer DEFAULT 0 NOT NULL,
	`progress_detail` text DEFAULT '' NOT NULL,
	`params_json` text DEFAULT '{}' NOT NULL,
	`result_ref` text,
	`result_type` text,
	`error_class` text,
	`error_msg` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`started_at` text,
	`completed_at` text,
	`timeout_at` text,
	`timeout_seconds` integer DEFAULT 7200 NOT NULL,
	`last_progress_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "jobs_type_ck" CHECK(job_type IN ('benchmark', 'tool_eval', 'param_tune', 'prompt_tune', 'judge', 'judge_compare', 'scheduled_benchmark')),
	CONSTRAINT "jobs_status_ck" CHECK(status IN ('pending', 'queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
	CONSTRAINT "jobs_progress_ck" CHECK("jobs"."progress_pct" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE INDEX `jobs_user_created_idx` ON `jobs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `jobs_user_status_idx` ON `jobs` (`user_id`,`status`);--> statement-breakpoint
CREATE INDEX `jobs_status_timeout_idx` ON `jobs` (`status`,`timeout_at`);--> statement-breakpoint
CREATE TABLE `judge_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`eval_run_id` text,
	`eval_run_id_b` text,
	`job_id` text,
	`experiment_id` text,
	`parent_report_id` text,
	`version` integer DEFAULT 1 NOT NULL,
	`judge_provider_key` text NOT NULL,
	`judge_model_id` text NOT NULL,
	`mode` text NOT NULL,
	`custom_instructions` text,
	`report_json` text,
	`overall_grade` text,
	`overall_score` real,
	`status` text DEFAULT 'running' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`eval_run_id`) REFERENCES `tool_eval_runs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`eval_run_id_b`) REFERENCES `tool_eval_runs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`parent_report_id`) REFERENCES `judge_reports`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "judge_reports_mode_ck" CHECK(mode IN ('post_eval', 'live_inline', 'comparative')),
	CONSTRAINT "judge_reports_status_ck" CHECK(status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted'))
);
--> statement-breakpoint
CREATE INDEX `judge_reports_user_created_idx` ON `judge_reports` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `judge_reports_eval_idx` ON `judge_reports` (`eval_run_id`);--> statement-breakpoint
CREATE TABLE `judge_verdicts` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`eval_result_id` text,
	`quality_score` integer,
	`verdict` text,
	`summary` text,
	`reasoning` text,
	`tool_selection_assessment` text,
	`param_assessment` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `judge_reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`eval_result_id`) REFERENCES `tool_eval_results`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "judge_verdicts_quality_ck" CHECK("judge_verdicts"."quality_score" IS NULL OR "judge_verdicts"."quality_score" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE INDEX `judge_verdicts_report_idx` ON `judge_verdicts` (`report_id`);--> statement-breakpoint
CREATE TABLE `login_attempts` (
	`ip` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`window_started_at` text NOT NULL,
	`locked_until` text
);
--> statement-breakpoint
CREATE TABLE `models` (
	`id` text PRIMARY KEY NOT NULL,
	`provider_id` text NOT NULL,
	`model_id` text NOT NULL,
	`display_name` text NOT NULL,
	`context_window` integer DEFAULT 128000 NOT NULL,
	`max_output_tokens` integer,
	`skip_params` text DEFAULT '[]' NOT NULL,
	`input_cost_per_mtok` real,
	`output_cost_per_mtok` real,
	`system_prompt` text,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "models_context_ck" CHECK("models"."context_window" BETWEEN 1 AND 10000000),
	CONSTRAINT "models_prices_ck" CHECK(coalesce("models"."input_cost_per_mtok", 0) >= 0 AND coalesce("models"."output_cost_per_mtok", 0) >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `models_provider_model_uq` ON `models` (`provider_id`,`model_id`);--> statement-breakpoint
CREATE TABLE `param_tune_combos` (
	`id` text PRIMARY KEY NOT NULL,
	`tune_run_id` text NOT NULL,
	`combo_index` integer NOT NULL,
	`provider_key` text NOT NULL,
	`model_id` text NOT NULL,
	`config_json` text NOT NULL,
	`adjustments_json` text,
	`eval_run_id` text,
	`overall_score` real,
	`tool_accuracy_pct` real,
	`param_accuracy_pct` real,
	`latency_avg_ms` real,
	`cases_passed` integer,
	`cases_total` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`tune_run_id`) REFERENCES `param_tune_runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`eval_run_id`) REFERENCES `tool_eval_runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `param_tune_combos_uq` ON `param_tune_combos` (`tune_run_id`,`combo_index`,`provider_key`,`model_id`);--> statement-breakpoint
CREATE TABLE `param_tune_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`suite_id` text,
	`suite_name` text NOT NULL,
	`job_id` text,
	`experiment_id` text,
	`mode` text DEFAULT 'grid' NOT NULL,
	`search_space_json` text NOT NULL,
	`total_combos` integer NOT NULL,
	`completed_combos` integer DEFAULT 0 NOT NULL,
	`best_score` real,
	`best_config_json` text,
	`status` text DEFAULT 'running' NOT NULL,
	`duration_s` real,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`suite_id`) REFERENCES `tool_suites`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "param_tune_runs_mode_ck" CHECK(mode IN ('grid', 'random', 'bayesian')),
	CONSTRAINT "param_tune_runs_status_ck" CHECK(status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted'))
);
--> statement-breakpoint
CREATE INDEX `param_tune_runs_user_created_idx` ON `param_tune_runs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `prompt_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`key` text NOT NULL,
	`label` text NOT NULL,
	`category` text DEFAULT 'general' NOT NULL,
	`prompt` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompt_templates_user_key_uq` ON `prompt_templates` (`user_id`,`key`);--> statement-breakpoint
CREATE TABLE `prompt_tune_candidates` (
	`id` text PRIMARY KEY NOT NULL,
	`tune_run_id` text NOT NULL,
	`generation` integer NOT NULL,
	`candidate_index` integer NOT NULL,
	`prompt_text` text NOT NULL,
	`style` text,
	`parent_candidate_id` text,
	`avg_score` real,
	`survived` integer DEFAULT false NOT NULL,
	`eval_run_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`tune_run_id`) REFERENCES `prompt_tune_runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_candidate_id`) REFERENCES `prompt_tune_candidates`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`eval_run_id`) REFERENCES `tool_eval_runs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompt_tune_candidates_uq` ON `prompt_tune_candidates` (`tune_run_id`,`generation`,`candidate_index`);--> statement-breakpoint
CREATE TABLE `prompt_tune_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`suite_id` text,
	`suite_name` text NOT NULL,
	`job_id` text,
	`experiment_id` text,
	`mode` text NOT NULL,
	`meta_provider_key` text NOT NULL,
	`meta_model_id` text NOT NULL,
	`base_prompt` text,
	`config_json` text NOT NULL,
	`best_prompt` text,
	`best_score` real,
	`total_prompts` integer DEFAULT 0 NOT NULL,
	`completed_prompts` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`duration_s` real,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`suite_id`) REFERENCES `tool_suites`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "prompt_tune_runs_mode_ck" CHECK(mode IN ('quick', 'evolutionary', 'auto_optimize')),
	CONSTRAINT "prompt_tune_runs_status_ck" CHECK(status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted'))
);
--> statement-breakpoint
CREATE INDEX `prompt_tune_runs_user_created_idx` ON `prompt_tune_runs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `providers` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`provider_key` text NOT NULL,
	`display_name` text NOT NULL,
	`api_kind` text DEFAULT 'openai' NOT NULL,
	`api_base` text,
	`api_key_env` text,
	`model_id_prefix` text,
	`is_local` integer DEFAULT false NOT NULL,
	`source` text DEFAULT 'custom' NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "providers_api_kind_ck" CHECK(api_kind IN ('openai', 'anthropic')),
	CONSTRAINT "providers_source_ck" CHECK(source IN ('catalogue', 'custom', 'simulator'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `providers_user_key_uq` ON `providers` (`user_id`,`provider_key`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`user_id` text PRIMARY KEY NOT NULL,
	`benchmarks_per_hour` integer DEFAULT 20 NOT NULL,
	`max_concurrent` integer DEFAULT 1 NOT NULL,
	`max_runs_per_benchmark` integer DEFAULT 10 NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "rate_limits_per_hour_ck" CHECK("rate_limits"."benchmarks_per_hour" BETWEEN 1 AND 1000),
	CONSTRAINT "rate_limits_concurrent_ck" CHECK("rate_limits"."max_concurrent" BETWEEN 1 AND 50),
	CONSTRAINT "rate_limits_runs_ck" CHECK("rate_limits"."max_runs_per_benchmark" BETWEEN 1 AND 100)
);
--> statement-breakpoint
CREATE TABLE `refresh_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`family_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`expires_at` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`rotated_at` text,
	`revoked_at` text,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `refresh_tokens_hash_uq` ON `refresh_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_user_idx` ON `refresh_tokens` (`user_id`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_family_idx` ON `refresh_tokens` (`family_id`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_expires_idx` ON `refresh_tokens` (`expires_at`);--> statement-breakpoint
CREATE TABLE `schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`config_json` text NOT NULL,
	`interval_hours` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`last_run_at` text,
	`next_run_at` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "schedules_interval_ck" CHECK("schedules"."interval_hours" BETWEEN 1 AND 720)
);
--> statement-breakpoint
CREATE INDEX `schedules_user_idx` ON `schedules` (`user_id`);--> statement-breakpoint
CREATE INDEX `schedules_due_idx` ON `schedules` (`enabled`,`next_run_at`);--> statement-breakpoint
CREATE TABLE `tool_eval_results` (
	`id` text PRIMARY KEY NOT NULL,
	`eval_run_id` text NOT NULL,
	`test_case_id` text,
	`model_ref` text,
	`provider_key` text NOT NULL,
	`model_id` text NOT NULL,
	`model_name` text NOT NULL,
	`category` text,
	`success` integer NOT NULL,
	`tool_selection_score` real,
	`param_accuracy` real,
	`overall_score` real,
	`irrelevance_score` real,
	`score_parts_json` text,
	`actual_calls_json` text,
	`format_compliance` text,
	`error_type` text,
	`error_class` text,
	`error` text,
	`latency_ms` real,
	`rounds` integer,
	`raw_request_json` text,
	`raw_response_json` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`eval_run_id`) REFERENCES `tool_eval_runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`test_case_id`) REFERENCES `tool_test_cases`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`model_ref`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "tool_eval_results_format_ck" CHECK("tool_eval_results"."format_compliance" IS NULL OR format_compliance IN ('PASS', 'NORMALIZED', 'FAIL'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tool_eval_results_uq` ON `tool_eval_results` (`eval_run_id`,`test_case_id`,`provider_key`,`model_id`);--> statement-breakpoint
CREATE INDEX `tool_eval_results_model_idx` ON `tool_eval_results` (`model_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `tool_eval_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`suite_id` text,
	`suite_name` text NOT NULL,
	`job_id` text,
	`experiment_id` text,
	`scorer` text DEFAULT 'classic' NOT NULL,
	`temperature` real,
	`tool_choice` text DEFAULT 'required' NOT NULL,
	`config_json` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`suite_id`) REFERENCES `tool_suites`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "tool_eval_runs_scorer_ck" CHECK(scorer IN ('classic', 'bfcl', 'partial')),
	CONSTRAINT "tool_eval_runs_choice_ck" CHECK(tool_choice IN ('required', 'auto', 'none')),
	CONSTRAINT "tool_eval_runs_status_ck" CHECK(status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted'))
);
--> statement-breakpoint
CREATE INDEX `tool_eval_runs_user_created_idx` ON `tool_eval_runs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `tool_eval_runs_experiment_idx` ON `tool_eval_runs` (`experiment_id`);--> statement-breakpoint
CREATE TABLE `tool_suites` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`system_prompt` text,
	`tools_json` text NOT NULL,
	`meta_json` text,
	`source` text DEFAULT 'manual' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tool_suites_user_updated_idx` ON `tool_suites` (`user_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `tool_test_cases` (
	`id` text PRIMARY KEY NOT NULL,
	`suite_id` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`prompt` text NOT NULL,
	`expected_tool` text,
	`expected_params` text,
	`param_scoring` text DEFAULT 'exact' NOT NULL,
	`should_call_tool` integer DEFAULT true NOT NULL,
	`category` text,
	`multi_turn_config` text,
	`scoring_config` text,
	`extra_json` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`suite_id`) REFERENCES `tool_suites`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "tool_test_cases_scoring_ck" CHECK(param_scoring IN ('exact', 'case_insensitive', 'contains', 'numeric_tolerance', 'regex', 'subset'))
);
--> statement-breakpoint
CREATE INDEX `tool_test_cases_suite_idx` ON `tool_test_cases` (`suite_id`,`sort_order`);--> statement-breakpoint
CREATE TABLE `user_api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`provider_id` text NOT NULL,
	`ciphertext` text NOT NULL,
	`iv` text NOT NULL,
	`key_version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_api_keys_user_provider_uq` ON `user_api_keys` (`user_id`,`provider_id`);--> statement-breakpoint
CREATE TABLE `user_settings` (
	`user_id` text NOT NULL,
	`section` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`user_id`, `section`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text DEFAULT 'user' NOT NULL,
	`onboarding_completed` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	CONSTRAINT "users_role_ck" CHECK(role IN ('admin', 'user'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_uq` ON `users` (`email`);