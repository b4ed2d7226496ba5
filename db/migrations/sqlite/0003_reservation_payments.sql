-- WITHOUT ROWID: the table is only ever read by its key, so the key holds the row (one lookup, not two).
CREATE TABLE `reservation_payments` (
	`reservation_id` text PRIMARY KEY NOT NULL,
	`paid_minor` integer NOT NULL,
	FOREIGN KEY (`reservation_id`) REFERENCES `reservations`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
