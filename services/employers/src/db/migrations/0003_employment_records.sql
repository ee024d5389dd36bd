ALTER TABLE "employers"."employer" ADD COLUMN "hrd_corp_employer_number" text;--> statement-breakpoint
ALTER TABLE "employers"."employment" ADD COLUMN "declined_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "employers"."employment" ADD COLUMN "recorded_by" text;--> statement-breakpoint
ALTER TABLE "employers"."employment" ADD COLUMN "ended_by" text;--> statement-breakpoint
ALTER TABLE "employers"."employment" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
CREATE INDEX "employment_employer_since_idx" ON "employers"."employment" USING btree ("employer_id","since","id");--> statement-breakpoint
CREATE UNIQUE INDEX "employment_one_open_per_employer_key" ON "employers"."employment" USING btree ("employer_id","learner_id") WHERE "employers"."employment"."until" is null and "employers"."employment"."declined_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "employment_idempotency_key" ON "employers"."employment" USING btree ("employer_id","idempotency_key");--> statement-breakpoint
ALTER TABLE "employers"."employer" ADD CONSTRAINT "employer_hrd_corp_number_check" CHECK ("employers"."employer"."hrd_corp_employer_number" is null or "employers"."employer"."hrd_corp_registered");--> statement-breakpoint
ALTER TABLE "employers"."employment" ADD CONSTRAINT "employment_confirmed_or_declined_check" CHECK (not ("employers"."employment"."confirmed_by_learner" and "employers"."employment"."declined_at" is not null));