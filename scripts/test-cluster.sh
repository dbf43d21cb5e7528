#!/usr/bin/env bash
# npm run test:cluster: starts the Galera cluster and the Redis Cluster (scripts/cluster.sh up, installing the packages
# when absent), builds the server, and runs jest.cluster.config.js: the fault suite (test/cluster) and the race and
# dispatch suites pointed at the cluster. Stops the cluster afterwards if it started it, whatever happened (trap);
# KEEP_CLUSTER=1 leaves it running. Extra arguments go to jest (e.g. --selectProjects cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
export CLUSTER_DIR=${CLUSTER_DIR:-/var/tmp/care-cluster}
was_up=0
bash scripts/cluster.sh status 2>/dev/null | grep -q 'galera node 1 .*Synced size=3' && was_up=1
cleanup() {
  if [ "$was_up" = 0 ] && [ "${KEEP_CLUSTER:-0}" != 1 ]; then bash scripts/cluster.sh down || true; fi
}
trap cleanup EXIT
urls=$(bash scripts/cluster.sh up)
database_url=$(echo "$urls" | sed -n 's/^DATABASE_URL=//p')
export TEST_DATABASE_URL=${database_url%care}
export TEST_REDIS_URL=$(echo "$urls" | sed -n 's/^REDIS_URL=//p')
echo "[test:cluster] TEST_DATABASE_URL=$TEST_DATABASE_URL TEST_REDIS_URL=$TEST_REDIS_URL"
[ "${SKIP_BUILD:-0}" = 1 ] || npm run build:server --silent
started=$(date +%s)
npx jest -c jest.cluster.config.js --runInBand --forceExit "$@"
echo "[test:cluster] passed in $(($(date +%s) - started)) s"
