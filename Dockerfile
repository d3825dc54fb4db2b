# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the same decision as package.json's allowScripts (npm 10 in this image does not read it).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER 10001:10001
# 3000: /slack/events in HTTP mode (Socket Mode needs no inbound port). 9464: /healthz, /readyz, /metrics, bound to
# 127.0.0.1 unless METRICS_HOST (or server.metricsHost) says otherwise; the Kubernetes manifests set 0.0.0.0.
EXPOSE 3000 9464
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["start", "--role", "all"]
