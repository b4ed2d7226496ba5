-- The ledger and the audit log are append-only: corrections are new rows, never edits.
CREATE FUNCTION roomy_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only: % is not allowed; record a correcting row that references the original', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
	FOR EACH ROW EXECUTE FUNCTION roomy_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
	FOR EACH STATEMENT EXECUTE FUNCTION roomy_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION roomy_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION roomy_refuse_change();
--> statement-breakpoint
-- Two active reservations of one property never overlap (stays are half-open: [check_in, check_out)).
-- btree_gist lets the text property_id take part in a GiST exclusion constraint.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE reservations ADD CONSTRAINT reservations_no_overlap
	EXCLUDE USING gist (property_id WITH =, daterange(check_in, check_out, '[)') WITH &&)
	WHERE (status NOT IN ('CANCELLED', 'NO_SHOW'));
