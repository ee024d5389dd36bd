CREATE TABLE "employers"."staff_account" (
	"employer_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"kind" text NOT NULL,
	"role" text NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_account_pkey" PRIMARY KEY("employer_id","subject"),
	CONSTRAINT "staff_account_kind_check" CHECK ("employers"."staff_account"."kind" in ('PERSON', 'SYSTEM')),
	CONSTRAINT "staff_account_role_check" CHECK ("employers"."staff_account"."role" in ('ADMIN', 'STAFF')),
	CONSTRAINT "staff_account_subject_check" CHECK (length("employers"."staff_account"."subject") between 1 and 255)
);
--> statement-breakpoint
ALTER TABLE "employers"."staff_account" ADD CONSTRAINT "staff_account_employer_id_employer_id_fk" FOREIGN KEY ("employer_id") REFERENCES "employers"."employer"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "staff_account_employer_name_idx" ON "employers"."staff_account" USING btree ("employer_id","name","subject");