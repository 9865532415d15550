CREATE TABLE `log_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`level` text NOT NULL,
	`message` text NOT NULL,
	`request_id` text,
	`line` text NOT NULL,
	CONSTRAINT "log_events_level_ck" CHECK(level IN ('warn', 'error'))
);
--> statement-breakpoint
CREATE INDEX `log_events_level_idx` ON `log_events` (`level`,`id`);--> statement-breakpoint
CREATE TABLE `shared_provider_keys` (
	`provider_key` text PRIMARY KEY NOT NULL,
	`api_kind` text NOT NULL,
	`api_base` text NOT NULL,
	`ciphertext` text NOT NULL,
	`iv` text NOT NULL,
	`key_version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "shared_provider_keys_api_kind_ck" CHECK(api_kind IN ('openai', 'anthropic'))
);
--> statement-breakpoint
CREATE TABLE `hub_sockets` (
	`user_id` text PRIMARY KEY NOT NULL,
	`sockets` integer NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `hub_sockets_open_idx` ON `hub_sockets` (`sockets`);
