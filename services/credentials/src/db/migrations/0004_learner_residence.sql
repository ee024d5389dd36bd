CREATE TABLE "credentials"."learner_residence" (
	"learner_id" uuid PRIMARY KEY NOT NULL,
	"state" text,
	"version" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
