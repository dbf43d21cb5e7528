#!/usr/bin/env bash
# A three-node MariaDB Galera cluster and a Redis Cluster (three masters, three replicas) on loopback ports, from
# Debian's packages (installed with apt when absent), for `npm run test:cluster` and for trying a cluster by hand.
#
#   scripts/cluster.sh up                 starts whatever is not running (idempotent); prints the URLs
#   scripts/cluster.sh down               stops only the processes it started (pid files), removes the data
#   scripts/cluster.sh status             what runs, the Galera cluster size, the Redis Cluster state
#   scripts/cluster.sh urls               the DATABASE_URL / REDIS_URL lines for the running cluster
#   scripts/cluster.sh stop-node N        SIGKILLs Galera node N (1–3) — the fault suite's kill
#   scripts/cluster.sh start-node N       restarts node N from its data: recovers its position (--wsrep-recover) so
#                                         it rejoins by IST (only the write-sets it missed), waits until it is Synced
#
# Never touches the default MariaDB (3306) or Redis (6379). Everything lives under CLUSTER_DIR.
# Environment: CLUSTER_DIR (/var/tmp/care-cluster), CLUSTER_DB_PORT (3311: nodes on 3311–3313, Galera group
# communication on 4567+10·i, IST on 4568+10·i, SST on 4569+10·i), CLUSTER_REDIS_PORT (7001: 7001–7006).
set -euo pipefail

DIR=${CLUSTER_DIR:-/var/tmp/care-cluster}
DB_PORT=${CLUSTER_DB_PORT:-3311}
REDIS_PORT=${CLUSTER_REDIS_PORT:-7001}
NODES=3
REDIS_NODES=6
PROVIDER=/usr/lib/galera/libgalera_smm.so

