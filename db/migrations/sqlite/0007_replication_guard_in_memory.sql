-- The replication guard of 0005 asked whether a `replicating` row was in device_meta, so anyone
-- who could write the file could insert that row and every guard below stood aside for good. The
-- guard is now the connection's own state: `roomy_replicating()` is registered by the app on each
-- connection it opens (db/local-database.ts) and answers 1 only while the sync engine applies
-- server rows, inside its own transaction. A connection without the function cannot fire these
-- triggers at all, so another tool cannot update or delete the ledger and audit rows, nor write
-- reservations, even with the guard's old row in place.
DROP TRIGGER `ledger_entries_no_update`;
--> statement-breakpoint
CREATE TRIGGER `ledger_entries_no_update` BEFORE UPDATE ON `ledger_entries`
WHEN NOT roomy_replicating()
BEGIN
	SELECT RAISE(ABORT, 'ledger_entries is append-only: an entry cannot be updated; record a correcting entry that references it');
END;
--> statement-breakpoint
DROP TRIGGER `ledger_entries_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `ledger_entries_no_delete` BEFORE DELETE ON `ledger_entries`
WHEN NOT roomy_replicating()
BEGIN
	SELECT RAISE(ABORT, 'ledger_entries is append-only: an entry cannot be deleted; record a reversing entry that references it');
END;
--> statement-breakpoint
DROP TRIGGER `audit_log_no_update`;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
WHEN NOT roomy_replicating()
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: an audit row cannot be updated');
END;
--> statement-breakpoint
DROP TRIGGER `audit_log_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
WHEN NOT roomy_replicating()
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: an audit row cannot be deleted');
END;
--> statement-breakpoint
DROP TRIGGER `reservations_no_overlap_insert`;
--> statement-breakpoint
CREATE TRIGGER `reservations_no_overlap_insert` BEFORE INSERT ON `reservations`
WHEN NEW.`status` NOT IN ('CANCELLED', 'NO_SHOW')
	AND NOT roomy_replicating()
BEGIN
	SELECT RAISE(ABORT, 'reservations_no_overlap: the property already has an active reservation for some of these nights')
	WHERE EXISTS (
		SELECT 1 FROM `reservations` AS r
		WHERE r.`property_id` = NEW.`property_id`
			AND r.`check_in` < NEW.`check_out`
			AND r.`check_out` > NEW.`check_in`
			AND r.`status` NOT IN ('CANCELLED', 'NO_SHOW')
	);
END;
--> statement-breakpoint
DROP TRIGGER `reservations_no_overlap_update`;
--> statement-breakpoint
CREATE TRIGGER `reservations_no_overlap_update` BEFORE UPDATE OF `property_id`, `check_in`, `check_out`, `status` ON `reservations`
WHEN NEW.`status` NOT IN ('CANCELLED', 'NO_SHOW')
	AND NOT roomy_replicating()
BEGIN
	SELECT RAISE(ABORT, 'reservations_no_overlap: the property already has an active reservation for some of these nights')
	WHERE EXISTS (
		SELECT 1 FROM `reservations` AS r
		WHERE r.`property_id` = NEW.`property_id`
			AND r.`id` <> NEW.`id`
			AND r.`check_in` < NEW.`check_out`
			AND r.`check_out` > NEW.`check_in`
			AND r.`status` NOT IN ('CANCELLED', 'NO_SHOW')
	);
END;
