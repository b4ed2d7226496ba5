DROP INDEX `ledger_reservation_idx`;--> statement-breakpoint
CREATE INDEX `ledger_period_idx` ON `ledger_entries` (`currency`,`type`,`created_at`,`status`,`amount_minor`,`platform_fee_minor`,`transaction_fee_minor`,`property_id`);--> statement-breakpoint
CREATE INDEX `ledger_reservation_idx` ON `ledger_entries` (`reservation_id`,`status`,`type`,`amount_minor`);--> statement-breakpoint
DROP INDEX `reservations_property_dates_idx`;--> statement-breakpoint
CREATE INDEX `reservations_property_dates_idx` ON `reservations` (`property_id`,`check_in`,`check_out`,`status`,`total_minor`,`currency`,`created_at`,`id`);