log() { echo "[cluster] $*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

db_port() { echo $((DB_PORT + $1 - 1)); }
gcomm_port() { echo $((4567 + ($1 - 1) * 10)); }
db_cli() { mariadb -uroot -h127.0.0.1 -P"$(db_port "$1")" --connect-timeout=2 -N -B "${@:2}"; }
wsrep() { db_cli "$1" -e "SHOW STATUS LIKE '$2'" 2>/dev/null | awk '{print $2}'; }

ensure_packages() {
  local missing=()
  [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  [ -f "$PROVIDER" ] || missing+=(galera-4)
  command -v mariadb-backup >/dev/null || missing+=(mariadb-backup)
  command -v rsync >/dev/null || missing+=(rsync)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-tools)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} with apt"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

gcomm_address() {
  local list=() i
  for i in $(seq 1 $NODES); do list+=("127.0.0.1:$(gcomm_port "$i")"); done
  (IFS=,; echo "gcomm://${list[*]}")
}

# mariadbd's arguments for node $1 (its own datadir, socket, ports; Galera's required settings). A node that dies
# without leaving stalls the others' commits until it is declared dead: evs.suspect_timeout (default 5 s) is cut to
# 3 s, as on a LAN.
node_args() {
  local i=$1 g; g=$(gcomm_port "$i")
  echo --no-defaults --user=mysql --datadir="$DIR/db$i" --socket="$DIR/db$i.sock" --pid-file="$DIR/db$i.server.pid" \
    --port="$(db_port "$i")" --bind-address=127.0.0.1 --log-error="$DIR/db$i.err" \
    --skip-name-resolve --max-connections=500 --innodb-buffer-pool-size=128M --innodb-log-file-size=64M \
    --innodb-flush-log-at-trx-commit=2 --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
    --wsrep-on=ON --wsrep-provider="$PROVIDER" --wsrep-cluster-name=care --wsrep-node-name="node$i" \
    --wsrep-node-address="127.0.0.1:$g" --wsrep-cluster-address="$(gcomm_address)" \
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$((g + 2))" --wsrep-slave-threads=2 \
    "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:$g;ist.recv_addr=127.0.0.1:$((g + 1));gcache.size=256M;gcache.recover=yes;evs.keepalive_period=PT1S;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.inactive_check_period=PT0.5S"
}

wait_synced() {
  local i=$1
  for _ in $(seq 1 240); do
    [ "$(wsrep "$i" wsrep_local_state_comment)" = Synced ] && [ "$(wsrep "$i" wsrep_ready)" = ON ] && return 0
    alive "$DIR/db$i.pid" || { log "node $i died; see $DIR/db$i.err"; tail -20 "$DIR/db$i.err" >&2; return 1; }
    sleep 0.5
  done
  log "node $i did not reach Synced; see $DIR/db$i.err"
  return 1
}

# starts node $1; extra mariadbd arguments follow
launch_node() {
  local i=$1; shift
  # not start-stop-daemon: it would take the default instance's mariadbd for this one. Started directly (no wrapper
  # function, whose subshell would be $!), so $! is the server's pid. Runs as root (it drops to mysql).
  # shellcheck disable=SC2046
  setsid /usr/sbin/mariadbd $(node_args "$i") "$@" </dev/null >/dev/null 2>&1 &
  # the server writes the same file only once it has its data (after an SST): ours says it runs from the start
  echo $! >"$DIR/db$i.pid"
}

start_node() {
  local i=$1
  if alive "$DIR/db$i.pid"; then wait_synced "$i"; return; fi
  rm -f "$DIR/db$i.pid"
  local bootstrap=() any=0 j
  for j in $(seq 1 $NODES); do [ "$j" != "$i" ] && alive "$DIR/db$j.pid" && any=1; done
  if [ ! -d "$DIR/db$i/mysql" ]; then
    mkdir -p "$DIR/db$i" && as_root chown mysql:mysql "$DIR" "$DIR/db$i" 2>/dev/null || true
    if [ "$any" = 0 ]; then
      as_root mariadb-install-db --no-defaults --user=mysql --datadir="$DIR/db$i" --auth-root-authentication-method=normal \
        --skip-test-db >"$DIR/db$i.install.log" 2>&1
    fi
    # a node joining a running cluster gets its data by SST (rsync) from a donor
  else
    # restarting from its own data: recover the last committed position so the node asks for IST, not a full SST
    local position
    # shellcheck disable=SC2046
    as_root /usr/sbin/mariadbd $(node_args "$i") --wsrep-recover --log-error="$DIR/db$i.recover.log" >/dev/null 2>&1 || true
    position=$(grep -o 'Recovered position: [^ ]*' "$DIR/db$i.recover.log" | tail -1 | awk '{print $3}')
    [ -n "$position" ] && bootstrap+=("--wsrep-start-position=$position")
  fi
  if [ "$any" = 0 ]; then
    # the first node of a cluster: bootstrap a new primary component (safe_to_bootstrap after a clean stop)
    [ -f "$DIR/db$i/grastate.dat" ] && as_root sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$DIR/db$i/grastate.dat"
    bootstrap+=(--wsrep-new-cluster)
  fi
  log "starting Galera node $i on $(db_port "$i")${bootstrap[*]:+ (${bootstrap[*]})}"
  launch_node "$i" "${bootstrap[@]}"
  wait_synced "$i"
}

stop_node() {
  local i=$1 signal=${2:-KILL}
  if alive "$DIR/db$i.pid"; then
    local pid; pid=$(cat "$DIR/db$i.pid")
    as_root kill -"$signal" "$pid"
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
  rm -f "$DIR/db$i.pid"
}

redis_up() {
  local i port started=0
  mkdir -p "$DIR"
  for i in $(seq 1 $REDIS_NODES); do
    port=$((REDIS_PORT + i - 1))
    alive "$DIR/redis$i.pid" && continue
    mkdir -p "$DIR/redis$i"
    redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$DIR/redis$i" --pidfile "$DIR/redis$i.pid" \
      --logfile "$DIR/redis$i.log" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
      --appendonly yes --appendfsync everysec --maxmemory-policy noeviction --save "" >/dev/null
    started=1
  done
  for i in $(seq 1 $REDIS_NODES); do
    for _ in $(seq 1 40); do port_open $((REDIS_PORT + i - 1)) && break; sleep 0.25; done
  done
  if [ "$(redis-cli -p "$REDIS_PORT" cluster info | tr -d '\r' | awk -F: '/cluster_state/{print $2}')" != ok ]; then
    if [ "$(redis-cli -p "$REDIS_PORT" cluster info | tr -d '\r' | awk -F: '/cluster_known_nodes/{print $2}')" = 1 ]; then
      local hosts=()
      for i in $(seq 1 $REDIS_NODES); do hosts+=("127.0.0.1:$((REDIS_PORT + i - 1))"); done
      log "creating the Redis Cluster (3 masters, 3 replicas)"
      redis-cli --cluster create "${hosts[@]}" --cluster-replicas 1 --cluster-yes >"$DIR/redis-create.log"
    fi
    for _ in $(seq 1 60); do
      [ "$(redis-cli -p "$REDIS_PORT" cluster info | tr -d '\r' | awk -F: '/cluster_state/{print $2}')" = ok ] && break
      sleep 0.5
    done
  fi
  [ "$started" = 1 ] && log "Redis Cluster on $REDIS_PORT–$((REDIS_PORT + REDIS_NODES - 1))"
  return 0
}

urls() {
  local hosts=() i
  for i in $(seq 1 $NODES); do hosts+=("127.0.0.1:$(db_port "$i")"); done
  echo "DATABASE_URL=mysql://root:@$(IFS=,; echo "${hosts[*]}")/care"
  hosts=()
  for i in $(seq 1 3); do hosts+=("127.0.0.1:$((REDIS_PORT + i - 1))"); done
  echo "REDIS_URL=redis+cluster://$(IFS=,; echo "${hosts[*]}")"
}

status() {
  local i
  for i in $(seq 1 $NODES); do
    if alive "$DIR/db$i.pid"; then
      echo "galera node $i :$(db_port "$i") pid $(cat "$DIR/db$i.pid") $(wsrep "$i" wsrep_local_state_comment) size=$(wsrep "$i" wsrep_cluster_size)"
    else
      echo "galera node $i :$(db_port "$i") down"
    fi
  done
  for i in $(seq 1 $REDIS_NODES); do
    if alive "$DIR/redis$i.pid"; then
      echo "redis :$((REDIS_PORT + i - 1)) pid $(cat "$DIR/redis$i.pid") $(redis-cli -p $((REDIS_PORT + i - 1)) role | head -1)"
    else
      echo "redis :$((REDIS_PORT + i - 1)) down"
    fi
  done
  redis-cli -p "$REDIS_PORT" cluster info 2>/dev/null | grep -E 'cluster_state|cluster_size' | tr -d '\r' || true
}

[ "$(id -u)" = 0 ] || { log "run as root (the Galera nodes start as root and drop to mysql)"; exit 1; }
case "${1:-}" in
  up)
    ensure_packages
    mkdir -p "$DIR"
    as_root chown mysql:mysql "$DIR" 2>/dev/null || true
    chmod 755 "$DIR"
    for i in $(seq 1 $NODES); do start_node "$i"; done
    redis_up
    urls
    ;;
  down)
    for i in $(seq 1 $REDIS_NODES); do
      if alive "$DIR/redis$i.pid"; then kill "$(cat "$DIR/redis$i.pid")"; fi
    done
    for i in $(seq $NODES -1 1); do stop_node "$i" TERM; done
    for i in $(seq 1 $REDIS_NODES); do
      for _ in $(seq 1 40); do alive "$DIR/redis$i.pid" || break; sleep 0.25; done
    done
    case "$DIR" in /var/tmp/* | /tmp/*) as_root rm -rf "$DIR" ;; *) log "left $DIR in place" ;; esac
    log "down"
    ;;
  status) status ;;
  urls) urls ;;
  stop-node) stop_node "${2:?node 1-3}" "${3:-KILL}" ;;
  start-node) start_node "${2:?node 1-3}" ;;
  *)
    echo "usage: $0 up|down|status|urls|stop-node N|start-node N" >&2
    exit 2
    ;;
esac
