-- The tuner placeholders created by 0000 never held rows (no tuner existed yet); 0004 replaces them.
DROP TABLE `param_tune_combos`;--> statement-breakpoint
DROP TABLE `param_tune_runs`;