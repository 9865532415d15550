CREATE TABLE `param_tune_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`suite_id` text,
	`suite_name` text NOT NULL,
	`job_id` text,
	`experiment_id` text,
	`strategy` text DEFAULT 'grid' NOT NULL,
	`seed` integer NOT NULL,
	`repeats` integer DEFAULT 1 NOT NULL,
	`search_space_json` text NOT NULL,
	`config_json` text NOT NULL,
	`total_combos` integer NOT NULL,
	`planned_trials` integer NOT NULL,
	`best_score` real,
	`best_config_json` text,
	`summary_json` text,
	`status` text DEFAULT 'running' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`suite_id`) REFERENCES `tool_suites`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "param_tune_runs_strategy_ck" CHECK(strategy IN ('grid', 'random', 'halving')),
	CONSTRAINT "param_tune_runs_status_ck" CHECK(status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted'))
);
--> statement-breakpoint
CREATE INDEX `param_tune_runs_user_created_idx` ON `param_tune_runs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `param_tune_trials` (
	`id` text PRIMARY KEY NOT NULL,
	`tune_run_id` text NOT NULL,
	`provider_key` text NOT NULL,
	`model_id` text NOT NULL,
	`combo` text NOT NULL,
	`case_id` text NOT NULL,
	`repeat` integer NOT NULL,
	`score` real NOT NULL,
	`tool_score` real,
	`param_score` real,
	`passed` integer NOT NULL,
	`latency_ms` real,
	`input_tokens` integer,
	`output_tokens` integer,
	`cost_usd` real,
	`actual_calls_json` text,
	`error_class` text,
	`error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`tune_run_id`) REFERENCES `param_tune_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `param_tune_trials_uq` ON `param_tune_trials` (`tune_run_id`,`provider_key`,`model_id`,`combo`,`case_id`,`repeat`);