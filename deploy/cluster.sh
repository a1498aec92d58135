#!/usr/bin/env bash
# Runs N instances of the production build behind nginx on this machine,
# as a small cluster to try scale-out by hand (the tests build their own).
#
#   npm run build
#   DATABASE_URL=postgres://... REDIS_URL=redis://... JWT_SECRET=... \
#     deploy/cluster.sh 3
#
# Instances listen on 127.0.0.1:BASE_PORT.. (default 3001), nginx on
# 127.0.0.1:LB_PORT (default 8080). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

count="${1:-3}"
base_port="${BASE_PORT:-3001}"
lb_port="${LB_PORT:-8080}"
: "${DATABASE_URL:?set DATABASE_URL: instances must share PostgreSQL}"
: "${REDIS_URL:?set REDIS_URL: instances must share Redis}"
: "${JWT_SECRET:?set JWT_SECRET (32 bytes or more)}"
[ -f dist/server.js ] || { echo "run npm run build first" >&2; exit 1; }
command -v nginx >/dev/null || { echo "install nginx first" >&2; exit 1; }

dir="$(mktemp -d /tmp/live-bets-cluster.XXXXXX)"
pids=()
stop_all() {
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait || true
}
trap stop_all EXIT INT TERM

# One migration step before any instance starts, as a deploy would.
npm run --silent db:migrate

instances=()
for i in $(seq 1 "$count"); do
  port=$((base_port + i - 1))
  NODE_ENV=production HOST=127.0.0.1 PORT="$port" INSTANCE_ID="app$i" \
    TRUST_PROXY=true MIGRATE_ON_START=false \
    node dist/server.js >"$dir/app$i.log" 2>&1 &
  pids+=("$!")
  instances+=(--instance "app$i=127.0.0.1:$port")
done

for i in $(seq 1 "$count"); do
  port=$((base_port + i - 1))
  until curl -fs "http://127.0.0.1:$port/api/ready" >/dev/null; do
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null ||
      { echo "app$i failed; see $dir/app$i.log" >&2; exit 1; }
    sleep 0.5
  done
done

npx tsx deploy/nginx-config.ts --listen "127.0.0.1:$lb_port" \
  --standalone "$dir" "${instances[@]}" >"$dir/nginx.conf"
nginx -p "$dir" -c "$dir/nginx.conf" &
pids+=("$!")

echo "live-bets on http://127.0.0.1:$lb_port ($count instances, logs in $dir)"
wait -n
