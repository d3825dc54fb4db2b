#!/usr/bin/env bash
# Makes sure a Redis server answers at REDIS_URL (default redis://127.0.0.1:6379):
# uses the one running, else starts redis-server, else installs it with apt-get and starts it.
# REDIS_INSTALL_ONLY=1: only make sure the redis-server binary is installed (certops demo starts its own).
set -euo pipefail
url="${REDIS_URL:-redis://127.0.0.1:6379}"
hostport="${url#*://}"; hostport="${hostport##*@}"; hostport="${hostport%%/*}"
host="${hostport%%:*}"; port="${hostport##*:}"; [ "$port" = "$host" ] && port=6379

ping() { node -e "
const s=require('net').connect(${port},'${host}');
s.setTimeout(1500,()=>process.exit(1));
s.on('error',()=>process.exit(1));
s.on('connect',()=>s.write('PING\r\n'));
s.on('data',d=>process.exit(String(d).startsWith('+PONG')?0:1));" ; }

install_binary() {
  command -v redis-server >/dev/null 2>&1 && return 0
  echo "installing redis-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
}

if [ "${REDIS_INSTALL_ONLY:-}" = 1 ]; then
  if [ -n "${REDIS_URL:-}" ] && ping; then exit 0; fi
  install_binary || echo "could not install redis-server; set REDIS_URL to a Redis server" >&2
  exit 0
fi
if ping; then echo "redis answers at ${host}:${port}"; exit 0; fi
case "$host" in 127.0.0.1|localhost) ;; *) echo "redis at ${host}:${port} does not answer and is not local: set REDIS_URL to a reachable server" >&2; exit 1;; esac
install_binary
mkdir -p /tmp/certops-redis
redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir /tmp/certops-redis --logfile /tmp/certops-redis/redis.log
for _ in $(seq 1 50); do ping && { echo "redis started on ${host}:${port}"; exit 0; }; sleep 0.2; done
echo "redis-server did not start; see /tmp/certops-redis/redis.log" >&2
exit 1
