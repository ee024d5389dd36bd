CREATE TABLE "providers"."organisation_application" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"state" text NOT NULL,
	"website" text,
	"provider_kind" text,
	"mqa_registration" text,
	"hrd_corp_training_provider_number" text,
	"registration_number" text,
	"sector" text,
	"size" text,
	"employee_count" integer,
	"hrd_corp_employer_number" text,
	"administrator_subject" text NOT NULL,
	"administrator_name" text NOT NULL,
	"administrator_email" text NOT NULL,
	"applicant_subject" text NOT NULL,
	"idempotency_key" text,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"organisation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_application_kind_check" CHECK ("providers"."organisation_application"."kind" in ('PROVIDER', 'EMPLOYER', 'FUNDER')),
	CONSTRAINT "organisation_application_status_check" CHECK ("providers"."organisation_application"."status" in ('PENDING', 'APPROVED', 'REJECTED')),
	CONSTRAINT "organisation_application_provider_check" CHECK (("providers"."organisation_application"."kind" = 'PROVIDER') = ("providers"."organisation_application"."provider_kind" is not null and ("providers"."organisation_application"."mqa_registration" is not null or "providers"."organisation_application"."hrd_corp_training_provider_number" is not null))
        and ("providers"."organisation_application"."kind" = 'PROVIDER' or ("providers"."organisation_application"."mqa_registration" is null and "providers"."organisation_application"."hrd_corp_training_provider_number" is null))),
	CONSTRAINT "organisation_application_registration_check" CHECK (("providers"."organisation_application"."kind" = 'PROVIDER') = ("providers"."organisation_application"."registration_number" is null)),
	CONSTRAINT "organisation_application_employer_check" CHECK (("providers"."organisation_application"."kind" = 'EMPLOYER') = ("providers"."organisation_application"."sector" is not null and "providers"."organisation_application"."size" is not null and "providers"."organisation_application"."employee_count" is not null)
        and ("providers"."organisation_application"."kind" = 'EMPLOYER' or ("providers"."organisation_application"."sector" is null and "providers"."organisation_application"."size" is null and "providers"."organisation_application"."employee_count" is null and "providers"."organisation_application"."hrd_corp_employer_number" is null))),
	CONSTRAINT "organisation_application_size_check" CHECK ("providers"."organisation_application"."size" in ('MICRO', 'SMALL', 'MEDIUM', 'LARGE')),
	CONSTRAINT "organisation_application_employee_count_check" CHECK ("providers"."organisation_application"."employee_count" >= 0),
	CONSTRAINT "organisation_application_decided_check" CHECK (("providers"."organisation_application"."status" = 'PENDING') = ("providers"."organisation_application"."decided_at" is null) and ("providers"."organisation_application"."status" = 'PENDING') = ("providers"."organisation_application"."decided_by" is null) and ("providers"."organisation_application"."status" = 'PENDING') = ("providers"."organisation_application"."reason" is null)),
	CONSTRAINT "organisation_application_organisation_check" CHECK (("providers"."organisation_application"."status" = 'APPROVED') = ("providers"."organisation_application"."organisation_id" is not null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "organisation_application_pending_registration_key" ON "providers"."organisation_application" USING btree ("kind","registration_number") WHERE "providers"."organisation_application"."status" = 'PENDING' and "providers"."organisation_application"."registration_number" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "organisation_application_pending_mqa_key" ON "providers"."organisation_application" USING btree ("mqa_registration") WHERE "providers"."organisation_application"."status" = 'PENDING' and "providers"."organisation_application"."mqa_registration" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "organisation_application_pending_hrd_corp_key" ON "providers"."organisation_application" USING btree ("hrd_corp_training_provider_number") WHERE "providers"."organisation_application"."status" = 'PENDING' and "providers"."organisation_application"."hrd_corp_training_provider_number" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "organisation_application_idempotency_key" ON "providers"."organisation_application" USING btree ("applicant_subject","idempotency_key");--> statement-breakpoint
CREATE INDEX "organisation_application_applicant_idx" ON "providers"."organisation_application" USING btree ("applicant_subject","created_at","id");--> statement-breakpoint
CREATE INDEX "organisation_application_status_idx" ON "providers"."organisation_application" USING btree ("status","kind","created_at","id");--> statement-breakpoint
CREATE INDEX "organisation_application_kind_idx" ON "providers"."organisation_application" USING btree ("kind","created_at","id");--> statement-breakpoint
CREATE INDEX "organisation_application_created_idx" ON "providers"."organisation_application" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "organisation_application_registration_idx" ON "providers"."organisation_application" USING btree ("kind","registration_number");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_mqa_registration_key" ON "providers"."provider" USING btree ("mqa_registration") WHERE "providers"."provider"."mqa_registration" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "provider_hrd_corp_registration_key" ON "providers"."provider" USING btree ("hrd_corp_registration") WHERE "providers"."provider"."hrd_corp_registration" is not null;