-- Trigram matching for the course catalogue's text search (ILIKE '%term%' served by GIN indexes).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
