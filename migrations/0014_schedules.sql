-- Schedules with regression and drift alerts (issue 15, items 1 and 2). The 0000 placeholder `schedules` table
-- (benchmark-only, interval-only) never held rows (no route wrote it), so it is replaced rather than copied: a
-- schedule is now a benchmark or tool-eval request with an interval or a cron expression in a time zone.
-- benchmark_runs.schedule_id (0000) references the table by name and keeps working.
DROP TABLE `schedules`;--> statement-breakpoint
CREATE TABLE `schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`config_json` text NOT NULL,
	`interval_hours` integer,
	`cron` text,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`anchor_at` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`alerts_json` text NOT NULL,
	`webhook_secret_ciphertext` text,
	`webhook_secret_iv` text,
	`last_run_at` text,
	`next_run_at` text,
	`last_job_id` text,
	`last_run_id` text,
	`last_status` text,
	`last_error` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "schedules_kind_ck" CHECK(kind IN ('benchmark', 'tool_eval')),
	CONSTRAINT "schedules_interval_ck" CHECK("schedules"."interval_hours" IS NULL OR "schedules"."interval_hours" BETWEEN 1 AND 720),
	CONSTRAINT "schedules_timing_ck" CHECK(("schedules"."interval_hours" IS NULL) <> ("schedules"."cron" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `schedules_user_idx` ON `schedules` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `schedule_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`schedule_id` text NOT NULL,
	`run_id` text NOT NULL,
	`metric` text NOT NULL,
	`provider_key` text NOT NULL,
	`model_id` text NOT NULL,
	`baseline_value` real NOT NULL,
	`value` real NOT NULL,
	`change_pct` real NOT NULL,
	`threshold_pct` real NOT NULL,
	`test` text NOT NULL,
	`evidence_json` text NOT NULL,
	`cause` text NOT NULL,
	`cause_detail` text DEFAULT '' NOT NULL,
	`acknowledged_at` text,
	`webhook_status` text DEFAULT 'none' NOT NULL,
	`webhook_attempts` integer DEFAULT 0 NOT NULL,
	`webhook_last_error` text,
	`webhook_delivered_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`schedule_id`) REFERENCES `schedules`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "schedule_alerts_metric_ck" CHECK(metric IN ('ttft_p50', 'output_speed_p50', 'error_rate', 'cost_per_run', 'tool_accuracy')),
	CONSTRAINT "schedule_alerts_cause_ck" CHECK(cause IN ('model_version_changed', 'price_changed', 'rate_limit_surge', 'shift_beyond_noise')),
	CONSTRAINT "schedule_alerts_webhook_ck" CHECK(webhook_status IN ('none', 'pending', 'delivered', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `schedule_alerts_uq` ON `schedule_alerts` (`run_id`,`provider_key`,`model_id`,`metric`);--> statement-breakpoint
CREATE INDEX `schedule_alerts_user_idx` ON `schedule_alerts` (`user_id`,`acknowledged_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `schedule_alerts_schedule_idx` ON `schedule_alerts` (`schedule_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `tool_eval_runs` ADD `schedule_id` text REFERENCES schedules(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `tool_eval_runs_schedule_idx` ON `tool_eval_runs` (`schedule_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `benchmark_runs_schedule_idx` ON `benchmark_runs` (`schedule_id`,`created_at`);
