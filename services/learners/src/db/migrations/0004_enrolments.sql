CREATE TABLE "learners"."enrolment" (
	"id" uuid PRIMARY KEY NOT NULL,
	"learner_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"student_number" text NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"enrolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"enrolled_by_subject" text NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by_subject" text,
	"idempotency_key" text,
	CONSTRAINT "enrolment_status_check" CHECK ("learners"."enrolment"."status" in ('ACTIVE', 'ENDED')),
	CONSTRAINT "enrolment_ended_check" CHECK (("learners"."enrolment"."status" = 'ENDED') = ("learners"."enrolment"."ended_at" is not null and "learners"."enrolment"."ended_by_subject" is not null))
);
--> statement-breakpoint
CREATE TABLE "learners"."enrolment_request" (
	"provider_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"results" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enrolment_request_provider_id_idempotency_key_pk" PRIMARY KEY("provider_id","idempotency_key")
);
--> statement-breakpoint
DROP INDEX "learners"."learner_email_key";--> statement-breakpoint
DROP INDEX "learners"."learner_nric_hash_key";--> statement-breakpoint
DROP INDEX "learners"."learner_idempotency_key";--> statement-breakpoint
DROP INDEX "learners"."learner_registered_by_provider_idx";--> statement-breakpoint
ALTER TABLE "learners"."learner" ADD COLUMN "passport_hash" text;--> statement-breakpoint
ALTER TABLE "learners"."learner" ADD COLUMN "nationality" text;--> statement-breakpoint
ALTER TABLE "learners"."enrolment" ADD CONSTRAINT "enrolment_learner_id_learner_id_fk" FOREIGN KEY ("learner_id") REFERENCES "learners"."learner"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "enrolment_active_key" ON "learners"."enrolment" USING btree ("learner_id","provider_id") WHERE "learners"."enrolment"."status" = 'ACTIVE';--> statement-breakpoint
CREATE UNIQUE INDEX "enrolment_student_number_key" ON "learners"."enrolment" USING btree ("provider_id","student_number") WHERE "learners"."enrolment"."status" = 'ACTIVE';--> statement-breakpoint
CREATE INDEX "enrolment_learner_idx" ON "learners"."enrolment" USING btree ("learner_id");--> statement-breakpoint
-- Every learner a provider registered stays enrolled with it (its learner.enrolled event went out when it
-- registered them, or in 0003). The student number of such an enrolment is the learner's id in upper case:
-- the one number the provider already holds for the student (registerLearner answered it), unique by construction.
INSERT INTO "learners"."enrolment" ("id", "learner_id", "provider_id", "student_number", "status", "enrolled_at", "enrolled_by_subject", "idempotency_key")
SELECT gen_random_uuid(), "id", "registered_by_provider_id", upper("id"::text), 'ACTIVE', "created_at", "registered_by_subject", "idempotency_key"
FROM "learners"."learner" WHERE "registered_by_provider_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "learner_nric_key" ON "learners"."learner" USING btree ("nric_hash","date_of_birth");--> statement-breakpoint
CREATE UNIQUE INDEX "learner_passport_key" ON "learners"."learner" USING btree ("passport_hash","date_of_birth");--> statement-breakpoint
ALTER TABLE "learners"."learner" DROP COLUMN "idempotency_key";--> statement-breakpoint
ALTER TABLE "learners"."learner" ADD CONSTRAINT "learner_passport_check" CHECK (("learners"."learner"."passport_hash" is null) = ("learners"."learner"."nationality" is null));