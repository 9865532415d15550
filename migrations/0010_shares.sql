-- Sharing (issue 16 part 3): read-only shares of a run, as a link (token stored only as its SHA-256 hash) or
-- with named accounts of the same deployment. resource_type has no CHECK on purpose: the types are a registry in
-- src/worker/shares/registry.ts (zod checks them at the API), so adding one needs no table rebuild.
CREATE TABLE `shares` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`resource_type` text NOT NULL,
	`resource_id` text NOT NULL,
	`token_hash` text,
	`expires_at` text,
	`open_count` integer DEFAULT 0 NOT NULL,
	`last_opened_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shares_token_hash_uq` ON `shares` (`token_hash`);--> statement-breakpoint
CREATE INDEX `shares_user_created_idx` ON `shares` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `shares_resource_idx` ON `shares` (`resource_type`,`resource_id`);--> statement-breakpoint
CREATE TABLE `share_recipients` (
	`share_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	PRIMARY KEY(`share_id`, `user_id`),
	FOREIGN KEY (`share_id`) REFERENCES `shares`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `share_recipients_user_idx` ON `share_recipients` (`user_id`);
