CREATE TABLE "devices" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"head_seq" integer NOT NULL,
	"head_hash" text NOT NULL,
	"keyed_from" integer,
	"created_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "devices_head_check" CHECK ("devices"."head_seq" >= 0 AND ("devices"."keyed_from" IS NULL OR "devices"."keyed_from" >= 1))
);
--> statement-breakpoint
CREATE INDEX "devices_user_idx" ON "devices" USING btree ("user_id");--> statement-breakpoint
-- Devices that sent changes before devices were bound: each belongs to the person who first sent
-- from it, and its trail goes on from the newest entry the server holds of it.
INSERT INTO "devices" ("id", "user_id", "head_seq", "head_hash", "keyed_from", "created_at")
SELECT first_sent.device_id, first_sent.user_id, coalesce(head.seq, 0), coalesce(head.hash, repeat('0', 64)), NULL, now()
FROM (
	SELECT DISTINCT ON (device_id) device_id, user_id FROM "applied_changesets" ORDER BY device_id, created_at, id
) AS first_sent
LEFT JOIN LATERAL (
	SELECT seq, hash FROM "audit_log" WHERE device_id = first_sent.device_id ORDER BY seq DESC LIMIT 1
) AS head ON true;
