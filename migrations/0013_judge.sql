-- The judge placeholders created by 0000 never held rows (no judge existed yet); issue 14's judge replaces them.
DROP TABLE `judge_verdicts`;--> statement-breakpoint
DROP TABLE `judge_reports`;--> statement-breakpoint
CREATE TABLE `judge_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`eval_run_id` text,
	`eval_run_id_b` text,
	`job_id` text,
	`experiment_id` text,
	`suite_name` text DEFAULT '' NOT NULL,
	`judge_provider_key` text NOT NULL,
	`judge_model_id` text NOT NULL,
	`judge_model_name` text NOT NULL,
	`second_provider_key` text,
	`second_model_id` text,
	`mode` text NOT NULL,
	`prompt_version` text NOT NULL,
	`custom_instructions` text DEFAULT '' NOT NULL,
	`concurrency` integer DEFAULT 1 NOT NULL,
	`config_json` text NOT NULL,
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
	CONSTRAINT "judge_reports_mode_ck" CHECK(mode IN ('post_eval', 'live_inline', 'comparative')),
	CONSTRAINT "judge_reports_status_ck" CHECK(status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted'))
);
--> statement-breakpoint
CREATE INDEX `judge_reports_user_created_idx` ON `judge_reports` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `judge_reports_eval_idx` ON `judge_reports` (`eval_run_id`);--> statement-breakpoint
CREATE INDEX `judge_reports_experiment_idx` ON `judge_reports` (`experiment_id`);--> statement-breakpoint
CREATE TABLE `judge_verdicts` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`item_key` text NOT NULL,
	`role` text NOT NULL,
	`judge_provider_key` text NOT NULL,
	`judge_model_id` text NOT NULL,
	`eval_result_id` text,
	`eval_result_id_b` text,
	`test_case_id` text,
	`provider_key` text NOT NULL,
	`model_id` text NOT NULL,
	`model_name` text NOT NULL,
	`automated_passed` integer,
	`quality_score` integer,
	`verdict` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`reasoning` text DEFAULT '' NOT NULL,
	`tool_selection_assessment` text DEFAULT 'unknown' NOT NULL,
	`param_assessment` text DEFAULT 'unknown' NOT NULL,
	`comparison_json` text,
	`answer_format` text,
	`error` text,
	`input_tokens` integer,
	`output_tokens` integer,
	`cost_usd` real,
	`latency_ms` real,
	`override_verdict` text,
	`override_reason` text,
	`overridden_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `judge_reports`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`eval_result_id`) REFERENCES `tool_eval_results`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`eval_result_id_b`) REFERENCES `tool_eval_results`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "judge_verdicts_role_ck" CHECK(role IN ('primary', 'second', 'compare')),
	CONSTRAINT "judge_verdicts_quality_ck" CHECK("judge_verdicts"."quality_score" IS NULL OR "judge_verdicts"."quality_score" BETWEEN 1 AND 5),
	CONSTRAINT "judge_verdicts_override_ck" CHECK("judge_verdicts"."override_verdict" IS NULL OR override_verdict IN ('pass', 'marginal', 'fail'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `judge_verdicts_uq` ON `judge_verdicts` (`report_id`,`item_key`);--> statement-breakpoint
CREATE INDEX `judge_verdicts_result_idx` ON `judge_verdicts` (`eval_result_id`);--> statement-breakpoint
CREATE TABLE `judge_model_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`provider_key` text NOT NULL,
	`model_id` text NOT NULL,
	`model_name` text NOT NULL,
	`report_json` text NOT NULL,
	`cost_usd` real,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`report_id`) REFERENCES `judge_reports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `judge_model_reports_uq` ON `judge_model_reports` (`report_id`,`provider_key`,`model_id`);--> statement-breakpoint
-- Hand-written data migration: the simulator's judge (src/shared/catalogue.ts, SIMULATOR_META_MODELS) joins every
-- existing account's built-in Local simulator after its current models. New accounts get it from the catalogue.
INSERT OR IGNORE INTO `models` (`id`, `provider_id`, `model_id`, `display_name`, `context_window`, `sort_order`)
SELECT lower(hex(randomblob(16))), p.`id`, 'sim-judge-ttft100-tps400', 'Sim judge (LLM-as-judge with a known rule)', 128000,
	(SELECT coalesce(max(x.`sort_order`), -1) FROM `models` x WHERE x.`provider_id` = p.`id`) + 1
FROM `providers` p
WHERE p.`source` = 'simulator';
