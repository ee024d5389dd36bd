CREATE TABLE "providers"."employer_consent" (
	"consent_id" uuid PRIMARY KEY NOT NULL,
	"learner_id" uuid NOT NULL,
	"employer_id" uuid NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "providers"."webhook_attempt" (
	"delivery_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status_code" integer,
	"latency_ms" integer NOT NULL,
	"error_kind" text,
	"error" text,
	CONSTRAINT "webhook_attempt_delivery_id_attempt_pk" PRIMARY KEY("delivery_id","attempt"),
	CONSTRAINT "webhook_attempt_error_kind_check" CHECK ("providers"."webhook_attempt"."error_kind" in ('TIMEOUT', 'CONNECTION', 'DNS', 'FORBIDDEN_DESTINATION', 'HTTP_STATUS'))
);
--> statement-breakpoint
CREATE TABLE "providers"."webhook_delivery" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"scheduled_attempts" integer DEFAULT 0 NOT NULL,
	"scheduled_since" timestamp with time zone,
	"last_delay_ms" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"claimed_until" timestamp with time zone,
	"last_status_code" integer,
	"last_error_kind" text,
	"last_error" text,
	"last_latency_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "webhook_delivery_status_check" CHECK ("providers"."webhook_delivery"."status" in ('PENDING', 'DELIVERED', 'FAILED')),
	CONSTRAINT "webhook_delivery_due_check" CHECK (("providers"."webhook_delivery"."status" = 'PENDING') = ("providers"."webhook_delivery"."next_attempt_at" is not null)),
	CONSTRAINT "webhook_delivery_delivered_check" CHECK ("providers"."webhook_delivery"."status" <> 'DELIVERED' or "providers"."webhook_delivery"."delivered_at" is not null),
	CONSTRAINT "webhook_delivery_error_kind_check" CHECK ("providers"."webhook_delivery"."last_error_kind" in ('TIMEOUT', 'CONNECTION', 'DNS', 'FORBIDDEN_DESTINATION', 'HTTP_STATUS'))
);
--> statement-breakpoint
CREATE TABLE "providers"."webhook_endpoint" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_kind" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"url" text NOT NULL,
	"description" text,
	"event_types" text[] NOT NULL,
	"created_by" text NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	"disabled_reason" text,
	"failing_since" timestamp with time zone,
	CONSTRAINT "webhook_endpoint_organisation_kind_check" CHECK ("providers"."webhook_endpoint"."organisation_kind" in ('PROVIDER', 'EMPLOYER', 'FUNDER')),
	CONSTRAINT "webhook_endpoint_event_types_check" CHECK (cardinality("providers"."webhook_endpoint"."event_types") > 0),
	CONSTRAINT "webhook_endpoint_disabled_check" CHECK (("providers"."webhook_endpoint"."disabled_at" is null) = ("providers"."webhook_endpoint"."disabled_reason" is null))
);
--> statement-breakpoint
CREATE TABLE "providers"."webhook_secret" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"sealed_secret" text NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retires_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "providers"."webhook_attempt" ADD CONSTRAINT "webhook_attempt_delivery_id_webhook_delivery_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "providers"."webhook_delivery"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers"."webhook_delivery" ADD CONSTRAINT "webhook_delivery_endpoint_id_webhook_endpoint_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "providers"."webhook_endpoint"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "providers"."webhook_secret" ADD CONSTRAINT "webhook_secret_endpoint_id_webhook_endpoint_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "providers"."webhook_endpoint"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "employer_consent_learner_idx" ON "providers"."employer_consent" USING btree ("learner_id") WHERE "providers"."employer_consent"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_delivery_event_key" ON "providers"."webhook_delivery" USING btree ("endpoint_id","event_id");--> statement-breakpoint
CREATE INDEX "webhook_delivery_due_idx" ON "providers"."webhook_delivery" USING btree ("next_attempt_at") WHERE "providers"."webhook_delivery"."status" = 'PENDING';--> statement-breakpoint
CREATE INDEX "webhook_delivery_endpoint_idx" ON "providers"."webhook_delivery" USING btree ("endpoint_id","created_at","id");--> statement-breakpoint
CREATE INDEX "webhook_delivery_endpoint_status_idx" ON "providers"."webhook_delivery" USING btree ("endpoint_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "webhook_endpoint_organisation_idx" ON "providers"."webhook_endpoint" USING btree ("organisation_kind","organisation_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_endpoint_idempotency_key" ON "providers"."webhook_endpoint" USING btree ("organisation_kind","organisation_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "webhook_secret_endpoint_idx" ON "providers"."webhook_secret" USING btree ("endpoint_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_secret_idempotency_key" ON "providers"."webhook_secret" USING btree ("endpoint_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_secret_current_key" ON "providers"."webhook_secret" USING btree ("endpoint_id") WHERE "providers"."webhook_secret"."retires_at" is null;