CREATE INDEX "course_title_trgm_idx" ON "providers"."course" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "course_code_trgm_idx" ON "providers"."course" USING gin ("code" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "course_description_trgm_idx" ON "providers"."course" USING gin ("description" gin_trgm_ops);