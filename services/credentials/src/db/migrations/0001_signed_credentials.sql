CREATE TABLE "credentials"."cohort_issuance" (
	"provider_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"results" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cohort_issuance_provider_id_idempotency_key_pk" PRIMARY KEY("provider_id","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "credentials"."issuer" (
	"provider_id" uuid PRIMARY KEY NOT NULL,
	"did" text NOT NULL,
	"base_url" text NOT NULL,
	"name" text NOT NULL,
	"website" text,
	"in_good_standing" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "issuer_did_unique" UNIQUE("did")
);
--> statement-breakpoint
CREATE TABLE "credentials"."issuer_key" (
	"id" text PRIMARY KEY NOT NULL,
	"provider_id" uuid NOT NULL,
	"public_key_multibase" text NOT NULL,
	"sealed_seed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "credentials"."status_list" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider_id" uuid NOT NULL,
	"bits" "bytea" NOT NULL,
	"allocated" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "credentials"."credential_renewal_of_idx";--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "replaced_by" uuid;--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "subject_id" text;--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "status_list_id" uuid;--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "status_index" integer;--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "document" jsonb;--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "document_jwt" text;--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "document_data_integrity" jsonb;--> statement-breakpoint
ALTER TABLE "credentials"."issuer_key" ADD CONSTRAINT "issuer_key_provider_id_issuer_provider_id_fk" FOREIGN KEY ("provider_id") REFERENCES "credentials"."issuer"("provider_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials"."status_list" ADD CONSTRAINT "status_list_provider_id_issuer_provider_id_fk" FOREIGN KEY ("provider_id") REFERENCES "credentials"."issuer"("provider_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "issuer_key_provider_idx" ON "credentials"."issuer_key" USING btree ("provider_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "issuer_key_one_active_idx" ON "credentials"."issuer_key" USING btree ("provider_id") WHERE "credentials"."issuer_key"."retired_at" is null;--> statement-breakpoint
CREATE INDEX "status_list_provider_idx" ON "credentials"."status_list" USING btree ("provider_id","created_at");--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD CONSTRAINT "credential_status_list_id_status_list_id_fk" FOREIGN KEY ("status_list_id") REFERENCES "credentials"."status_list"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "credential_renewal_of_idx" ON "credentials"."credential" USING btree ("renewal_of");--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD CONSTRAINT "credential_status_slot_unique" UNIQUE("status_list_id","status_index");