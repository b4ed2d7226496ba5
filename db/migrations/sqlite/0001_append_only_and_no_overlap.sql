-- The ledger and the audit log are append-only: corrections are new rows, never edits.
CREATE TRIGGER `ledger_entries_no_update` BEFORE UPDATE ON `ledger_entries`
BEGIN
	SELECT RAISE(ABORT, 'ledger_entries is append-only: an entry cannot be updated; record a correcting entry that references it');
END;
--> statement-breakpoint
CREATE TRIGGER `ledger_entries_no_delete` BEFORE DELETE ON `ledger_entries`
BEGIN
	SELECT RAISE(ABORT, 'ledger_entries is append-only: an entry cannot be deleted; record a reversing entry that references it');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: an audit row cannot be updated');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: an audit row cannot be deleted');
END;
--> statement-breakpoint
-- Two active reservations of one property never overlap (stays are half-open: [check_in, check_out)).
-- SQLite has no exclusion constraints; these triggers are the equivalent of Postgres's
-- `reservations_no_overlap`. They use reservations_property_dates_idx.
CREATE TRIGGER `reservations_no_overlap_insert` BEFORE INSERT ON `reservations`
WHEN NEW.`status` NOT IN ('CANCELLED', 'NO_SHOW')
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
CREATE TRIGGER `reservations_no_overlap_update` BEFORE UPDATE OF `property_id`, `check_in`, `check_out`, `status` ON `reservations`
WHEN NEW.`status` NOT IN ('CANCELLED', 'NO_SHOW')
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
