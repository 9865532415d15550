-- Hand-written data migration: the simulator's prompt writer (src/shared/catalogue.ts, SIMULATOR_META_MODELS), the
-- prompt tuner's meta-model, joins every existing account's built-in Local simulator after its current models.
-- New accounts get it from the catalogue at sign-up. A model the account already has is left as it is.
INSERT OR IGNORE INTO `models` (`id`, `provider_id`, `model_id`, `display_name`, `context_window`, `sort_order`)
SELECT lower(hex(randomblob(16))), p.`id`, 'sim-writer-ttft200-tps400', 'Sim prompt writer (meta-model for the prompt tuner)', 128000,
	(SELECT coalesce(max(x.`sort_order`), -1) FROM `models` x WHERE x.`provider_id` = p.`id`) + 1
FROM `providers` p
WHERE p.`source` = 'simulator';
