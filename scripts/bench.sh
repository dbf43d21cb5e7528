#!/usr/bin/env bash
# Benchmarks: each test/bench/*.bench.ts compares the system with a baseline measured in the same run
# and prints figures and ratios. Needs MariaDB and Redis (started like for the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash scripts/services.sh
# the benchmarks and their fixtures build apart from dist (which holds only what runs): a whole tree in dist-bench
npm run build:bench --silent
status=0
for bench in dist-bench/test/bench/*.bench.js; do
  [ -e "$bench" ] || { echo "no benchmarks built"; exit 1; }
  if [ -n "${1:-}" ] && [[ "$bench" != *"$1"* ]]; then continue; fi
  echo "=== $(basename "$bench" .bench.js)"
  NODE_ENV=test node --expose-gc "$bench" || status=$?
done
exit $status
