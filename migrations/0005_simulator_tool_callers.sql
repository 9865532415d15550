-- Hand-written data migration: the simulator's tool-caller models (src/shared/catalogue.ts,
-- SIMULATOR_TOOL_CALLER_MODELS) join every existing account's built-in Local simulator, after its current models.
-- New accounts get them from the catalogue at sign-up. A model the account already has is left as it is.
INSERT OR IGNORE INTO `models` (`id`, `provider_id`, `model_id`, `display_name`, `context_window`, `sort_order`)
SELECT lower(hex(randomblob(16))), p.`id`, m.`model_id`, m.`display_name`, 128000,
	(SELECT coalesce(max(x.`sort_order`), -1) FROM `models` x WHERE x.`provider_id` = p.`id`) + m.`position`
FROM `providers` p
CROSS JOIN (
	SELECT 'sim-careful' AS `model_id`, 'Sim careful tool-caller (~90 % right)' AS `display_name`, 1 AS `position`
	UNION ALL SELECT 'sim-sloppy', 'Sim sloppy tool-caller (~60 % right)', 2
	UNION ALL SELECT 'sim-eager', 'Sim eager tool-caller (calls when none is wanted)', 3
	UNION ALL SELECT 'sim-tunable', 'Sim tunable tool-caller (accuracy follows temperature, top_p, prompt)', 4
) m
WHERE p.`source` = 'simulator';
