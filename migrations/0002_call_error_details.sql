-- Edited after generation: the copy selects NULL for the new error_host column (drizzle-kit selected it from the
-- old table) and maps the retired class `network` to `connection`.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_benchmark_results` (
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
	`error_host` text,
	`timings_json` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `benchmark_runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`model_ref`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "benchmark_results_error_ck" CHECK("__new_benchmark_results"."error_class" IS NULL OR error_class IN ('auth', 'rate_limited', 'not_found', 'bad_request', 'server', 'timeout', 'connection', 'disconnected', 'malformed_stream', 'cancelled', 'unknown'))
);
--> statement-breakpoint
INSERT INTO `__new_benchmark_results`("id", "run_id", "model_ref", "provider_key", "provider_name", "model_id", "model_name", "context_tokens", "run_number", "success", "ttfb_ms", "ttft_ms", "ttfa_ms", "total_ms", "output_tokens", "input_tokens", "token_source", "output_speed_tps", "e2e_tps", "itl_ms", "prefill_tps", "cost_usd", "error_class", "error", "error_host", "timings_json", "created_at") SELECT "id", "run_id", "model_ref", "provider_key", "provider_name", "model_id", "model_name", "context_tokens", "run_number", "success", "ttfb_ms", "ttft_ms", "ttfa_ms", "total_ms", "output_tokens", "input_tokens", "token_source", "output_speed_tps", "e2e_tps", "itl_ms", "prefill_tps", "cost_usd", CASE "error_class" WHEN 'network' THEN 'connection' ELSE "error_class" END, "error", NULL, "timings_json", "created_at" FROM `benchmark_results`;--> statement-breakpoint
DROP TABLE `benchmark_results`;--> statement-breakpoint
ALTER TABLE `__new_benchmark_results` RENAME TO `benchmark_results`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `benchmark_results_run_uq` ON `benchmark_results` (`run_id`,`provider_key`,`model_id`,`context_tokens`,`run_number`);--> statement-breakpoint
CREATE INDEX `benchmark_results_model_idx` ON `benchmark_results` (`model_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `tool_eval_results` ADD `provider_name` text;--> statement-breakpoint
ALTER TABLE `tool_eval_results` ADD `error_host` text;--> statement-breakpoint
UPDATE `tool_eval_results` SET `error_class` = 'connection' WHERE `error_class` = 'network';
