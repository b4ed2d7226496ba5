CREATE TABLE `sent_changesets` (
	`changeset_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`ops` text NOT NULL,
	`txid` integer NOT NULL,
	`awaiting` text NOT NULL,
	`created_at` text NOT NULL,
	`answered_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sent_changesets_answered_idx` ON `sent_changesets` (`answered_at`);--> statement-breakpoint
CREATE TABLE `sync_base` (
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`row` text,
	PRIMARY KEY(`table_name`, `row_id`)
);
