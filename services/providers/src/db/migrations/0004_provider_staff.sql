CREATE TABLE "providers"."staff_account" (
	"provider_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"kind" text NOT NULL,
	"role" text NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_account_pkey" PRIMARY KEY("provider_id","subject"),
	CONSTRAINT "staff_account_kind_check" CHECK ("providers"."staff_account"."kind" in ('PERSON', 'SYSTEM')),
	CONSTRAINT "staff_account_role_check" CHECK ("providers"."staff_account"."role" in ('ADMIN', 'STAFF')),
	CONSTRAINT "staff_account_subject_check" CHECK (length("providers"."staff_account"."subject") between 1 and 255)
);
--> statement-breakpoint
ALTER TABLE "providers"."staff_account" ADD CONSTRAINT "staff_account_provider_id_provider_id_fk" FOREIGN KEY ("provider_id") REFERENCES "providers"."provider"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "staff_account_provider_name_idx" ON "providers"."staff_account" USING btree ("provider_id","name","subject");