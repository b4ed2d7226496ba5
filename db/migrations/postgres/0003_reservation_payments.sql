CREATE TABLE "reservation_payments" (
	"reservation_id" text PRIMARY KEY NOT NULL,
	"paid_minor" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reservation_payments" ADD CONSTRAINT "reservation_payments_reservation_id_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "public"."reservations"("id") ON DELETE no action ON UPDATE no action;