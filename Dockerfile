# One image for every process; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=true TURBO_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
COPY gateway ./gateway
COPY test/package.json ./test/package.json
RUN npm ci --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
USER node
# Overridden per service in docker-compose.yml.
CMD ["node", "--import", "tsx", "gateway/src/main.ts"]
