#!/usr/bin/env bash
# Runs every test: type check, ESLint and Prettier, unit tests, e2e/integration tests on real MariaDB and Redis, and the
# browser test of the console when Chromium is there (CI installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh
echo "[test] type check, lint (ESLint, Prettier) and build"
npm run typecheck --silent
npm run lint --silent
npm run format:check --silent
npm run build --silent
echo "[test] jest"
projects=(--selectProjects unit e2e)
if [ -x /usr/bin/chromium ] && ls test/browser/*.browser-spec.ts >/dev/null 2>&1; then projects+=(browser); fi
npx jest "${projects[@]}" --maxWorkers=2 "$@"
