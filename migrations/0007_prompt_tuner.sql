CREATE TABLE `prompt_tune_candidates` (
	`id` text PRIMARY KEY NOT NULL,
	`tune_run_id` text NOT NULL,
	`generation` integer NOT NULL,
	`candidate_index` integer NOT NULL,
	`prompt_text` text NOT NULL,
	`style` text,
	`parent_key` text,
	`mutation_type` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`tune_run_id`) REFERENCES `prompt_tune_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompt_tune_candidates_uq` ON `prompt_tune_candidates` (`tune_run_id`,`generation`,`candidate_index`);--> statement-breakpoint
CREATE TABLE `prompt_tune_generations` (
	`id` text PRIMARY KEY NOT NULL,
	`tune_run_id` text NOT NULL,
	`generation` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`answer_format` text,
	`input_tokens` integer,
	`output_tokens` integer,
	`cost_usd` real,
	`error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`tune_run_id`) REFERENCES `prompt_tune_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompt_tune_generations_uq` ON `prompt_tune_generations` (`tune_run_id`,`generation`);--> statement-breakpoint
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
	`base_prompt` text NOT NULL,
	`seed` integer NOT NULL,
	`config_json` text NOT NULL,
	`total_prompts` integer NOT NULL,
	`best_prompt` text,
	`best_score` real,
	`summary_json` text,
	`status` text DEFAULT 'running' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`completed_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`suite_id`) REFERENCES `tool_suites`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "prompt_tune_runs_mode_ck" CHECK(mode IN ('quick', 'evolutionary')),
	CONSTRAINT "prompt_tune_runs_status_ck" CHECK(status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted'))
);
--> statement-breakpoint
CREATE INDEX `prompt_tune_runs_user_created_idx` ON `prompt_tune_runs` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `prompt_tune_trials` (
	`id` text PRIMARY KEY NOT NULL,
	`tune_run_id` text NOT NULL,
	`candidate` text NOT NULL,
	`provider_key` text NOT NULL,
	`model_id` text NOT NULL,
	`case_id` text NOT NULL,
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
	FOREIGN KEY (`tune_run_id`) REFERENCES `prompt_tune_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompt_tune_trials_uq` ON `prompt_tune_trials` (`tune_run_id`,`candidate`,`provider_key`,`model_id`,`case_id`);