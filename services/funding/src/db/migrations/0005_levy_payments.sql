ALTER TABLE "funding"."funder" DROP CONSTRAINT "funder_kind_check";--> statement-breakpoint
ALTER TABLE "funding"."funder" ADD COLUMN "registration_number" text;--> statement-breakpoint
ALTER TABLE "funding"."levy_entry" ADD COLUMN "month" date;--> statement-breakpoint
ALTER TABLE "funding"."levy_entry" ADD COLUMN "recorded_by" text;--> statement-breakpoint
ALTER TABLE "funding"."levy_entry" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
-- Before this release only the seed wrote LEVY_PAID entries, one per employer (its opening balance): each is the
-- payment for the month it was recorded in, on the Malaysian calendar (UTC+8), so every payment names its month.
UPDATE "funding"."levy_entry" SET "month" = date_trunc('month', ("recorded_at" AT TIME ZONE 'UTC') + interval '8 hours')::date
WHERE "kind" = 'LEVY_PAID' AND "month" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "funder_registration_number_key" ON "funding"."funder" USING btree ("registration_number");--> statement-breakpoint
CREATE UNIQUE INDEX "levy_entry_paid_month_key" ON "funding"."levy_entry" USING btree ("employer_id","month") WHERE "funding"."levy_entry"."kind" = 'LEVY_PAID';--> statement-breakpoint
CREATE UNIQUE INDEX "levy_entry_idempotency_key" ON "funding"."levy_entry" USING btree ("recorded_by","idempotency_key");--> statement-breakpoint
ALTER TABLE "funding"."funder" ADD CONSTRAINT "funder_kind_check" CHECK ("funding"."funder"."kind" in ('HRD_CORP', 'B40_AID', 'OTHER'));--> statement-breakpoint
ALTER TABLE "funding"."levy_entry" ADD CONSTRAINT "levy_entry_month_check" CHECK (("funding"."levy_entry"."kind" = 'LEVY_PAID') = ("funding"."levy_entry"."month" is not null) and ("funding"."levy_entry"."month" is null or extract(day from "funding"."levy_entry"."month") = 1));