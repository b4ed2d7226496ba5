DROP INDEX "ledger_reservation_idx";--> statement-breakpoint
DROP INDEX "reservations_property_dates_idx";--> statement-breakpoint
CREATE INDEX "ledger_period_idx" ON "ledger_entries" USING btree ("currency","type","created_at","status","amount_minor","platform_fee_minor","transaction_fee_minor","property_id");--> statement-breakpoint
CREATE INDEX "ledger_reservation_idx" ON "ledger_entries" USING btree ("reservation_id","status","type","amount_minor");--> statement-breakpoint
CREATE INDEX "reservations_property_dates_idx" ON "reservations" USING btree ("property_id","check_in","check_out","status","total_minor","currency","created_at","id");