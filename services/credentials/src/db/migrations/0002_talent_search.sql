CREATE TABLE "credentials"."talent_proof" (
	"skill_code" text NOT NULL,
	"level" integer NOT NULL,
	"holder_id" uuid NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"issuer_id" uuid NOT NULL,
	"credential_id" uuid NOT NULL,
	"holder_state" text,
	CONSTRAINT "talent_proof_pkey" PRIMARY KEY("credential_id","skill_code")
);
--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "holder_state" text;--> statement-breakpoint
ALTER TABLE "credentials"."talent_proof" ADD CONSTRAINT "talent_proof_credential_id_credential_id_fk" FOREIGN KEY ("credential_id") REFERENCES "credentials"."credential"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "talent_proof_search_idx" ON "credentials"."talent_proof" USING btree ("skill_code","level","holder_id","issued_at","expires_at","issuer_id","credential_id");--> statement-breakpoint
CREATE INDEX "talent_proof_state_idx" ON "credentials"."talent_proof" USING btree ("skill_code","holder_state","level","holder_id","issued_at");--> statement-breakpoint
CREATE INDEX "talent_proof_holder_idx" ON "credentials"."talent_proof" USING btree ("holder_id");