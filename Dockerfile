# One image for every process; docker-compose.yml and deploy/k8s pick the entry point.
# Nothing is written at run time in production (Postgres, the identity provider's JWKS and
# GATEWAY_SECRET replace the local data folder) but tsx's cache in /tmp, so the root filesystem
# can be read-only.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=true TURBO_TELEMETRY_DISABLED=1
# A young generation of 3 x 64 MiB at most, grown only under load: a batch request (10,000 learners'
# eligibility) keeps its objects alive across many collections, and with V8's 16 MiB default they are
# copied over and over (docs/operations.md). deploy/k8s sets NODE_OPTIONS per process, with this flag too.
ENV NODE_OPTIONS=--max-semi-space-size=64
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
COPY gateway ./gateway
COPY test/package.json ./test/package.json
RUN npm ci --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
# The image's "node" user, by number so Kubernetes can check runAsNonRoot.
USER 1000:1000
# Overridden per process in docker-compose.yml and deploy/k8s.
CMD ["node", "--import", "tsx", "gateway/src/main.ts"]
