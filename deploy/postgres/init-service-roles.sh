#!/bin/sh
# Mounted into /docker-entrypoint-initdb.d: the PostgreSQL image runs it once, on an empty
# data volume. It creates a role and a database per service (service-roles.sql) with the
# passwords docker-compose.yml passes in. A volume initialised earlier is not touched:
# run service-roles.sql against it by hand (see its header) to move to per-service roles.
set -eu
: "${POSTGRES_USER:?}" "${POSTGRES_DB:?}"
: "${LEARNERS_DB_PASSWORD:?set LEARNERS_DB_PASSWORD}" "${PROVIDERS_DB_PASSWORD:?set PROVIDERS_DB_PASSWORD}"
: "${EMPLOYERS_DB_PASSWORD:?set EMPLOYERS_DB_PASSWORD}" "${FUNDING_DB_PASSWORD:?set FUNDING_DB_PASSWORD}"
: "${CREDENTIALS_DB_PASSWORD:?set CREDENTIALS_DB_PASSWORD}"
psql --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v ON_ERROR_STOP=1 \
  -v admin_database="$POSTGRES_DB" \
  -v learners_password="$LEARNERS_DB_PASSWORD" \
  -v providers_password="$PROVIDERS_DB_PASSWORD" \
  -v employers_password="$EMPLOYERS_DB_PASSWORD" \
  -v funding_password="$FUNDING_DB_PASSWORD" \
  -v credentials_password="$CREDENTIALS_DB_PASSWORD" \
  -f /etc/tauliah/service-roles.sql
