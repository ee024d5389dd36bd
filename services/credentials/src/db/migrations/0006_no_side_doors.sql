CREATE TABLE "credentials"."learner_enrolment" (
	"learner_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learner_enrolment_learner_id_provider_id_pk" PRIMARY KEY("learner_id","provider_id")
);
--> statement-breakpoint
CREATE TABLE "credentials"."learner_preference" (
	"learner_id" uuid PRIMARY KEY NOT NULL,
	"credential_visibility" text NOT NULL,
	"version" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "credentials"."issuer_key" ADD COLUMN "compromised_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "credentials"."issuer_key" ADD COLUMN "compromise_reported_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "credentials"."status_list" ADD COLUMN "purpose" text DEFAULT 'message' NOT NULL;--> statement-breakpoint
ALTER TABLE "credentials"."status_list" ADD COLUMN "suspension_bits" "bytea";--> statement-breakpoint
CREATE INDEX "learner_enrolment_provider_idx" ON "credentials"."learner_enrolment" USING btree ("provider_id");--> statement-breakpoint
ALTER TABLE "credentials"."status_list" ADD CONSTRAINT "status_list_purpose_check" CHECK ("credentials"."status_list"."purpose" in ('message', 'revocation'));--> statement-breakpoint
ALTER TABLE "credentials"."status_list" ADD CONSTRAINT "status_list_suspension_check" CHECK (("credentials"."status_list"."purpose" = 'revocation') = ("credentials"."status_list"."suspension_bits" is not null));