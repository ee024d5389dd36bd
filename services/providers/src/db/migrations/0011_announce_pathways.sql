-- Pathways defined before their events: each is announced as it stands (providers.pathway.defined), in code order,
-- so the credentials service, which issues the stages' exit awards, starts from a copy of every one. The award type
-- follows the exit award's title as exitAwardTypeOf reads it (a Diploma when it says so, else a Certificate).
INSERT INTO "providers"."outbox" ("subject", "payload")
SELECT 'providers.pathway.defined', jsonb_build_object(
	'pathwayId', p."id",
	'providerId', p."provider_id",
	'code', p."code",
	'title', p."title",
	'targetProgramme', p."target_programme",
	'targetProgrammeCredits', p."target_programme_credits",
	'apelThresholdPercent', p."apel_threshold_percent",
	'stages', coalesce((
		SELECT jsonb_agg(jsonb_build_object(
			'position', s."position",
			'title', s."title",
			'exitAward', s."exit_award",
			'awardType', CASE WHEN s."exit_award" ~* '\mdiploma\M' THEN 'Diploma' ELSE 'Certificate' END,
			'exitJobRoleTitle', s."exit_job_role_title",
			'minimumCredits', s."minimum_credits",
			'requiredCourseIds', coalesce((SELECT jsonb_agg(c."course_id" ORDER BY c."position") FROM "providers"."stage_course" c WHERE c."stage_id" = s."id" AND c."kind" = 'REQUIRED'), '[]'::jsonb),
			'electiveCourseIds', coalesce((SELECT jsonb_agg(c."course_id" ORDER BY c."position") FROM "providers"."stage_course" c WHERE c."stage_id" = s."id" AND c."kind" = 'ELECTIVE'), '[]'::jsonb)
		) ORDER BY s."position")
		FROM "providers"."pathway_stage" s WHERE s."pathway_id" = p."id"), '[]'::jsonb),
	'recognitions', coalesce((
		SELECT jsonb_agg(jsonb_build_object('courseId', r."course_id", 'recognisedCourseId', r."recognised_course_id", 'creditsGranted', r."credits_granted") ORDER BY r."approved_at", r."id")
		FROM "providers"."credit_recognition" r
		WHERE r."withdrawn_at" IS NULL AND r."course_id" IN (
			SELECT c."course_id" FROM "providers"."stage_course" c JOIN "providers"."pathway_stage" s ON s."id" = c."stage_id" WHERE s."pathway_id" = p."id")), '[]'::jsonb),
	'definedAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
FROM "providers"."pathway" p ORDER BY p."code", p."id";
