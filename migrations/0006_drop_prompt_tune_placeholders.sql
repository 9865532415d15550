-- The prompt-tuner placeholders created by 0000 never held rows (no prompt tuner existed yet); 0007 replaces them.
DROP TABLE `prompt_tune_candidates`;--> statement-breakpoint
DROP TABLE `prompt_tune_runs`;