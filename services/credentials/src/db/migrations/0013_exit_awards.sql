CREATE TABLE "credentials"."award_constituent" (
	"award_id" uuid NOT NULL,
	"credential_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "award_constituent_award_id_credential_id_pk" PRIMARY KEY("award_id","credential_id")
);
--> statement-breakpoint
CREATE TABLE "credentials"."pathway_copy" (
	"pathway_id" uuid PRIMARY KEY NOT NULL,
	"provider_id" uuid NOT NULL,
	"definition" jsonb NOT NULL,
	"version" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credentials"."pathway_copy_course" (
	"pathway_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	CONSTRAINT "pathway_copy_course_pathway_id_course_id_pk" PRIMARY KEY("pathway_id","course_id")
);
--> statement-breakpoint
CREATE TABLE "credentials"."provider_consent" (
	"consent_id" uuid PRIMARY KEY NOT NULL,
	"learner_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"scopes" text[] NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "credentials"."credential" ALTER COLUMN "course_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "award_pathway_id" uuid;--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "award_stage_position" integer;--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "award_incomplete_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "credentials"."award_constituent" ADD CONSTRAINT "award_constituent_award_id_credential_id_fk" FOREIGN KEY ("award_id") REFERENCES "credentials"."credential"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials"."award_constituent" ADD CONSTRAINT "award_constituent_credential_id_credential_id_fk" FOREIGN KEY ("credential_id") REFERENCES "credentials"."credential"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials"."pathway_copy_course" ADD CONSTRAINT "pathway_copy_course_pathway_id_pathway_copy_pathway_id_fk" FOREIGN KEY ("pathway_id") REFERENCES "credentials"."pathway_copy"("pathway_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "award_constituent_credential_idx" ON "credentials"."award_constituent" USING btree ("credential_id");--> statement-breakpoint
CREATE INDEX "pathway_copy_course_course_idx" ON "credentials"."pathway_copy_course" USING btree ("course_id","pathway_id");--> statement-breakpoint
CREATE INDEX "provider_consent_learner_idx" ON "credentials"."provider_consent" USING btree ("learner_id","provider_id");--> statement-breakpoint
CREATE UNIQUE INDEX "credential_one_award_idx" ON "credentials"."credential" USING btree ("holder_id","award_pathway_id","award_stage_position") WHERE "credentials"."credential"."award_pathway_id" is not null;--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD CONSTRAINT "credential_course_or_award_check" CHECK (("credentials"."credential"."course_id" is null) = ("credentials"."credential"."award_pathway_id" is not null) and ("credentials"."credential"."award_pathway_id" is null) = ("credentials"."credential"."award_stage_position" is null));