ALTER TABLE "credentials"."credential" DROP COLUMN "holder_state";--> statement-breakpoint
-- A learner's state reaches talent search only from the residence events, which carry it only while the learner shares it:
-- a proof filed under a state recorded at issuance is filed under none.
UPDATE "credentials"."talent_proof" "p" SET "holder_state" = NULL
WHERE "p"."holder_state" IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM "credentials"."learner_residence" "r" WHERE "r"."learner_id" = "p"."holder_id" AND "r"."state" = "p"."holder_state"
);
