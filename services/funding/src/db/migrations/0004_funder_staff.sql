CREATE TABLE "funding"."staff_account" (
	"funder_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"kind" text NOT NULL,
	"role" text NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_account_pkey" PRIMARY KEY("funder_id","subject"),
	CONSTRAINT "staff_account_kind_check" CHECK ("funding"."staff_account"."kind" in ('PERSON')),
	CONSTRAINT "staff_account_role_check" CHECK ("funding"."staff_account"."role" in ('ADMIN', 'STAFF')),
	CONSTRAINT "staff_account_subject_check" CHECK (length("funding"."staff_account"."subject") between 1 and 255)
);
--> statement-breakpoint
ALTER TABLE "funding"."staff_account" ADD CONSTRAINT "staff_account_funder_id_funder_id_fk" FOREIGN KEY ("funder_id") REFERENCES "funding"."funder"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "staff_account_funder_name_idx" ON "funding"."staff_account" USING btree ("funder_id","name","subject");