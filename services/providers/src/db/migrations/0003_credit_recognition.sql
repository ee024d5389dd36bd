CREATE TABLE "providers"."credit_recognition" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"recognised_course_id" uuid NOT NULL,
	"credits_granted" integer NOT NULL,
	"approved_by" text NOT NULL,
	"approved_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_by" text,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "credit_recognition_credits_check" CHECK ("providers"."credit_recognition"."credits_granted" > 0),
	CONSTRAINT "credit_recognition_distinct_check" CHECK ("providers"."credit_recognition"."course_id" <> "providers"."credit_recognition"."recognised_course_id")
);
--> statement-breakpoint
ALTER TABLE "providers"."credit_recognition" ADD CONSTRAINT "credit_recognition_provider_id_provider_id_fk" FOREIGN KEY ("provider_id") REFERENCES "providers"."provider"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers"."credit_recognition" ADD CONSTRAINT "credit_recognition_course_id_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "providers"."course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers"."credit_recognition" ADD CONSTRAINT "credit_recognition_recognised_course_id_course_id_fk" FOREIGN KEY ("recognised_course_id") REFERENCES "providers"."course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "credit_recognition_active_key" ON "providers"."credit_recognition" USING btree ("course_id","recognised_course_id") WHERE "providers"."credit_recognition"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "credit_recognition_recognised_idx" ON "providers"."credit_recognition" USING btree ("recognised_course_id");--> statement-breakpoint
CREATE INDEX "credit_recognition_provider_idx" ON "providers"."credit_recognition" USING btree ("provider_id");