ALTER TABLE "providers"."skill" ADD COLUMN "framework" text;--> statement-breakpoint
ALTER TABLE "providers"."skill" ADD COLUMN "framework_reference" text;--> statement-breakpoint
ALTER TABLE "providers"."skill" ADD COLUMN "retired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "providers"."skill" ADD COLUMN "successor_code" text;--> statement-breakpoint
ALTER TABLE "providers"."skill" ADD CONSTRAINT "skill_successor_code_skill_code_fk" FOREIGN KEY ("successor_code") REFERENCES "providers"."skill"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "skill_in_use_idx" ON "providers"."skill" USING btree ("code") WHERE "providers"."skill"."retired_at" is null;--> statement-breakpoint
CREATE INDEX "skill_successor_idx" ON "providers"."skill" USING btree ("successor_code");--> statement-breakpoint
ALTER TABLE "providers"."skill" ADD CONSTRAINT "skill_framework_check" CHECK ("providers"."skill"."framework" in ('ESCO', 'MASCO', 'ONET', 'OTHER'));--> statement-breakpoint
ALTER TABLE "providers"."skill" ADD CONSTRAINT "skill_framework_reference_check" CHECK (("providers"."skill"."framework" is null) = ("providers"."skill"."framework_reference" is null));--> statement-breakpoint
ALTER TABLE "providers"."skill" ADD CONSTRAINT "skill_retired_check" CHECK (("providers"."skill"."retired_at" is null) = ("providers"."skill"."successor_code" is null));--> statement-breakpoint
ALTER TABLE "providers"."skill" ADD CONSTRAINT "skill_successor_check" CHECK ("providers"."skill"."successor_code" <> "providers"."skill"."code");