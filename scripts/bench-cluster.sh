#!/usr/bin/env bash
# Admissions/s and dispatch orders/s on the Galera cluster + Redis Cluster beside the single node (127.0.0.1:3306,
# Redis 6379), in one run: the admissions and dispatch benchmarks (test/bench), each run twice with the same knobs,
# single node first. On the cluster the api and the dispatchers get the three-node DATABASE_URL (they use node 1)
# and REDIS_URL=redis+cluster://…, so every commit is certified by all three nodes.
#   scripts/bench-cluster.sh [admissions|dispatch]
# Knobs: BENCH_SECONDS (5), BENCH_CONCURRENCY (32), BENCH_ORDERS (2000), BENCH_CAREGIVERS (300), BENCH_DAYS (7),
# KEEP_CLUSTER=1 leaves a cluster this script started running. Needs root (scripts/cluster.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
was_up=0
bash scripts/cluster.sh status 2>/dev/null | grep -q 'galera node 1 .*Synced size=3' && was_up=1
cleanup() { if [ "$was_up" = 0 ] && [ "${KEEP_CLUSTER:-0}" != 1 ]; then bash scripts/cluster.sh down || true; fi; }
trap cleanup EXIT
urls=$(bash scripts/cluster.sh up)
cluster_db=$(echo "$urls" | sed -n 's/^DATABASE_URL=//p')
cluster_db=${cluster_db%care}
cluster_redis=$(echo "$urls" | sed -n 's/^REDIS_URL=//p')
bash scripts/services.sh >/dev/null
# the benchmarks build into dist-bench (with the api and dispatcher they start), as in scripts/bench.sh
npm run build:bench --silent

run() {
  local label=$1 db=$2 redis=$3 bench=$4
  echo "=== $bench on $label ($db, $redis)"
  BENCH_DATABASE_URL=$db BENCH_REDIS_URL=$redis NODE_ENV=test node --expose-gc "dist-bench/test/bench/$bench.bench.js" 2>&1 |
    grep -E 'admissions/s|orders/s|hard rules|PASS|MISS' || true
}
export BENCH_SECONDS=${BENCH_SECONDS:-5} BENCH_CONCURRENCY=${BENCH_CONCURRENCY:-32} BENCH_READS=0
export BENCH_ORDERS=${BENCH_ORDERS:-2000} BENCH_CAREGIVERS=${BENCH_CAREGIVERS:-300} BENCH_DISPATCHERS=${BENCH_DISPATCHERS:-2}
export BENCH_EMPTY_JOBS=${BENCH_EMPTY_JOBS:-1000} BENCH_TRICKLE_POOL=${BENCH_TRICKLE_POOL:-100}
for bench in admissions dispatch; do
  [ "$which" = all ] || [ "$which" = "$bench" ] || continue
  run "single node" 'mysql://root:@127.0.0.1:3306/' 'redis://127.0.0.1:6379/0' "$bench"
  run "Galera ×3 + Redis Cluster" "$cluster_db" "$cluster_redis" "$bench"
done
