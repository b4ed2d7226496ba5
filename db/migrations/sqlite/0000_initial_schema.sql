CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`seq` integer NOT NULL,
	`actor_id` text,
	`actor_role` text,
	`action` text NOT NULL,
	`entity_type` text,
	`entity_id` text,
	`before` text,
	`after` text,
	`at` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	CONSTRAINT "audit_seq_check" CHECK("audit_log"."seq" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `audit_device_seq_unique` ON `audit_log` (`device_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_actor_idx` ON `audit_log` (`actor_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity_type`,`entity_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_action_idx` ON `audit_log` (`action`,`at`);--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `device_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`property_id` text,
	`reservation_id` text,
	`task_id` text,
	`reference_entry_id` text,
	`type` text NOT NULL,
	`category` text NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`description` text,
	`payment_method` text,
	`payment_gateway_id` text,
	`gateway_reference` text,
	`platform_fee_minor` integer DEFAULT 0 NOT NULL,
	`transaction_fee_minor` integer DEFAULT 0 NOT NULL,
	`net_amount_minor` integer NOT NULL,
	`status` text DEFAULT 'COMPLETED' NOT NULL,
	`processed_at` text,
	`metadata` text,
	`notes` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`property_id`) REFERENCES `properties`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reservation_id`) REFERENCES `reservations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`task_id`) REFERENCES `tasks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reference_entry_id`) REFERENCES `ledger_entries`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "ledger_type_check" CHECK("ledger_entries"."type" in ('GUEST_PAYMENT', 'OWNER_PAYOUT', 'REFUND', 'TASK_COST', 'AGENCY_FEE', 'PLATFORM_FEE', 'MAINTENANCE_COST', 'CLEANING_COST', 'MARKETING_COST')),
	CONSTRAINT "ledger_status_check" CHECK("ledger_entries"."status" in ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'REFUNDED')),
	CONSTRAINT "ledger_amount_check" CHECK("ledger_entries"."amount_minor" >= 0 or "ledger_entries"."reference_entry_id" is not null),
	CONSTRAINT "ledger_platform_fee_check" CHECK("ledger_entries"."platform_fee_minor" >= 0 or "ledger_entries"."reference_entry_id" is not null),
	CONSTRAINT "ledger_transaction_fee_check" CHECK("ledger_entries"."transaction_fee_minor" >= 0 or "ledger_entries"."reference_entry_id" is not null),
	CONSTRAINT "ledger_net_check" CHECK("ledger_entries"."net_amount_minor" = "ledger_entries"."amount_minor" - "ledger_entries"."platform_fee_minor" - "ledger_entries"."transaction_fee_minor")
);
--> statement-breakpoint
CREATE INDEX `ledger_reservation_idx` ON `ledger_entries` (`reservation_id`);--> statement-breakpoint
CREATE INDEX `ledger_property_idx` ON `ledger_entries` (`property_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ledger_user_idx` ON `ledger_entries` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ledger_created_idx` ON `ledger_entries` (`created_at`);--> statement-breakpoint
CREATE INDEX `ledger_reference_idx` ON `ledger_entries` (`reference_entry_id`);--> statement-breakpoint
CREATE TABLE `local_credentials` (
	`user_id` text PRIMARY KEY NOT NULL,
	`verifier` text NOT NULL,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `locations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`city` text NOT NULL,
	`country` text NOT NULL,
	`region` text,
	`coordinates` text,
	`time_zone` text NOT NULL,
	`currency` text NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `locations_name_unique` ON `locations` (`name`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`position` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`changeset_id` text NOT NULL,
	`user_id` text NOT NULL,
	`ops` text NOT NULL,
	`created_at` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`last_error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_changeset_unique` ON `outbox` (`changeset_id`);--> statement-breakpoint
CREATE TABLE `properties` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`nickname` text,
	`title` text,
	`status` text DEFAULT 'ACTIVE' NOT NULL,
	`type` text NOT NULL,
	`address` text NOT NULL,
	`location_id` text NOT NULL,
	`owner_id` text,
	`agent_id` text,
	`capacity` integer NOT NULL,
	`bedrooms` integer NOT NULL,
	`bathrooms` real NOT NULL,
	`area` real,
	`price_per_night_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`description` text,
	`access_notes` text,
	`pricelab_id` text,
	`airbnb_id` text,
	`booking_id` text,
	`primary_image` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`amenities` text DEFAULT '[]' NOT NULL,
	`house_rules` text DEFAULT '[]' NOT NULL,
	`archived_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "properties_status_check" CHECK("properties"."status" in ('ACTIVE', 'INACTIVE', 'MAINTENANCE', 'SUSPENDED')),
	CONSTRAINT "properties_type_check" CHECK("properties"."type" in ('APARTMENT', 'VILLA', 'STUDIO', 'PENTHOUSE', 'HOUSE', 'CONDO')),
	CONSTRAINT "properties_capacity_check" CHECK("properties"."capacity" >= 1),
	CONSTRAINT "properties_bedrooms_check" CHECK("properties"."bedrooms" >= 0),
	CONSTRAINT "properties_bathrooms_check" CHECK("properties"."bathrooms" >= 0),
	CONSTRAINT "properties_area_check" CHECK("properties"."area" is null or "properties"."area" > 0),
	CONSTRAINT "properties_price_check" CHECK("properties"."price_per_night_minor" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `properties_nickname_unique` ON `properties` (`nickname`);--> statement-breakpoint
CREATE INDEX `properties_location_idx` ON `properties` (`location_id`,`status`);--> statement-breakpoint
CREATE INDEX `properties_status_idx` ON `properties` (`status`);--> statement-breakpoint
CREATE INDEX `properties_owner_idx` ON `properties` (`owner_id`);--> statement-breakpoint
CREATE INDEX `properties_agent_idx` ON `properties` (`agent_id`);--> statement-breakpoint
CREATE INDEX `properties_name_idx` ON `properties` (`name`,`id`);--> statement-breakpoint
CREATE TABLE `reservations` (
	`id` text PRIMARY KEY NOT NULL,
	`property_id` text NOT NULL,
	`guest_id` text NOT NULL,
	`agent_id` text,
	`check_in` text NOT NULL,
	`check_out` text NOT NULL,
	`guests` integer NOT NULL,
	`status` text DEFAULT 'PENDING' NOT NULL,
	`total_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`guest_name` text NOT NULL,
	`guest_email` text NOT NULL,
	`guest_phone` text,
	`source` text NOT NULL,
	`source_id` text,
	`special_requests` text,
	`notes` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`property_id`) REFERENCES `properties`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`guest_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "reservations_status_check" CHECK("reservations"."status" in ('PENDING', 'CONFIRMED', 'CHECKED_IN', 'CHECKED_OUT', 'CANCELLED', 'NO_SHOW')),
	CONSTRAINT "reservations_dates_check" CHECK("reservations"."check_out" > "reservations"."check_in"),
	CONSTRAINT "reservations_guests_check" CHECK("reservations"."guests" >= 1),
	CONSTRAINT "reservations_total_check" CHECK("reservations"."total_minor" >= 0)
);
--> statement-breakpoint
CREATE INDEX `reservations_property_dates_idx` ON `reservations` (`property_id`,`check_in`,`check_out`);--> statement-breakpoint
CREATE INDEX `reservations_dates_idx` ON `reservations` (`check_in`,`check_out`);--> statement-breakpoint
CREATE INDEX `reservations_guest_idx` ON `reservations` (`guest_id`);--> statement-breakpoint
CREATE INDEX `reservations_agent_idx` ON `reservations` (`agent_id`);--> statement-breakpoint
CREATE INDEX `reservations_status_idx` ON `reservations` (`status`,`check_in`);--> statement-breakpoint
CREATE TABLE `shape_state` (
	`table_name` text PRIMARY KEY NOT NULL,
	`handle` text,
	`offset` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_conflicts` (
	`changeset_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`ops` text NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`server_rows` text,
	`created_at` text NOT NULL,
	`resolved_at` text,
	`resolution` text
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`property_id` text NOT NULL,
	`reservation_id` text,
	`assignee_id` text,
	`type` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`status` text DEFAULT 'PENDING' NOT NULL,
	`priority` text DEFAULT 'MEDIUM' NOT NULL,
	`scheduled_at` text,
	`completed_at` text,
	`due_at` text,
	`cost_minor` integer,
	`estimated_cost_minor` integer,
	`currency` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`notes` text,
	`attachments` text DEFAULT '[]' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`property_id`) REFERENCES `properties`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reservation_id`) REFERENCES `reservations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "tasks_type_check" CHECK("tasks"."type" in ('CLEANING', 'MAINTENANCE', 'INSPECTION', 'DELIVERY', 'GUEST_MEETING', 'CHECK_IN', 'CHECK_OUT', 'PHOTOGRAPHY', 'MARKETING')),
	CONSTRAINT "tasks_status_check" CHECK("tasks"."status" in ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'ON_HOLD')),
	CONSTRAINT "tasks_priority_check" CHECK("tasks"."priority" in ('LOW', 'MEDIUM', 'HIGH', 'URGENT')),
	CONSTRAINT "tasks_cost_check" CHECK("tasks"."cost_minor" >= 0),
	CONSTRAINT "tasks_estimated_cost_check" CHECK("tasks"."estimated_cost_minor" >= 0),
	CONSTRAINT "tasks_currency_check" CHECK(("tasks"."cost_minor" is null and "tasks"."estimated_cost_minor" is null) or "tasks"."currency" is not null)
);
--> statement-breakpoint
CREATE INDEX `tasks_assignee_idx` ON `tasks` (`assignee_id`,`status`,`scheduled_at`);--> statement-breakpoint
CREATE INDEX `tasks_status_idx` ON `tasks` (`status`,`scheduled_at`);--> statement-breakpoint
CREATE INDEX `tasks_property_idx` ON `tasks` (`property_id`,`scheduled_at`);--> statement-breakpoint
CREATE INDEX `tasks_reservation_idx` ON `tasks` (`reservation_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`phone` text,
	`first_name` text NOT NULL,
	`last_name` text NOT NULL,
	`role` text NOT NULL,
	`status` text DEFAULT 'ACTIVE' NOT NULL,
	`avatar` text,
	`country` text,
	`flag` text,
	`is_verified` integer DEFAULT false NOT NULL,
	`last_login_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	CONSTRAINT "users_role_check" CHECK("users"."role" in ('ADMIN', 'MANAGER', 'AGENT', 'OWNER', 'GUEST', 'CLEANER', 'MAINTENANCE_STAFF')),
	CONSTRAINT "users_status_check" CHECK("users"."status" in ('ACTIVE', 'INACTIVE', 'SUSPENDED', 'VIP'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_role_idx` ON `users` (`role`,`status`);--> statement-breakpoint
CREATE INDEX `users_name_idx` ON `users` (`last_name`,`first_name`);