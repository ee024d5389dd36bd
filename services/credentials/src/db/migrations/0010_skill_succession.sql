CREATE TABLE "credentials"."skill_succession" (
	"code" text PRIMARY KEY NOT NULL,
	"successor_code" text NOT NULL,
	"current_code" text NOT NULL,
	"version" bigint NOT NULL,
	"retired_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "skill_succession_current_idx" ON "credentials"."skill_succession" USING btree ("current_code","code");