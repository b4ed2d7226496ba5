CREATE TABLE "applied_changesets" (
	"id" text PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"user_id" text NOT NULL,
	"outcome" text NOT NULL,
	"txid" bigint,
	"code" text,
	"message" text,
	"created_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "applied_changesets_outcome_check" CHECK ("applied_changesets"."outcome" in ('applied', 'rejected')),
	CONSTRAINT "applied_changesets_txid_check" CHECK (("applied_changesets"."outcome" = 'applied') = ("applied_changesets"."txid" is not null))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" text PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"seq" integer NOT NULL,
	"actor_id" text,
	"actor_role" text,
	"action" text NOT NULL,
	"entity_type" text,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp(3) with time zone NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_seq_check" CHECK ("audit_log"."seq" >= 1)
);
--> statement-breakpoint
CREATE TABLE "change_log" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "change_log_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"txid" bigint NOT NULL,
	"table_name" text NOT NULL,
	"row_id" text NOT NULL,
	"op" text NOT NULL,
	"values" jsonb,
	"changeset_id" text,
	"created_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"property_id" text,
	"reservation_id" text,
	"task_id" text,
	"reference_entry_id" text,
	"type" text NOT NULL,
	"category" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"description" text,
	"payment_method" text,
	"payment_gateway_id" text,
	"gateway_reference" text,
	"platform_fee_minor" bigint DEFAULT 0 NOT NULL,
	"transaction_fee_minor" bigint DEFAULT 0 NOT NULL,
	"net_amount_minor" bigint NOT NULL,
	"status" text DEFAULT 'COMPLETED' NOT NULL,
	"processed_at" timestamp(3) with time zone,
	"metadata" jsonb,
	"notes" text,
	"created_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "ledger_type_check" CHECK ("ledger_entries"."type" in ('GUEST_PAYMENT', 'OWNER_PAYOUT', 'REFUND', 'TASK_COST', 'AGENCY_FEE', 'PLATFORM_FEE', 'MAINTENANCE_COST', 'CLEANING_COST', 'MARKETING_COST')),
	CONSTRAINT "ledger_status_check" CHECK ("ledger_entries"."status" in ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'REFUNDED')),
	CONSTRAINT "ledger_amount_check" CHECK ("ledger_entries"."amount_minor" >= 0 or "ledger_entries"."reference_entry_id" is not null),
	CONSTRAINT "ledger_platform_fee_check" CHECK ("ledger_entries"."platform_fee_minor" >= 0 or "ledger_entries"."reference_entry_id" is not null),
	CONSTRAINT "ledger_transaction_fee_check" CHECK ("ledger_entries"."transaction_fee_minor" >= 0 or "ledger_entries"."reference_entry_id" is not null),
	CONSTRAINT "ledger_net_check" CHECK ("ledger_entries"."net_amount_minor" = "ledger_entries"."amount_minor" - "ledger_entries"."platform_fee_minor" - "ledger_entries"."transaction_fee_minor")
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"city" text NOT NULL,
	"country" text NOT NULL,
	"region" text,
	"coordinates" jsonb,
	"time_zone" text NOT NULL,
	"currency" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "properties" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"nickname" text,
	"title" text,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"type" text NOT NULL,
	"address" text NOT NULL,
	"location_id" text NOT NULL,
	"owner_id" text,
	"agent_id" text,
	"capacity" integer NOT NULL,
	"bedrooms" integer NOT NULL,
	"bathrooms" double precision NOT NULL,
	"area" double precision,
	"price_per_night_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"description" text,
	"access_notes" text,
	"pricelab_id" text,
	"airbnb_id" text,
	"booking_id" text,
	"primary_image" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"amenities" text[] DEFAULT '{}'::text[] NOT NULL,
	"house_rules" text[] DEFAULT '{}'::text[] NOT NULL,
	"archived_at" timestamp(3) with time zone,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "properties_status_check" CHECK ("properties"."status" in ('ACTIVE', 'INACTIVE', 'MAINTENANCE', 'SUSPENDED')),
	CONSTRAINT "properties_type_check" CHECK ("properties"."type" in ('APARTMENT', 'VILLA', 'STUDIO', 'PENTHOUSE', 'HOUSE', 'CONDO')),
	CONSTRAINT "properties_capacity_check" CHECK ("properties"."capacity" >= 1),
	CONSTRAINT "properties_bedrooms_check" CHECK ("properties"."bedrooms" >= 0),
	CONSTRAINT "properties_bathrooms_check" CHECK ("properties"."bathrooms" >= 0),
	CONSTRAINT "properties_area_check" CHECK ("properties"."area" is null or "properties"."area" > 0),
	CONSTRAINT "properties_price_check" CHECK ("properties"."price_per_night_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "reservations" (
	"id" text PRIMARY KEY NOT NULL,
	"property_id" text NOT NULL,
	"guest_id" text NOT NULL,
	"agent_id" text,
	"check_in" date NOT NULL,
	"check_out" date NOT NULL,
	"guests" integer NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"total_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"guest_name" text NOT NULL,
	"guest_email" text NOT NULL,
	"guest_phone" text,
	"source" text NOT NULL,
	"source_id" text,
	"special_requests" text,
	"notes" text,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "reservations_status_check" CHECK ("reservations"."status" in ('PENDING', 'CONFIRMED', 'CHECKED_IN', 'CHECKED_OUT', 'CANCELLED', 'NO_SHOW')),
	CONSTRAINT "reservations_dates_check" CHECK ("reservations"."check_out" > "reservations"."check_in"),
	CONSTRAINT "reservations_guests_check" CHECK ("reservations"."guests" >= 1),
	CONSTRAINT "reservations_total_check" CHECK ("reservations"."total_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"property_id" text NOT NULL,
	"reservation_id" text,
	"assignee_id" text,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"priority" text DEFAULT 'MEDIUM' NOT NULL,
	"scheduled_at" timestamp(3) with time zone,
	"completed_at" timestamp(3) with time zone,
	"due_at" timestamp(3) with time zone,
	"cost_minor" bigint,
	"estimated_cost_minor" bigint,
	"currency" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"notes" text,
	"attachments" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "tasks_type_check" CHECK ("tasks"."type" in ('CLEANING', 'MAINTENANCE', 'INSPECTION', 'DELIVERY', 'GUEST_MEETING', 'CHECK_IN', 'CHECK_OUT', 'PHOTOGRAPHY', 'MARKETING')),
	CONSTRAINT "tasks_status_check" CHECK ("tasks"."status" in ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'ON_HOLD')),
	CONSTRAINT "tasks_priority_check" CHECK ("tasks"."priority" in ('LOW', 'MEDIUM', 'HIGH', 'URGENT')),
	CONSTRAINT "tasks_cost_check" CHECK ("tasks"."cost_minor" >= 0),
	CONSTRAINT "tasks_estimated_cost_check" CHECK ("tasks"."estimated_cost_minor" >= 0),
	CONSTRAINT "tasks_currency_check" CHECK (("tasks"."cost_minor" is null and "tasks"."estimated_cost_minor" is null) or "tasks"."currency" is not null)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"role" text NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"avatar" text,
	"country" text,
	"flag" text,
	"password_hash" text,
	"is_verified" boolean DEFAULT false NOT NULL,
	"last_login_at" timestamp(3) with time zone,
	"created_at" timestamp(3) with time zone NOT NULL,
	"updated_at" timestamp(3) with time zone NOT NULL,
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('ADMIN', 'MANAGER', 'AGENT', 'OWNER', 'GUEST', 'CLEANER', 'MAINTENANCE_STAFF')),
	CONSTRAINT "users_status_check" CHECK ("users"."status" in ('ACTIVE', 'INACTIVE', 'SUSPENDED', 'VIP'))
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_reservation_id_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "public"."reservations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_reference_entry_id_ledger_entries_id_fk" FOREIGN KEY ("reference_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "properties" ADD CONSTRAINT "properties_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "properties" ADD CONSTRAINT "properties_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "properties" ADD CONSTRAINT "properties_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_guest_id_users_id_fk" FOREIGN KEY ("guest_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_property_id_properties_id_fk" FOREIGN KEY ("property_id") REFERENCES "public"."properties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_reservation_id_reservations_id_fk" FOREIGN KEY ("reservation_id") REFERENCES "public"."reservations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "applied_changesets_device_idx" ON "applied_changesets" USING btree ("device_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_device_seq_unique" ON "audit_log" USING btree ("device_id","seq");--> statement-breakpoint
CREATE INDEX "audit_actor_idx" ON "audit_log" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "audit_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id","at");--> statement-breakpoint
CREATE INDEX "audit_action_idx" ON "audit_log" USING btree ("action","at");--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "change_log_table_seq_idx" ON "change_log" USING btree ("table_name","seq");--> statement-breakpoint
CREATE INDEX "change_log_row_idx" ON "change_log" USING btree ("table_name","row_id");--> statement-breakpoint
CREATE INDEX "ledger_reservation_idx" ON "ledger_entries" USING btree ("reservation_id");--> statement-breakpoint
CREATE INDEX "ledger_property_idx" ON "ledger_entries" USING btree ("property_id","created_at");--> statement-breakpoint
CREATE INDEX "ledger_user_idx" ON "ledger_entries" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "ledger_created_idx" ON "ledger_entries" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "ledger_reference_idx" ON "ledger_entries" USING btree ("reference_entry_id");--> statement-breakpoint
CREATE UNIQUE INDEX "locations_name_unique" ON "locations" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "properties_nickname_unique" ON "properties" USING btree ("nickname");--> statement-breakpoint
CREATE INDEX "properties_location_idx" ON "properties" USING btree ("location_id","status");--> statement-breakpoint
CREATE INDEX "properties_status_idx" ON "properties" USING btree ("status");--> statement-breakpoint
CREATE INDEX "properties_owner_idx" ON "properties" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "properties_agent_idx" ON "properties" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "properties_name_idx" ON "properties" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "reservations_property_dates_idx" ON "reservations" USING btree ("property_id","check_in","check_out");--> statement-breakpoint
CREATE INDEX "reservations_dates_idx" ON "reservations" USING btree ("check_in","check_out");--> statement-breakpoint
CREATE INDEX "reservations_guest_idx" ON "reservations" USING btree ("guest_id");--> statement-breakpoint
CREATE INDEX "reservations_agent_idx" ON "reservations" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "reservations_status_idx" ON "reservations" USING btree ("status","check_in");--> statement-breakpoint
CREATE INDEX "tasks_assignee_idx" ON "tasks" USING btree ("assignee_id","status","scheduled_at");--> statement-breakpoint
CREATE INDEX "tasks_status_idx" ON "tasks" USING btree ("status","scheduled_at");--> statement-breakpoint
CREATE INDEX "tasks_property_idx" ON "tasks" USING btree ("property_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "tasks_reservation_idx" ON "tasks" USING btree ("reservation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_unique" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_role_idx" ON "users" USING btree ("role","status");--> statement-breakpoint
CREATE INDEX "users_name_idx" ON "users" USING btree ("last_name","first_name");