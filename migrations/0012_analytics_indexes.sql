CREATE INDEX `benchmark_results_analytics_idx` ON `benchmark_results` (`run_id`,`run_number`,`success`,`provider_key`,`model_id`,`context_tokens`,`ttft_ms`,`output_speed_tps`,`e2e_tps`,`cost_usd`);--> statement-breakpoint
CREATE INDEX `tool_eval_runs_user_suite_idx` ON `tool_eval_runs` (`user_id`,`suite_id`,`created_at`);
