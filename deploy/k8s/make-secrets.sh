#!/usr/bin/env bash
# Writes, to standard output, every Secret a Tauliah deployment needs, with new random values:
#
#   deploy/k8s/make-secrets.sh | kubectl create --namespace tauliah -f -
#
# Use `kubectl create`, never `apply`: create refuses a Secret that exists, so a second run can
# never replace a key the data depends on (PII_HASH_KEY, PII_ENCRYPTION_KEY,
# CREDENTIAL_KEY_ENCRYPTION_KEY and WEBHOOK_SECRET_ENCRYPTION_KEY must be kept as long as the
# data). Keep a copy in your secret store; nothing here is written to disk.
#
# One Secret per process, holding only what that process uses, each key named as the setting
# it becomes (docs/operations.md); [optional] ones only when asked for below:
#   tauliah-gateway      GATEWAY_SECRET [REDIS_URL]
#   tauliah-learners     GATEWAY_SECRET DATABASE_URL NATS_URL PII_HASH_KEY PII_ENCRYPTION_KEY
#   tauliah-providers    GATEWAY_SECRET DATABASE_URL NATS_URL WEBHOOK_SECRET_ENCRYPTION_KEY
#   tauliah-employers    GATEWAY_SECRET DATABASE_URL NATS_URL
#   tauliah-funding      GATEWAY_SECRET DATABASE_URL NATS_URL
#   tauliah-credentials  GATEWAY_SECRET DATABASE_URL NATS_URL CREDENTIAL_KEY_ENCRYPTION_KEY PLATFORM_SIGNING_SEED
#   each of them         [METRICS_TOKEN]
# and for the dependencies, the same passwords again:
#   tauliah-pg-<service> username, password  each service's PostgreSQL role (CloudNativePG's managed roles)
#   tauliah-nats-users   one key per service: its NATS user's password (the NATS chart's values)
#
# Settings, all optional:
#   PG_HOST    the PostgreSQL primary's address (default tauliah-pg-rw, CloudNativePG's read-write Service)
#   NATS_HOST  the NATS Service (default nats, the chart's release name)
#   REDIS_URL  the gateway's Redis for shared rate limits (redis:// or rediss://); unset: none
#   METRICS_TOKEN=generate  a token every process's /metrics asks scrapers for; unset: /metrics is open
set -euo pipefail

pg_host="${PG_HOST:-tauliah-pg-rw}"
nats_host="${NATS_HOST:-nats}"
services=(learners providers employers funding credentials)

# 64 hexadecimal digits: 256 random bits, and safe inside a URL.
random_secret() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }

# A YAML double-quoted scalar: every value written here is hexadecimal, a name or a URL.
quoted() { printf '"%s"' "$1"; }

# Every process's Secret: the shared keys first, then its own.
process_secret() { # name key=value...
  local name="$1"
  shift
  local shared=("GATEWAY_SECRET=$gateway_secret")
  if [[ -n "$metrics_token" ]]; then shared+=("METRICS_TOKEN=$metrics_token"); fi
  secret "$name" Opaque "${shared[@]}" "$@"
}

secret() { # name type key=value...
  local name="$1" type="$2"
  shift 2
  printf -- '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  labels:\n    app.kubernetes.io/part-of: tauliah\n' "$name"
  # CloudNativePG reloads a role's password when a Secret so labelled changes.
  if [[ "$type" == kubernetes.io/basic-auth ]]; then printf '    cnpg.io/reload: "true"\n'; fi
  printf 'type: %s\nstringData:\n' "$type"
  local pair
  for pair in "$@"; do printf '  %s: %s\n' "${pair%%=*}" "$(quoted "${pair#*=}")"; done
}

gateway_secret="$(random_secret)"
metrics_token=""
case "${METRICS_TOKEN:-}" in
  "") ;;
  generate) metrics_token="$(random_secret)" ;;
  *) echo 'METRICS_TOKEN may only be "generate" (or unset): the token is made here' >&2; exit 1 ;;
esac
declare -A db_password nats_password
for service in "${services[@]}"; do
  db_password[$service]="$(random_secret)"
  nats_password[$service]="$(random_secret)"
done

database_url() { printf 'postgres://tauliah_%s:%s@%s:5432/tauliah_%s?sslmode=require' "$1" "${db_password[$1]}" "$pg_host" "$1"; }
# Every service publishes or consumes events, as its own NATS user (deploy/nats/nats-server.conf).
nats_url() { printf 'nats://%s:%s@%s:4222' "$1" "${nats_password[$1]}" "$nats_host"; }

gateway=()
if [[ -n "${REDIS_URL:-}" ]]; then
  if [[ ! "$REDIS_URL" =~ ^rediss?://[^[:space:]\"\\]+$ ]]; then
    echo 'REDIS_URL must be a redis:// or rediss:// URL without spaces, quotes or backslashes' >&2
    exit 1
  fi
  gateway+=("REDIS_URL=$REDIS_URL")
fi
process_secret tauliah-gateway "${gateway[@]}"
process_secret tauliah-learners "DATABASE_URL=$(database_url learners)" "NATS_URL=$(nats_url learners)" \
  "PII_HASH_KEY=$(random_secret)" "PII_ENCRYPTION_KEY=$(random_secret)"
process_secret tauliah-providers "DATABASE_URL=$(database_url providers)" "NATS_URL=$(nats_url providers)" \
  "WEBHOOK_SECRET_ENCRYPTION_KEY=$(random_secret)"
for service in employers funding; do
  process_secret "tauliah-$service" "DATABASE_URL=$(database_url "$service")" "NATS_URL=$(nats_url "$service")"
done
process_secret tauliah-credentials "DATABASE_URL=$(database_url credentials)" "NATS_URL=$(nats_url credentials)" \
  "CREDENTIAL_KEY_ENCRYPTION_KEY=$(random_secret)" "PLATFORM_SIGNING_SEED=$(random_secret)"

for service in "${services[@]}"; do
  secret "tauliah-pg-$service" kubernetes.io/basic-auth "username=tauliah_$service" "password=${db_password[$service]}"
done
nats_users=()
for service in "${services[@]}"; do nats_users+=("$service=${nats_password[$service]}"); done
secret tauliah-nats-users Opaque "${nats_users[@]}"
