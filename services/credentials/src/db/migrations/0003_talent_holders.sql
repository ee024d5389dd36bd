CREATE TABLE "credentials"."talent_holder" (
	"holder_id" uuid PRIMARY KEY NOT NULL,
	"skills" text[] NOT NULL
);
--> statement-breakpoint
CREATE INDEX "talent_holder_skills_idx" ON "credentials"."talent_holder" USING gin ("skills");