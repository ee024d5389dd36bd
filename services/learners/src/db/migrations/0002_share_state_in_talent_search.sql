ALTER TABLE "learners"."learner" ADD COLUMN "share_state_in_talent_search" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Nobody shares their state yet: every consumer learns so through the outbox, after every earlier event about the learner.
INSERT INTO "learners"."outbox" ("subject", "payload")
SELECT 'learners.learner.residence', jsonb_build_object('learnerId', "id", 'state', null)
FROM "learners"."learner" WHERE "state" IS NOT NULL ORDER BY "created_at", "id";
