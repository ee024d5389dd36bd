CREATE TABLE "credentials"."credential_share_link" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"credential_id" uuid NOT NULL,
	"holder_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"holder_name" text,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "public_holder_name" text;--> statement-breakpoint
ALTER TABLE "credentials"."credential_share_link" ADD CONSTRAINT "credential_share_link_credential_id_credential_id_fk" FOREIGN KEY ("credential_id") REFERENCES "credentials"."credential"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "credential_share_link_token_idx" ON "credentials"."credential_share_link" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "credential_share_link_credential_idx" ON "credentials"."credential_share_link" USING btree ("credential_id","created_at");