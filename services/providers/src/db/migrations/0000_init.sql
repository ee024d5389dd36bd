CREATE SCHEMA "providers";
--> statement-breakpoint
CREATE TABLE "providers"."course" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider_id" uuid NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"credits" integer,
	"notional_hours" integer NOT NULL,
	"mqf_level" integer,
	"learning_outcomes" text[] NOT NULL,
	"fee_sen" integer NOT NULL,
	"delivery_mode" text NOT NULL,
	"accreditation" text NOT NULL,
	"assessment" text NOT NULL,
	"validity_months" integer,
	"status" text DEFAULT 'DRAFT' NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "course_status_check" CHECK ("providers"."course"."status" in ('DRAFT', 'PUBLISHED', 'RETIRED')),
	CONSTRAINT "course_delivery_mode_check" CHECK ("providers"."course"."delivery_mode" in ('ONLINE', 'IN_PERSON', 'BLENDED')),
	CONSTRAINT "course_accreditation_check" CHECK ("providers"."course"."accreditation" in ('MQA_ACCREDITED', 'MQA_PROVISIONAL', 'NOT_CREDIT_BEARING')),
	CONSTRAINT "course_mqf_level_check" CHECK ("providers"."course"."mqf_level" between 1 and 8),
	CONSTRAINT "course_fee_sen_check" CHECK ("providers"."course"."fee_sen" >= 0),
	CONSTRAINT "course_notional_hours_check" CHECK ("providers"."course"."notional_hours" > 0),
	CONSTRAINT "course_validity_months_check" CHECK ("providers"."course"."validity_months" > 0),
	CONSTRAINT "course_credits_check" CHECK ("providers"."course"."credits" is null or ("providers"."course"."credits" > 0 and "providers"."course"."credits" = "providers"."course"."notional_hours" / 40)),
	CONSTRAINT "course_credit_bearing_check" CHECK (("providers"."course"."credits" is null) = ("providers"."course"."accreditation" = 'NOT_CREDIT_BEARING')),
	CONSTRAINT "course_published_at_check" CHECK ("providers"."course"."status" = 'DRAFT' or "providers"."course"."published_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "providers"."course_skill" (
	"course_id" uuid NOT NULL,
	"skill_code" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "course_skill_course_id_skill_code_pk" PRIMARY KEY("course_id","skill_code")
);
--> statement-breakpoint
CREATE TABLE "providers"."pathway" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider_id" uuid NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"target_programme" text NOT NULL,
	"target_programme_credits" integer NOT NULL,
	"apel_threshold_percent" integer DEFAULT 50 NOT NULL,
	CONSTRAINT "pathway_programme_credits_check" CHECK ("providers"."pathway"."target_programme_credits" > 0),
	CONSTRAINT "pathway_apel_threshold_check" CHECK ("providers"."pathway"."apel_threshold_percent" between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "providers"."pathway_stage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pathway_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"minimum_credits" integer,
	"exit_award" text NOT NULL,
	"exit_job_role_title" text,
	CONSTRAINT "pathway_stage_position_check" CHECK ("providers"."pathway_stage"."position" > 0),
	CONSTRAINT "pathway_stage_minimum_credits_check" CHECK ("providers"."pathway_stage"."minimum_credits" > 0)
);
--> statement-breakpoint
CREATE TABLE "providers"."provider" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"state" text NOT NULL,
	"website" text,
	"mqa_registration" text,
	"hrd_corp_registration" text,
	"in_good_standing" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_kind_check" CHECK ("providers"."provider"."kind" in ('ODL_UNIVERSITY', 'PUBLIC_UNIVERSITY', 'PRIVATE_UNIVERSITY', 'TRAINING_PROVIDER', 'INDUSTRY_ACADEMY'))
);
--> statement-breakpoint
CREATE TABLE "providers"."skill" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "providers"."stage_course" (
	"stage_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "stage_course_stage_id_course_id_pk" PRIMARY KEY("stage_id","course_id"),
	CONSTRAINT "stage_course_kind_check" CHECK ("providers"."stage_course"."kind" in ('REQUIRED', 'ELECTIVE'))
);
--> statement-breakpoint
ALTER TABLE "providers"."course" ADD CONSTRAINT "course_provider_id_provider_id_fk" FOREIGN KEY ("provider_id") REFERENCES "providers"."provider"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers"."course_skill" ADD CONSTRAINT "course_skill_course_id_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "providers"."course"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers"."course_skill" ADD CONSTRAINT "course_skill_skill_code_skill_code_fk" FOREIGN KEY ("skill_code") REFERENCES "providers"."skill"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers"."pathway" ADD CONSTRAINT "pathway_provider_id_provider_id_fk" FOREIGN KEY ("provider_id") REFERENCES "providers"."provider"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers"."pathway_stage" ADD CONSTRAINT "pathway_stage_pathway_id_pathway_id_fk" FOREIGN KEY ("pathway_id") REFERENCES "providers"."pathway"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers"."stage_course" ADD CONSTRAINT "stage_course_stage_id_pathway_stage_id_fk" FOREIGN KEY ("stage_id") REFERENCES "providers"."pathway_stage"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers"."stage_course" ADD CONSTRAINT "stage_course_course_id_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "providers"."course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "course_provider_code_key" ON "providers"."course" USING btree ("provider_id","code");--> statement-breakpoint
CREATE INDEX "course_status_code_idx" ON "providers"."course" USING btree ("status","code","id");--> statement-breakpoint
CREATE INDEX "course_provider_code_idx" ON "providers"."course" USING btree ("provider_id","code","id");--> statement-breakpoint
CREATE INDEX "course_mqf_level_idx" ON "providers"."course" USING btree ("mqf_level");--> statement-breakpoint
CREATE INDEX "course_fee_sen_idx" ON "providers"."course" USING btree ("fee_sen");--> statement-breakpoint
CREATE INDEX "course_delivery_mode_idx" ON "providers"."course" USING btree ("delivery_mode");--> statement-breakpoint
CREATE INDEX "course_skill_skill_idx" ON "providers"."course_skill" USING btree ("skill_code","course_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pathway_provider_code_key" ON "providers"."pathway" USING btree ("provider_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "pathway_stage_position_key" ON "providers"."pathway_stage" USING btree ("pathway_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_slug_key" ON "providers"."provider" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "stage_course_course_idx" ON "providers"."stage_course" USING btree ("course_id");