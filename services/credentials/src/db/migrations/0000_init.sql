CREATE SCHEMA "credentials";
--> statement-breakpoint
CREATE TABLE "credentials"."credential" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"holder_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"issuer_id" uuid NOT NULL,
	"title" text NOT NULL,
	"credits" integer,
	"mqf_level" integer,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"status_reason" text,
	"visibility" text DEFAULT 'PRIVATE' NOT NULL,
	"renewal_of" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credential_status_check" CHECK ("credentials"."credential"."status" in ('ACTIVE', 'SUSPENDED', 'REVOKED')),
	CONSTRAINT "credential_visibility_check" CHECK ("credentials"."credential"."visibility" in ('PRIVATE', 'EMPLOYERS', 'PUBLIC')),
	CONSTRAINT "credential_credits_check" CHECK ("credentials"."credential"."credits" is null or "credentials"."credential"."credits" >= 0),
	CONSTRAINT "credential_mqf_level_check" CHECK ("credentials"."credential"."mqf_level" is null or "credentials"."credential"."mqf_level" between 1 and 8),
	CONSTRAINT "credential_expiry_check" CHECK ("credentials"."credential"."expires_at" is null or "credentials"."credential"."expires_at" > "credentials"."credential"."issued_at")
);
--> statement-breakpoint
CREATE TABLE "credentials"."credential_skill" (
	"credential_id" uuid NOT NULL,
	"skill_code" text NOT NULL,
	CONSTRAINT "credential_skill_credential_id_skill_code_pk" PRIMARY KEY("credential_id","skill_code")
);
--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD CONSTRAINT "credential_renewal_of_credential_id_fk" FOREIGN KEY ("renewal_of") REFERENCES "credentials"."credential"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials"."credential_skill" ADD CONSTRAINT "credential_skill_credential_id_credential_id_fk" FOREIGN KEY ("credential_id") REFERENCES "credentials"."credential"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credential_holder_idx" ON "credentials"."credential" USING btree ("holder_id","issued_at");--> statement-breakpoint
CREATE INDEX "credential_course_idx" ON "credentials"."credential" USING btree ("course_id");--> statement-breakpoint
CREATE INDEX "credential_issuer_idx" ON "credentials"."credential" USING btree ("issuer_id");--> statement-breakpoint
CREATE INDEX "credential_renewal_of_idx" ON "credentials"."credential" USING btree ("renewal_of");--> statement-breakpoint
CREATE INDEX "credential_skill_code_idx" ON "credentials"."credential_skill" USING btree ("skill_code","credential_id");