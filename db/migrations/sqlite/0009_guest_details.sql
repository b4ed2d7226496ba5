ALTER TABLE `users` ADD `notes` text;--> statement-breakpoint
ALTER TABLE `users` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `do_not_rent` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `do_not_rent_reason` text;