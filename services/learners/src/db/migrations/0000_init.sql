CREATE SCHEMA "learners";
--> statement-breakpoint
CREATE TABLE "learners"."consent_grant" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"learner_id" uuid NOT NULL,
	"grantee_kind" text NOT NULL,
	"grantee_id" uuid NOT NULL,
	"scopes" text[] NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "consent_grant_kind_check" CHECK ("learners"."consent_grant"."grantee_kind" in ('EMPLOYER', 'FUNDER', 'PROVIDER')),
	CONSTRAINT "consent_grant_scopes_check" CHECK (cardinality("learners"."consent_grant"."scopes") > 0)
);
--> statement-breakpoint
CREATE TABLE "learners"."learner" (
	"id" uuid PRIMARY KEY NOT NULL,
	"full_name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"date_of_birth" date NOT NULL,
	"citizenship" text NOT NULL,
	"nric_hash" text,
	"nric_last4" text,
	"state" text,
	"registered_by_provider_id" uuid,
	"registered_by_subject" text NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learner_citizenship_check" CHECK ("learners"."learner"."citizenship" in ('MALAYSIAN', 'PERMANENT_RESIDENT', 'NON_CITIZEN'))
);
--> statement-breakpoint
ALTER TABLE "learners"."consent_grant" ADD CONSTRAINT "consent_grant_learner_id_learner_id_fk" FOREIGN KEY ("learner_id") REFERENCES "learners"."learner"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_grant_learner_idx" ON "learners"."consent_grant" USING btree ("learner_id");--> statement-breakpoint
CREATE INDEX "consent_grant_grantee_idx" ON "learners"."consent_grant" USING btree ("grantee_kind","grantee_id","learner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "learner_email_key" ON "learners"."learner" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "learner_nric_hash_key" ON "learners"."learner" USING btree ("nric_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "learner_idempotency_key" ON "learners"."learner" USING btree ("registered_by_subject","idempotency_key");--> statement-breakpoint
CREATE INDEX "learner_registered_by_provider_idx" ON "learners"."learner" USING btree ("registered_by_provider_id");