CREATE SCHEMA "employers";
--> statement-breakpoint
CREATE TABLE "employers"."employer" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"registration_number" text NOT NULL,
	"name" text NOT NULL,
	"sector" text NOT NULL,
	"size" text NOT NULL,
	"employee_count" integer NOT NULL,
	"state" text NOT NULL,
	"hrd_corp_registered" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "employer_size_check" CHECK ("employers"."employer"."size" in ('MICRO', 'SMALL', 'MEDIUM', 'LARGE')),
	CONSTRAINT "employer_employee_count_check" CHECK ("employers"."employer"."employee_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "employers"."employment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"learner_id" uuid NOT NULL,
	"employer_id" uuid NOT NULL,
	"job_title" text NOT NULL,
	"since" date NOT NULL,
	"until" date,
	"confirmed_by_learner" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "employment_dates_check" CHECK ("employers"."employment"."until" is null or "employers"."employment"."until" >= "employers"."employment"."since")
);
--> statement-breakpoint
CREATE TABLE "employers"."job_role" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"employer_id" uuid NOT NULL,
	"title" text NOT NULL,
	"occupation_code" text NOT NULL,
	"description" text NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "employers"."job_role_skill" (
	"job_role_id" uuid NOT NULL,
	"skill_code" text NOT NULL,
	"minimum_level" integer NOT NULL,
	CONSTRAINT "job_role_skill_pkey" PRIMARY KEY("job_role_id","skill_code"),
	CONSTRAINT "job_role_skill_level_check" CHECK ("employers"."job_role_skill"."minimum_level" between 1 and 8)
);
--> statement-breakpoint
ALTER TABLE "employers"."employment" ADD CONSTRAINT "employment_employer_id_employer_id_fk" FOREIGN KEY ("employer_id") REFERENCES "employers"."employer"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employers"."job_role" ADD CONSTRAINT "job_role_employer_id_employer_id_fk" FOREIGN KEY ("employer_id") REFERENCES "employers"."employer"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employers"."job_role_skill" ADD CONSTRAINT "job_role_skill_job_role_id_job_role_id_fk" FOREIGN KEY ("job_role_id") REFERENCES "employers"."job_role"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "employer_registration_number_key" ON "employers"."employer" USING btree ("registration_number");--> statement-breakpoint
CREATE INDEX "employer_state_idx" ON "employers"."employer" USING btree ("state");--> statement-breakpoint
CREATE INDEX "employment_learner_idx" ON "employers"."employment" USING btree ("learner_id","since");--> statement-breakpoint
CREATE INDEX "employment_employer_idx" ON "employers"."employment" USING btree ("employer_id","learner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "employment_one_current_key" ON "employers"."employment" USING btree ("learner_id") WHERE "employers"."employment"."until" is null and "employers"."employment"."confirmed_by_learner";--> statement-breakpoint
CREATE INDEX "job_role_employer_idx" ON "employers"."job_role" USING btree ("employer_id","title","id");--> statement-breakpoint
CREATE INDEX "job_role_published_title_idx" ON "employers"."job_role" USING btree ("published","title","id");--> statement-breakpoint
CREATE INDEX "job_role_search_idx" ON "employers"."job_role" USING gin (to_tsvector('english', "title" || ' ' || "occupation_code" || ' ' || "description"));--> statement-breakpoint
CREATE INDEX "job_role_skill_skill_idx" ON "employers"."job_role_skill" USING btree ("skill_code","job_role_id");