-- Hand-written data migration: the simulator's capacity-modelled server (src/shared/catalogue.ts,
-- SIMULATOR_CAPACITY_MODELS), the capacity probe's first pick, joins every existing account's built-in Local
-- simulator after its current models. New accounts get it from the catalogue at sign-up. A model the account
-- already has is left as it is.
INSERT OR IGNORE INTO `models` (`id`, `provider_id`, `model_id`, `display_name`, `context_window`, `sort_order`)
SELECT lower(hex(randomblob(16))), p.`id`, 'sim-ttft200-tps50-len64-slots8-load100', 'Sim server with 8 batch slots (for the capacity probe)', 128000,
	(SELECT coalesce(max(x.`sort_order`), -1) FROM `models` x WHERE x.`provider_id` = p.`id`) + 1
FROM `providers` p
WHERE p.`source` = 'simulator';
