-- CLI tokens (issue 17): every 30-day CLI bearer token has a row keyed by its JWT id (jti), so the user can list and
-- revoke them from Settings. The auth middleware refuses a CLI token whose row is missing or revoked.
CREATE TABLE `cli_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`expires_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `cli_tokens_user_created_idx` ON `cli_tokens` (`user_id`,`created_at`);
