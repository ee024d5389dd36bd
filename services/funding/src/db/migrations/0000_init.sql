CREATE SCHEMA "funding";
--> statement-breakpoint
CREATE TABLE "funding"."funder" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funder_kind_check" CHECK ("funding"."funder"."kind" in ('HRD_CORP', 'B40_AID'))
);
--> statement-breakpoint
CREATE TABLE "funding"."scheme" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"funder_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"kind" text NOT NULL,
	"budget_sen" integer NOT NULL,
	"per_learner_cap_sen" integer NOT NULL,
	"co_payment_percent" integer NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	"rules" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scheme_kind_check" CHECK ("funding"."scheme"."kind" in ('HRD_CORP_GRANT', 'B40_AID')),
	CONSTRAINT "scheme_money_check" CHECK ("funding"."scheme"."budget_sen" >= 0 and "funding"."scheme"."per_learner_cap_sen" >= 0 and "funding"."scheme"."per_learner_cap_sen" <= "funding"."scheme"."budget_sen"),
	CONSTRAINT "scheme_co_payment_check" CHECK ("funding"."scheme"."co_payment_percent" between 0 and 100),
	CONSTRAINT "scheme_validity_check" CHECK ("funding"."scheme"."valid_until" >= "funding"."scheme"."valid_from"),
	CONSTRAINT "scheme_rules_check" CHECK (jsonb_typeof("funding"."scheme"."rules") = 'array' and not jsonb_path_exists("funding"."scheme"."rules", '$[*] ? (!(@.kind like_regex "^(AGE_RANGE|CITIZENSHIP|HOUSEHOLD_INCOME_AT_MOST|EMPLOYED_BY_LEVY_PAYER|COURSE_APPROVED_FOR_SCHEME|COURSE_MQF_LEVEL|NOT_ALREADY_FUNDED_FOR_COURSE)$"))'))
);
--> statement-breakpoint
ALTER TABLE "funding"."scheme" ADD CONSTRAINT "scheme_funder_id_funder_id_fk" FOREIGN KEY ("funder_id") REFERENCES "funding"."funder"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "scheme_code_key" ON "funding"."scheme" USING btree ("code");--> statement-breakpoint
CREATE INDEX "scheme_funder_idx" ON "funding"."scheme" USING btree ("funder_id","code");--> statement-breakpoint
CREATE INDEX "scheme_kind_idx" ON "funding"."scheme" USING btree ("kind","published","code");