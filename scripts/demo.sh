#!/usr/bin/env bash
# Runs the system with demo data: installs dependencies, makes sure MariaDB and Redis run, builds,
# migrates, loads the demo county into an empty database, then starts the api and one dispatcher.
# Ctrl-C (or SIGTERM) stops both cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
# the demo runs with the development secrets: say so (a process without NODE_ENV is a production one and refuses them)
export NODE_ENV="${NODE_ENV:-development}"
export DATABASE_URL="${DATABASE_URL:-mysql://root:@127.0.0.1:3306/care}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export PORT="${PORT:-3000}"
export ADMIN_PASSWORD="${ADMIN_PASSWORD:-demo-admin-2026}"
export DEMO_PASSWORD="${DEMO_PASSWORD:-demo-2026}"

bash scripts/ensure-deps.sh
bash scripts/services.sh
echo "[demo] building"
npm run build --silent
echo "[demo] migrating $DATABASE_URL"
npm run migrate --silent
npm run seed:demo --silent

# as npm run start:api and start:dispatcher start them (README, Memory)
MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" node --max-old-space-size=1024 dist/apps/api/src/main.js &
api=$!
MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" node dist/apps/dispatcher/src/main.js &
dispatcher=$!
stop() { kill -TERM "$api" "$dispatcher" 2>/dev/null || true; wait "$api" "$dispatcher" 2>/dev/null || true; }
trap stop INT TERM EXIT

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$api" 2>/dev/null || { echo "[demo] the api stopped; see its messages above"; exit 1; }
  sleep 0.5
done
cat <<MSG

  County elderly-care system is running.
    Console:  http://localhost:$PORT/
    API docs: http://localhost:$PORT/docs
    Log in as admin / $ADMIN_PASSWORD, or as a demo user with password $DEMO_PASSWORD:
      bureau (县民政局), manager (县社会福利院), dispatcher (派单员), caregiver (护理员)
  Ctrl-C stops the api and the dispatcher.

MSG
wait -n "$api" "$dispatcher"
