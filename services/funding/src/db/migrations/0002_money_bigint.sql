ALTER TABLE "funding"."scheme" ALTER COLUMN "budget_sen" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "funding"."scheme" ALTER COLUMN "committed_sen" SET DATA TYPE bigint;