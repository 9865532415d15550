-- Capacity probe (issue 18). First the jobs table learns the `capacity` job type: SQLite cannot change a CHECK
-- constraint, so the table is rebuilt. Dropping `jobs` would null every run's `job_id` (ON DELETE SET NULL), so
-- the links are kept aside and put back after the rebuild.
CREATE TABLE `_capacity_job_links` (`tbl` text NOT NULL, `id` text NOT NULL, `job_id` text NOT NULL);--> statement-breakpoint
INSERT INTO `_capacity_job_links` SELECT 'benchmark_runs', `id`, `job_id` FROM `benchmark_runs` WHERE `job_id` IS NOT NULL;--> statement-breakpoint
INSERT INTO `_capacity_job_links` SELECT 'tool_eval_runs', `id`, `job_id` FROM `tool_eval_runs` WHERE `job_id` IS NOT NULL;--> statement-breakpoint
INSERT INTO `_capacity_job_links` SELECT 'param_tune_runs', `id`, `job_id` FROM `param_tune_runs` WHERE `job_id` IS NOT NULL;--> statement-breakpoint
INSERT INTO `_capacity_job_links` SELECT 'prompt_tune_runs', `id`, `job_id` FROM `prompt_tune_runs` WHERE `job_id` IS NOT NULL;--> statement-breakpoint
INSERT INTO `_capacity_job_links` SELECT 'judge_reports', `id`, `job_id` FROM `judge_reports` WHERE `job_id` IS NOT NULL;--> statement-breakpoint
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
CREATE TABLE `__new_jobs` (
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
	`error_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "jobs_type_ck" CHECK(job_type IN ('benchmark', 'tool_eval', 'param_tune', 'prompt_tune', 'judge', 'judge_compare', 'scheduled_benchmark', 'capacity')),
	CONSTRAINT "jobs_status_ck" CHECK(status IN ('pending', 'queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
	CONSTRAINT "jobs_progress_ck" CHECK("__new_jobs"."progress_pct" BETWEEN 0 AND 100)
);--> statement-breakpoint
INSERT INTO `__new_jobs` (`id`, `user_id`, `job_type`, `status`, `progress_pct`, `progress_detail`, `params_json`, `result_ref`, `result_type`, `error_class`, `error_msg`, `created_at`, `started_at`, `completed_at`, `timeout_at`, `timeout_seconds`, `last_progress_at`, `error_count`)
SELECT `id`, `user_id`, `job_type`, `status`, `progress_pct`, `progress_detail`, `params_json`, `result_ref`, `result_type`, `error_class`, `error_msg`, `created_at`, `started_at`, `completed_at`, `timeout_at`, `timeout_seconds`, `last_progress_at`, `error_count` FROM `jobs`;--> statement-breakpoint
DROP TABLE `jobs`;--> statement-breakpoint
ALTER TABLE `__new_jobs` RENAME TO `jobs`;--> statement-breakpoint
CREATE INDEX `jobs_user_created_idx` ON `jobs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `jobs_user_status_idx` ON `jobs` (`user_id`,`status`);--> statement-breakpoint
CREATE INDEX `jobs_status_timeout_idx` ON `jobs` (`status`,`timeout_at`);--> statement-breakpoint
UPDATE `benchmark_runs` SET `job_id` = (SELECT l.`job_id` FROM `_capacity_job_links` l WHERE l.`tbl` = 'benchmark_runs' AND l.`id` = `benchmark_runs`.`id`) WHERE `id` IN (SELECT `id` FROM `_capacity_job_links` WHERE `tbl` = 'benchmark_runs');--> statement-breakpoint
UPDATE `tool_eval_runs` SET `job_id` = (SELECT l.`job_id` FROM `_capacity_job_links` l WHERE l.`tbl` = 'tool_eval_runs' AND l.`id` = `tool_eval_runs`.`id`) WHERE `id` IN (SELECT `id` FROM `_capacity_job_links` WHERE `tbl` = 'tool_eval_runs');--> statement-breakpoint
UPDATE `param_tune_runs` SET `job_id` = (SELECT l.`job_id` FROM `_capacity_job_links` l WHERE l.`tbl` = 'param_tune_runs' AND l.`id` = `param_tune_runs`.`id`) WHERE `id` IN (SELECT `id` FROM `_capacity_job_links` WHERE `tbl` = 'param_tune_runs');--> statement-breakpoint
UPDATE `prompt_tune_runs` SET `job_id` = (SELECT l.`job_id` FROM `_capacity_job_links` l WHERE l.`tbl` = 'prompt_tune_runs' AND l.`id` = `prompt_tune_runs`.`id`) WHERE `id` IN (SELECT `id` FROM `_capacity_job_links` WHERE `tbl` = 'prompt_tune_runs');--> statement-breakpoint
UPDATE `judge_reports` SET `job_id` = (SELECT l.`job_id` FROM `_capacity_job_links` l WHERE l.`tbl` = 'judge_reports' AND l.`id` = `judge_reports`.`id`) WHERE `id` IN (SELECT `id` FROM `_capacity_job_links` WHERE `tbl` = 'judge_reports');--> statement-breakpoint
DROP TABLE `_capacity_job_links`;--> statement-breakpoint
-- One probe: its request after defaults (`config_json`).
CREATE TABLE `capacity_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`job_id` text,
	`config_json` text NOT NULL,
	`status` text DEFAULT 'running' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "capacity_runs_status_ck" CHECK(status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted'))
);--> statement-breakpoint
CREATE INDEX `capacity_runs_user_created_idx` ON `capacity_runs` (`user_id`,`created_at`);--> statement-breakpoint
-- One finished level of one target: its figures, what it spent, and the stop it decided (if any).
CREATE TABLE `capacity_levels` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`provider_key` text NOT NULL,
	`model_id` text NOT NULL,
	`level` integer NOT NULL,
	`result_json` text NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real,
	`stop_reason` text,
	`stop_at_level` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `capacity_runs`(`id`) ON UPDATE no action ON DELETE cascade
);--> statement-breakpoint
CREATE UNIQUE INDEX `capacity_levels_uq` ON `capacity_levels` (`run_id`,`provider_key`,`model_id`,`level`);--> statement-breakpoint
-- Every request of a probe (raw samples: epoch-ms stamps, tokens, status), stored once.
CREATE TABLE `capacity_samples` (
	`run_id` text NOT NULL,
	`provider_key` text NOT NULL,
	`model_id` text NOT NULL,
	`level` integer NOT NULL,
	`stream` integer NOT NULL,
	`seq` integer NOT NULL,
	`data_json` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `capacity_runs`(`id`) ON UPDATE no action ON DELETE cascade
);--> statement-breakpoint
CREATE UNIQUE INDEX `capacity_samples_uq` ON `capacity_samples` (`run_id`,`provider_key`,`model_id`,`level`,`stream`,`seq`);
