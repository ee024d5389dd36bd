-- Consents given before their events: every one still in force is announced as granted, oldest first, so a service
-- that keeps who consented to whom starts from them. One revoked or expired has ended already and is not announced.
INSERT INTO "learners"."outbox" ("subject", "payload")
SELECT 'learners.consent.granted', jsonb_build_object(
	'consentId', "id",
	'learnerId', "learner_id",
	'granteeKind', "grantee_kind",
	'granteeId', "grantee_id",
	'scopes', to_jsonb("scopes"),
	'expiresAt', to_char("expires_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
FROM "learners"."consent_grant" WHERE "revoked_at" IS NULL AND "expires_at" > now() ORDER BY "granted_at", "id";
