-- The APEL.M threshold is never below MQA's minimum of 50% of the programme's credits. A pathway defined below it
-- (the check allowed 1-100 before) stops the upgrade, changing nothing, with what to do: the threshold is the
-- provider's published admission rule, so the platform does not rewrite it silently.
DO $$
DECLARE
  below text;
BEGIN
  SELECT string_agg(format('%s (%s, %s%%)', "id", "code", "apel_threshold_percent"), ', ' ORDER BY "code", "id") INTO below
  FROM "providers"."pathway" WHERE "apel_threshold_percent" < 50;
  IF below IS NOT NULL THEN
    RAISE EXCEPTION 'providers: these pathways set an APEL.M threshold below MQA''s minimum of 50%% of the programme''s credits: %. Have each provider update its pathway (updatePathway with apelThresholdPercent 50 or more), or raise them with: update providers.pathway set apel_threshold_percent = 50 where apel_threshold_percent < 50; then start again.', below;
  END IF;
END $$;--> statement-breakpoint
CREATE TABLE "providers"."apel_m_application" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pathway_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"learner_id" uuid NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"target_programme" text NOT NULL,
	"programme_credits" integer NOT NULL,
	"threshold_percent" integer NOT NULL,
	"credits_needed" integer NOT NULL,
	"credits_earned" integer NOT NULL,
	"evidence" jsonb NOT NULL,
	"credits_transferred" integer,
	"reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"idempotency_key" text,
	"decision_idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "apel_m_application_status_check" CHECK ("providers"."apel_m_application"."status" in ('PENDING', 'ADMITTED', 'REFUSED')),
	CONSTRAINT "apel_m_application_threshold_check" CHECK ("providers"."apel_m_application"."threshold_percent" between 50 and 100),
	CONSTRAINT "apel_m_application_programme_credits_check" CHECK ("providers"."apel_m_application"."programme_credits" > 0),
	CONSTRAINT "apel_m_application_eligible_check" CHECK ("providers"."apel_m_application"."credits_needed" * 100 >= "providers"."apel_m_application"."threshold_percent" * "providers"."apel_m_application"."programme_credits" and ("providers"."apel_m_application"."credits_needed" - 1) * 100 < "providers"."apel_m_application"."threshold_percent" * "providers"."apel_m_application"."programme_credits" and "providers"."apel_m_application"."credits_earned" >= "providers"."apel_m_application"."credits_needed"),
	CONSTRAINT "apel_m_application_decided_check" CHECK (("providers"."apel_m_application"."status" = 'PENDING') = ("providers"."apel_m_application"."decided_at" is null) and ("providers"."apel_m_application"."status" = 'PENDING') = ("providers"."apel_m_application"."decided_by" is null) and ("providers"."apel_m_application"."status" <> 'REFUSED' or "providers"."apel_m_application"."reason" is not null)),
	CONSTRAINT "apel_m_application_credits_transferred_check" CHECK (("providers"."apel_m_application"."status" = 'ADMITTED') = ("providers"."apel_m_application"."credits_transferred" is not null)
        and ("providers"."apel_m_application"."credits_transferred" is null or "providers"."apel_m_application"."credits_transferred" between "providers"."apel_m_application"."credits_needed" and least("providers"."apel_m_application"."credits_earned", "providers"."apel_m_application"."programme_credits")))
);
--> statement-breakpoint
CREATE TABLE "providers"."apel_m_application_event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"action" text NOT NULL,
	"actor_subject" text NOT NULL,
	"actor_role" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "apel_m_application_event_action_check" CHECK ("providers"."apel_m_application_event"."action" in ('SUBMITTED', 'ADMITTED', 'REFUSED')),
	CONSTRAINT "apel_m_application_event_actor_role_check" CHECK ("providers"."apel_m_application_event"."actor_role" in ('LEARNER', 'PROVIDER_STAFF', 'PARTNER'))
);
--> statement-breakpoint
ALTER TABLE "providers"."pathway" DROP CONSTRAINT "pathway_apel_threshold_check";--> statement-breakpoint
ALTER TABLE "providers"."apel_m_application" ADD CONSTRAINT "apel_m_application_pathway_id_pathway_id_fk" FOREIGN KEY ("pathway_id") REFERENCES "providers"."pathway"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers"."apel_m_application" ADD CONSTRAINT "apel_m_application_provider_id_provider_id_fk" FOREIGN KEY ("provider_id") REFERENCES "providers"."provider"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers"."apel_m_application_event" ADD CONSTRAINT "apel_m_application_event_application_id_apel_m_application_id_fk" FOREIGN KEY ("application_id") REFERENCES "providers"."apel_m_application"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "apel_m_application_open_key" ON "providers"."apel_m_application" USING btree ("learner_id","pathway_id") WHERE "providers"."apel_m_application"."status" in ('PENDING', 'ADMITTED');--> statement-breakpoint
CREATE UNIQUE INDEX "apel_m_application_idempotency_key" ON "providers"."apel_m_application" USING btree ("learner_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "apel_m_application_decision_idempotency_key" ON "providers"."apel_m_application" USING btree ("provider_id","decision_idempotency_key");--> statement-breakpoint
CREATE INDEX "apel_m_application_learner_idx" ON "providers"."apel_m_application" USING btree ("learner_id","created_at","id");--> statement-breakpoint
CREATE INDEX "apel_m_application_pathway_idx" ON "providers"."apel_m_application" USING btree ("pathway_id","created_at","id");--> statement-breakpoint
CREATE INDEX "apel_m_application_pathway_status_idx" ON "providers"."apel_m_application" USING btree ("pathway_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "apel_m_application_provider_idx" ON "providers"."apel_m_application" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "apel_m_application_event_application_idx" ON "providers"."apel_m_application_event" USING btree ("application_id","at","id");--> statement-breakpoint
ALTER TABLE "providers"."pathway" ADD CONSTRAINT "pathway_apel_threshold_check" CHECK ("providers"."pathway"."apel_threshold_percent" between 50 and 100);