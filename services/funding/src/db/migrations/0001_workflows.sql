CREATE TABLE "funding"."application" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scheme_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"learner_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"employer_id" uuid,
	"declared_household_income_sen" integer,
	"evidence_reference" text,
	"amount_sen" integer NOT NULL,
	"supersedes_id" uuid,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"reason" text,
	"idempotency_key" text,
	CONSTRAINT "application_kind_check" CHECK ("funding"."application"."kind" in ('B40_AID', 'HRD_CORP_CLAIM')),
	CONSTRAINT "application_status_check" CHECK ("funding"."application"."status" in ('PENDING', 'APPROVED', 'REJECTED')),
	CONSTRAINT "application_decision_check" CHECK (("funding"."application"."status" = 'PENDING') = ("funding"."application"."decided_at" is null)),
	CONSTRAINT "application_amount_check" CHECK ("funding"."application"."amount_sen" > 0 and coalesce("funding"."application"."declared_household_income_sen", 0) >= 0),
	CONSTRAINT "application_claim_check" CHECK (("funding"."application"."kind" = 'HRD_CORP_CLAIM') = ("funding"."application"."employer_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "funding"."budget_entry" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scheme_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"amount_sen" integer NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budget_entry_kind_check" CHECK ("funding"."budget_entry"."kind" in ('COMMITMENT', 'DISBURSEMENT')),
	CONSTRAINT "budget_entry_amount_check" CHECK ("funding"."budget_entry"."amount_sen" > 0)
);
--> statement-breakpoint
CREATE TABLE "funding"."course_approval" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scheme_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"supersedes_id" uuid,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"reason" text,
	"idempotency_key" text,
	CONSTRAINT "course_approval_status_check" CHECK ("funding"."course_approval"."status" in ('PENDING', 'APPROVED', 'REJECTED')),
	CONSTRAINT "course_approval_decision_check" CHECK (("funding"."course_approval"."status" = 'PENDING') = ("funding"."course_approval"."decided_at" is null))
);
--> statement-breakpoint
CREATE TABLE "funding"."income_declaration" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"learner_id" uuid NOT NULL,
	"monthly_income_sen" integer NOT NULL,
	"evidence_reference" text NOT NULL,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "income_declaration_income_check" CHECK ("funding"."income_declaration"."monthly_income_sen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "funding"."levy_account" (
	"employer_id" uuid PRIMARY KEY NOT NULL,
	"balance_sen" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "levy_account_balance_check" CHECK ("funding"."levy_account"."balance_sen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "funding"."levy_entry" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"employer_id" uuid NOT NULL,
	"application_id" uuid,
	"kind" text NOT NULL,
	"amount_sen" bigint NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "levy_entry_kind_check" CHECK ("funding"."levy_entry"."kind" in ('LEVY_PAID', 'GRANT_DRAWN')),
	CONSTRAINT "levy_entry_amount_check" CHECK ("funding"."levy_entry"."amount_sen" > 0)
);
--> statement-breakpoint
ALTER TABLE "funding"."scheme" ADD COLUMN "committed_sen" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "funding"."application" ADD CONSTRAINT "application_scheme_id_scheme_id_fk" FOREIGN KEY ("scheme_id") REFERENCES "funding"."scheme"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding"."application" ADD CONSTRAINT "application_supersedes_id_application_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "funding"."application"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding"."budget_entry" ADD CONSTRAINT "budget_entry_scheme_id_scheme_id_fk" FOREIGN KEY ("scheme_id") REFERENCES "funding"."scheme"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding"."budget_entry" ADD CONSTRAINT "budget_entry_application_id_application_id_fk" FOREIGN KEY ("application_id") REFERENCES "funding"."application"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding"."course_approval" ADD CONSTRAINT "course_approval_scheme_id_scheme_id_fk" FOREIGN KEY ("scheme_id") REFERENCES "funding"."scheme"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding"."course_approval" ADD CONSTRAINT "course_approval_supersedes_id_course_approval_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "funding"."course_approval"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding"."levy_entry" ADD CONSTRAINT "levy_entry_employer_id_levy_account_employer_id_fk" FOREIGN KEY ("employer_id") REFERENCES "funding"."levy_account"("employer_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding"."levy_entry" ADD CONSTRAINT "levy_entry_application_id_application_id_fk" FOREIGN KEY ("application_id") REFERENCES "funding"."application"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_queue_idx" ON "funding"."application" USING btree ("scheme_id","status","submitted_at","id");--> statement-breakpoint
CREATE INDEX "application_learner_idx" ON "funding"."application" USING btree ("learner_id","course_id");--> statement-breakpoint
CREATE INDEX "application_employer_idx" ON "funding"."application" USING btree ("employer_id","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "application_supersedes_key" ON "funding"."application" USING btree ("supersedes_id");--> statement-breakpoint
CREATE UNIQUE INDEX "application_idempotency_key" ON "funding"."application" USING btree ("submitted_by","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "application_funded_once_key" ON "funding"."application" USING btree ("learner_id","course_id") WHERE "funding"."application"."status" = 'APPROVED';--> statement-breakpoint
CREATE INDEX "budget_entry_scheme_idx" ON "funding"."budget_entry" USING btree ("scheme_id","recorded_at","id");--> statement-breakpoint
CREATE INDEX "budget_entry_application_idx" ON "funding"."budget_entry" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "budget_entry_commitment_key" ON "funding"."budget_entry" USING btree ("application_id") WHERE "funding"."budget_entry"."kind" = 'COMMITMENT';--> statement-breakpoint
CREATE INDEX "course_approval_queue_idx" ON "funding"."course_approval" USING btree ("scheme_id","status","submitted_at","id");--> statement-breakpoint
CREATE INDEX "course_approval_provider_idx" ON "funding"."course_approval" USING btree ("provider_id","submitted_at","id");--> statement-breakpoint
CREATE INDEX "course_approval_course_idx" ON "funding"."course_approval" USING btree ("course_id","scheme_id");--> statement-breakpoint
CREATE UNIQUE INDEX "course_approval_supersedes_key" ON "funding"."course_approval" USING btree ("supersedes_id");--> statement-breakpoint
CREATE UNIQUE INDEX "course_approval_idempotency_key" ON "funding"."course_approval" USING btree ("submitted_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "income_declaration_learner_idx" ON "funding"."income_declaration" USING btree ("learner_id","declared_at");--> statement-breakpoint
CREATE INDEX "levy_entry_employer_idx" ON "funding"."levy_entry" USING btree ("employer_id","recorded_at");--> statement-breakpoint
ALTER TABLE "funding"."scheme" ADD CONSTRAINT "scheme_committed_check" CHECK ("funding"."scheme"."committed_sen" >= 0 and "funding"."scheme"."committed_sen" <= "funding"."scheme"."budget_sen");