CREATE TABLE "learners"."course_holders" (
	"course_id" uuid PRIMARY KEY NOT NULL,
	"learners" integer NOT NULL,
	CONSTRAINT "course_holders_learners_check" CHECK ("learners"."course_holders"."learners" >= 0)
);
--> statement-breakpoint
CREATE TABLE "learners"."course_sequence" (
	"course_id" uuid NOT NULL,
	"next_course_id" uuid NOT NULL,
	"learners" integer NOT NULL,
	CONSTRAINT "course_sequence_course_id_next_course_id_pk" PRIMARY KEY("course_id","next_course_id"),
	CONSTRAINT "course_sequence_learners_check" CHECK ("learners"."course_sequence"."learners" > 0)
);
--> statement-breakpoint
CREATE TABLE "learners"."guidance_credential" (
	"credential_id" uuid PRIMARY KEY NOT NULL,
	"learner_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"status" text NOT NULL,
	"achieved_at" timestamp with time zone NOT NULL,
	CONSTRAINT "guidance_credential_status_check" CHECK ("learners"."guidance_credential"."status" in ('HELD', 'REVOKED', 'REPLACED'))
);
--> statement-breakpoint
CREATE TABLE "learners"."held_course" (
	"learner_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"since" timestamp with time zone NOT NULL,
	CONSTRAINT "held_course_learner_id_course_id_pk" PRIMARY KEY("learner_id","course_id")
);
--> statement-breakpoint
CREATE TABLE "learners"."learner_interest" (
	"learner_id" uuid PRIMARY KEY NOT NULL,
	"skill_codes" text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learner_interest_skill_codes_check" CHECK (cardinality("learners"."learner_interest"."skill_codes") between 1 and 10)
);
--> statement-breakpoint
ALTER TABLE "learners"."learner_interest" ADD CONSTRAINT "learner_interest_learner_id_learner_id_fk" FOREIGN KEY ("learner_id") REFERENCES "learners"."learner"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "course_sequence_top_idx" ON "learners"."course_sequence" USING btree ("course_id","learners" DESC NULLS LAST,"next_course_id");--> statement-breakpoint
CREATE INDEX "guidance_credential_learner_idx" ON "learners"."guidance_credential" USING btree ("learner_id","course_id");