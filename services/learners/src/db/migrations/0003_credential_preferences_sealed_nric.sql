ALTER TABLE "learners"."learner" ADD COLUMN "nric_last4_sealed" text;--> statement-breakpoint
ALTER TABLE "learners"."learner" ADD COLUMN "credential_visibility" text DEFAULT 'PRIVATE' NOT NULL;--> statement-breakpoint
ALTER TABLE "learners"."learner" ADD CONSTRAINT "learner_credential_visibility_check" CHECK ("learners"."learner"."credential_visibility" in ('PRIVATE', 'EMPLOYERS', 'PUBLIC'));--> statement-breakpoint
-- Nobody has chosen who sees the credentials issued to them yet: every learner is announced PRIVATE,
-- and every learner a provider registered as enrolled with it, for credentials to keep (after every earlier event).
INSERT INTO "learners"."outbox" ("subject", "payload")
SELECT 'learners.learner.preferences', jsonb_build_object('learnerId', "id", 'credentialVisibility', 'PRIVATE')
FROM "learners"."learner" ORDER BY "created_at", "id";--> statement-breakpoint
INSERT INTO "learners"."outbox" ("subject", "payload")
SELECT 'learners.learner.enrolled', jsonb_build_object('learnerId', "id", 'providerId', "registered_by_provider_id")
FROM "learners"."learner" WHERE "registered_by_provider_id" IS NOT NULL ORDER BY "created_at", "id";
