# moneypenny: build with the dev toolchain, run with production dependencies only.
# Node 26 (Node 20, on the build machines, reached end of life in April 2026).

# 1. Compile TypeScript.
FROM node:26-bookworm-slim AS build
WORKDIR /app
# bcrypt and better-sqlite3 are native: compilers for any prebuilt binary that does not match.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY test ./test
RUN npm run build

# 2. Production dependencies only, native modules built here.
FROM node:26-bookworm-slim AS production-dependencies
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# 3. Runtime: no compilers, no dev dependencies, no sources, not root.
FROM node:26-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    SQLITE_PATH=/var/lib/moneypenny/moneypenny.db
WORKDIR /app
COPY --from=production-dependencies --chown=root:root /app/node_modules ./node_modules
# The server as one bundled module (scripts/bundle.mjs), and tsc's output beside it for the CLI.
COPY --from=build --chown=root:root /app/dist/bundle ./dist/bundle
COPY --from=build --chown=root:root /app/dist/src ./dist/src
COPY --chown=root:root package.json ./
# Node's compile cache, filled here once, so that every start skips compiling the modules
# (a read-only root filesystem only stops new entries being written).
ENV NODE_COMPILE_CACHE=/app/.compile-cache
RUN node --input-type=module -e "await import('/app/dist/bundle/main.js')"
# The embedded store's folder is the only place the service writes.
RUN mkdir -p /var/lib/moneypenny && chown node:node /var/lib/moneypenny
VOLUME ["/var/lib/moneypenny"]
# Numeric, so Kubernetes can check runAsNonRoot without reading /etc/passwd (node is 1000 in the official image).
USER 1000:1000
EXPOSE 8080
# No curl in the image: Node's own fetch asks /healthz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# Two malloc arenas, not eight per core: the thread pool's signatures and bcrypt each left an arena
# of freed memory behind (about 10 MB of RSS at the bench's end; docs/performance.md#memory).
ENV MALLOC_ARENA_MAX=2
# A young generation of at most 2 x 4 MB: Node 26 sizes it from the machine's memory (50 MB and more
# on a large host), which a sidecar pays in RSS; 4 MB costs a hot check 0.4 µs of scavenges. The old
# generation may grow by 30% of what survived the last full collection before the next (V8 picks up
# to 4 times): the bench's end RSS 144-148 MB instead of 159-229 (docs/performance.md#memory).
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=30", "dist/bundle/server.js"]
