-- One credential per learner and course that still counts: first make sure the data already obeys it, and say how to mend it if not.
DO $$
DECLARE
  violating integer;
BEGIN
  SELECT count(*) INTO violating FROM (
    SELECT 1 FROM "credentials"."credential"
    WHERE "status" in ('ACTIVE', 'SUSPENDED') and "replaced_by" is null
    GROUP BY "holder_id", "course_id" HAVING count(*) > 1
  ) pairs;
  IF violating > 0 THEN
    RAISE EXCEPTION 'credentials: % learner and course pairs hold more than one ACTIVE or SUSPENDED credential not replaced by a renewal, so one credential per learner and course cannot be enforced. List them with: select holder_id, course_id, array_agg(id order by issued_at) from credentials.credential where status in (''ACTIVE'', ''SUSPENDED'') and replaced_by is null group by 1, 2 having count(*) > 1; revoke the extra credentials, then start again.', violating;
  END IF;
END $$;--> statement-breakpoint
DROP INDEX "credentials"."credential_issuer_idx";--> statement-breakpoint
ALTER TABLE "credentials"."credential" ADD COLUMN "student_number" text;--> statement-breakpoint
ALTER TABLE "credentials"."learner_enrolment" ADD COLUMN "version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "credentials"."learner_enrolment" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "credential_issuer_course_idx" ON "credentials"."credential" USING btree ("issuer_id","course_id","issued_at","id");--> statement-breakpoint
CREATE INDEX "credential_issuer_status_idx" ON "credentials"."credential" USING btree ("issuer_id","status","issued_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "credential_one_per_course_idx" ON "credentials"."credential" USING btree ("holder_id","course_id") WHERE "credentials"."credential"."status" in ('ACTIVE', 'SUSPENDED') and "credentials"."credential"."replaced_by" is null;--> statement-breakpoint
CREATE INDEX "credential_issuer_idx" ON "credentials"."credential" USING btree ("issuer_id","issued_at","id");