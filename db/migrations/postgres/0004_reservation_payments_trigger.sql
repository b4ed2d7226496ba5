-- reservation_payments follows the ledger: each completed guest payment adds, each completed
-- refund subtracts (reversals carry negative amounts, so they undo what they reverse). The ledger
-- is append-only, so inserts are all there is to follow.
CREATE FUNCTION roomy_follow_payment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO reservation_payments (reservation_id, paid_minor)
	VALUES (NEW.reservation_id, CASE NEW.type WHEN 'REFUND' THEN -NEW.amount_minor ELSE NEW.amount_minor END)
	ON CONFLICT (reservation_id) DO UPDATE SET paid_minor = reservation_payments.paid_minor + excluded.paid_minor;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_paid AFTER INSERT ON ledger_entries
	FOR EACH ROW
	WHEN (NEW.reservation_id IS NOT NULL AND NEW.status = 'COMPLETED' AND NEW.type IN ('GUEST_PAYMENT', 'REFUND'))
	EXECUTE FUNCTION roomy_follow_payment();
--> statement-breakpoint
INSERT INTO reservation_payments (reservation_id, paid_minor)
SELECT reservation_id, sum(CASE type WHEN 'REFUND' THEN -amount_minor ELSE amount_minor END)
FROM ledger_entries
WHERE reservation_id IS NOT NULL AND status = 'COMPLETED' AND type IN ('GUEST_PAYMENT', 'REFUND')
GROUP BY reservation_id;
