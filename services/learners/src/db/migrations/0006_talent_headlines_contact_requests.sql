CREATE TABLE "learners"."contact_request" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"learner_id" uuid NOT NULL,
	"employer_id" uuid NOT NULL,
	"job_role_id" uuid NOT NULL,
	"message" text NOT NULL,
	"scopes" text[] NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"requested_by_subject" text NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"consent_id" uuid,
	CONSTRAINT "contact_request_status_check" CHECK ("learners"."contact_request"."status" in ('PENDING', 'ACCEPTED', 'DECLINED', 'EXPIRED')),
	CONSTRAINT "contact_request_answered_check" CHECK (("learners"."contact_request"."status" in ('ACCEPTED', 'DECLINED')) = ("learners"."contact_request"."answered_at" is not null)),
	CONSTRAINT "contact_request_consent_check" CHECK (("learners"."contact_request"."status" = 'ACCEPTED') = ("learners"."contact_request"."consent_id" is not null)),
	CONSTRAINT "contact_request_message_check" CHECK (char_length("learners"."contact_request"."message") between 1 and 1000),
	CONSTRAINT "contact_request_scopes_check" CHECK (cardinality("learners"."contact_request"."scopes") > 0 and "learners"."contact_request"."scopes" <@ array['PROFILE', 'CONTACT', 'CREDENTIALS']::text[])
);
--> statement-breakpoint
CREATE TABLE "learners"."talent_headline" (
	"learner_id" uuid PRIMARY KEY NOT NULL,
	"text" text NOT NULL,
	"region" text,
	"skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "talent_headline_text_check" CHECK (char_length("learners"."talent_headline"."text") between 1 and 140),
	CONSTRAINT "talent_headline_skills_check" CHECK (cardinality("learners"."talent_headline"."skills") <= 10)
);
--> statement-breakpoint
ALTER TABLE "learners"."contact_request" ADD CONSTRAINT "contact_request_learner_id_learner_id_fk" FOREIGN KEY ("learner_id") REFERENCES "learners"."learner"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learners"."contact_request" ADD CONSTRAINT "contact_request_consent_id_consent_grant_id_fk" FOREIGN KEY ("consent_id") REFERENCES "learners"."consent_grant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learners"."talent_headline" ADD CONSTRAINT "talent_headline_learner_id_learner_id_fk" FOREIGN KEY ("learner_id") REFERENCES "learners"."learner"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contact_request_pending_key" ON "learners"."contact_request" USING btree ("learner_id","employer_id") WHERE "learners"."contact_request"."status" = 'PENDING';--> statement-breakpoint
CREATE UNIQUE INDEX "contact_request_idempotency_key" ON "learners"."contact_request" USING btree ("employer_id","idempotency_key") WHERE "learners"."contact_request"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "contact_request_employer_idx" ON "learners"."contact_request" USING btree ("employer_id","created_at","id");--> statement-breakpoint
CREATE INDEX "contact_request_employer_status_idx" ON "learners"."contact_request" USING btree ("employer_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "contact_request_learner_idx" ON "learners"."contact_request" USING btree ("learner_id","employer_id","status","answered_at");