CREATE TABLE "employers"."course_endorsement" (
	"employer_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "course_endorsement_pkey" PRIMARY KEY("employer_id","course_id")
);
--> statement-breakpoint
ALTER TABLE "employers"."course_endorsement" ADD CONSTRAINT "course_endorsement_employer_id_employer_id_fk" FOREIGN KEY ("employer_id") REFERENCES "employers"."employer"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "course_endorsement_course_idx" ON "employers"."course_endorsement" USING btree ("course_id","created_at");