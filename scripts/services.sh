#!/usr/bin/env bash
# Makes sure MariaDB (or MySQL) and Redis answer on 127.0.0.1:3306 and 127.0.0.1:6379:
# uses running ones, starts installed ones, installs them with apt when absent (needs root).
# Set SKIP_SERVICES=1 to leave services alone (e.g. when DATABASE_URL/REDIS_URL point elsewhere).
# Raises MariaDB's max_connections to DB_MAX_CONNECTIONS (default 500) when it is lower (SET GLOBAL, not persisted).
set -euo pipefail
[ "${SKIP_SERVICES:-0}" = 1 ] && exit 0

log() { echo "[services] $*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done; return 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null; then log "apt-get not found: install $* yourself"; return 1; fi
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}
db_login_ok() {
  local client; client=$(command -v mariadb || command -v mysql || true)
  [ -n "$client" ] && "$client" -uroot -h127.0.0.1 -P3306 -e 'SELECT 1' >/dev/null 2>&1
}

# --- MariaDB / MySQL ---------------------------------------------------------
installed_db=0
if port_open 3306; then
  log "MariaDB/MySQL already answers on 3306"
else
  if [ ! -x /usr/sbin/mariadbd ] && [ ! -x /usr/sbin/mysqld ]; then
    log "installing MariaDB with apt"
    apt_install mariadb-server || { log "cannot install MariaDB: install it (or start MySQL 8) and rerun"; exit 1; }
    installed_db=1
  fi
  log "starting MariaDB"
  as_root mkdir -p /run/mysqld && as_root chown mysql:mysql /run/mysqld 2>/dev/null || true
  if [ ! -d /var/lib/mysql/mysql ] && command -v mariadb-install-db >/dev/null; then
    as_root mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  daemon=/usr/sbin/mariadbd; [ -x "$daemon" ] || daemon=/usr/sbin/mysqld
  as_root start-stop-daemon --start --oknodo --background --exec "$daemon" -- --user=mysql
  wait_port 3306 || { log "MariaDB did not start; see /var/log/mysql or run $daemon --user=mysql by hand"; exit 1; }
fi
if ! db_login_ok; then
  # A fresh Debian MariaDB lets root in only through the unix socket; the project's default
  # DATABASE_URL (mysql://root:@127.0.0.1:3306/care) needs TCP with an empty password, for local use.
  if [ "$installed_db" = 1 ] || [ "${CI:-}" = true ]; then
    log "allowing root with an empty password over TCP (local development database)"
    as_root mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;" || true
  fi
  for _ in $(seq 1 20); do db_login_ok && break; sleep 0.5; done
  db_login_ok || log "warning: cannot log in as root with an empty password on 127.0.0.1:3306; set DATABASE_URL"
fi

# The api keeps two small pools per process (TypeORM's and the hot-path transactions'), and the tests run many apps
# at once: MariaDB's default max_connections (151) runs out. Raised for this server's lifetime (not persisted).
if db_login_ok; then
  client=$(command -v mariadb || command -v mysql)
  current=$("$client" -uroot -h127.0.0.1 -P3306 -N -e 'SELECT @@GLOBAL.max_connections' 2>/dev/null || echo 0)
  if [ "${current:-0}" -lt "${DB_MAX_CONNECTIONS:-500}" ]; then
    "$client" -uroot -h127.0.0.1 -P3306 -e "SET GLOBAL max_connections = ${DB_MAX_CONNECTIONS:-500}" >/dev/null 2>&1 \
      && log "max_connections raised from $current to ${DB_MAX_CONNECTIONS:-500}" \
      || log "warning: could not raise max_connections (now $current)"
  fi
fi

# --- Redis ---------------------------------------------------------------------
if port_open 6379; then
  log "Redis already answers on 6379"
else
  if ! command -v redis-server >/dev/null; then
    log "installing Redis with apt"
    apt_install redis-server || { log "cannot install Redis: install it and rerun"; exit 1; }
  fi
  log "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  wait_port 6379 || { log "Redis did not start"; exit 1; }
fi
log "MariaDB and Redis are up"
