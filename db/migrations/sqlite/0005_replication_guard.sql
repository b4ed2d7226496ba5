-- A synced device replicates the server's rows: the server has already enforced append-only and
-- no-overlap on them, and its truth must land even where a pending local edit disagrees (that
-- edit is then refused by the server and shown as a conflict). While the sync engine applies
-- server rows it holds the `replicating` key in device_meta, inside its own transaction; every
-- other write still meets the guards below.
DROP TRIGGER `ledger_entries_no_update`;
--> statement-breakpoint
CREATE TRIGGER `ledger_entries_no_update` BEFORE UPDATE ON `ledger_entries`
WHEN NOT EXISTS (SELECT 1 FROM `device_meta` WHERE `key` = 'replicating')
BEGIN
	SELECT RAISE(ABORT, 'ledger_entries is append-only: an entry cannot be updated; record a correcting entry that references it');
END;
--> statement-breakpoint
DROP TRIGGER `ledger_entries_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `ledger_entries_no_delete` BEFORE DELETE ON `ledger_entries`
WHEN NOT EXISTS (SELECT 1 FROM `device_meta` WHERE `key` = 'replicating')
BEGIN
	SELECT RAISE(ABORT, 'ledger_entries is append-only: an entry cannot be deleted; record a reversing entry that references it');
END;
--> statement-breakpoint
DROP TRIGGER `audit_log_no_update`;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
WHEN NOT EXISTS (SELECT 1 FROM `device_meta` WHERE `key` = 'replicating')
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: an audit row cannot be updated');
END;
--> statement-breakpoint
DROP TRIGGER `audit_log_no_delete`;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
WHEN NOT EXISTS (SELECT 1 FROM `device_meta` WHERE `key` = 'replicating')
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only: an audit row cannot be deleted');
END;
--> statement-breakpoint
DROP TRIGGER `reservations_no_overlap_insert`;
--> statement-breakpoint
CREATE TRIGGER `reservations_no_overlap_insert` BEFORE INSERT ON `reservations`
WHEN NEW.`status` NOT IN ('CANCELLED', 'NO_SHOW')
	AND NOT EXISTS (SELECT 1 FROM `device_meta` WHERE `key` = 'replicating')
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
	AND NOT EXISTS (SELECT 1 FROM `device_meta` WHERE `key` = 'replicating')
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
