DROP INDEX "funding"."income_declaration_learner_idx";--> statement-breakpoint
ALTER TABLE "funding"."income_declaration" ADD COLUMN "funder_id" uuid;--> statement-breakpoint
ALTER TABLE "funding"."income_declaration" ADD COLUMN "application_id" uuid;--> statement-breakpoint
ALTER TABLE "funding"."income_declaration" ADD CONSTRAINT "income_declaration_funder_id_funder_id_fk" FOREIGN KEY ("funder_id") REFERENCES "funding"."funder"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding"."income_declaration" ADD CONSTRAINT "income_declaration_application_id_application_id_fk" FOREIGN KEY ("application_id") REFERENCES "funding"."application"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "income_declaration_application_key" ON "funding"."income_declaration" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "income_declaration_learner_idx" ON "funding"."income_declaration" USING btree ("learner_id","funder_id","declared_at");--> statement-breakpoint
ALTER TABLE "funding"."income_declaration" ADD CONSTRAINT "income_declaration_application_check" CHECK ("funding"."income_declaration"."application_id" is null or "funding"."income_declaration"."funder_id" is not null);--> statement-breakpoint
-- Declarations an older release kept were each made with a B40 application, inserted just before it: link each
-- to the application it came with and its scheme's funder. A declaration no application matches (its application
-- was refused as it was made) is said to no funder, and no funder's eligibility reads it.
UPDATE "funding"."income_declaration" AS d SET "application_id" = m."application_id", "funder_id" = m."funder_id"
FROM (
	SELECT DISTINCT ON (p."declaration_id") p.*
	FROM (
		SELECT DISTINCT ON (a."id") d2."id" AS "declaration_id", a."id" AS "application_id", s."funder_id", a."submitted_at"
		FROM "funding"."income_declaration" d2
		JOIN "funding"."application" a ON a."learner_id" = d2."learner_id" AND a."kind" = 'B40_AID'
			AND a."declared_household_income_sen" = d2."monthly_income_sen" AND a."evidence_reference" = d2."evidence_reference"
			AND a."submitted_at" >= d2."declared_at" AND a."submitted_at" < d2."declared_at" + interval '1 minute'
		JOIN "funding"."scheme" s ON s."id" = a."scheme_id"
		ORDER BY a."id", d2."declared_at" DESC, d2."id" DESC
	) p
	ORDER BY p."declaration_id", p."submitted_at", p."application_id"
) m
WHERE d."id" = m."declaration_id";
