#!/usr/bin/env bash
# Run after changing dependencies. npm 11.16+ leaves optional packages the registry does not serve (other
# platforms' native binaries) out of package-lock.json, and then its own `npm ci` rejects the file
# (npm/cli#9846). npm 11.13 writes inert placeholders for them, which every later npm accepts.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund
npx -y npm@11.13.0 install --package-lock-only --no-audit --no-fund
rm -rf /tmp/certops-lock-check && mkdir -p /tmp/certops-lock-check
cp package.json package-lock.json .npmrc /tmp/certops-lock-check/
(cd /tmp/certops-lock-check && npm ci --dry-run --no-audit --no-fund >/dev/null) && echo "package-lock.json: npm ci accepts it"
