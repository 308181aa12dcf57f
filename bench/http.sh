#!/usr/bin/env bash
# `make bench`, HTTP part: requests per second under gunicorn with wrk on
# loopback, the published SingleStore matrix page against the bare /healthz
# view on the same server. Target: the page at >= 50% of /healthz.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  echo "HTTP benchmark skipped: wrk is not installed (sudo apt-get install wrk)"
  exit 0
fi
scratch="$(mktemp -d)"
port="${BENCH_PORT:-8765}"
export DATABASE_URL="sqlite:///$scratch/bench.sqlite3" DEBUG=0 PORTAL_ENV=development
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py loaddemo --no-accounts >/dev/null
.venv/bin/gunicorn portal.wsgi:application --bind "127.0.0.1:$port" --workers 2 \
  --log-level warning >"$scratch/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
rps() {
  curl -fs "http://127.0.0.1:$port$1" >/dev/null  # warm the cache and the workers
  wrk -t2 -c16 -d"${BENCH_SECONDS:-8}s" "http://127.0.0.1:$port$1" | awk '/Requests\/sec/ {print $2}'
}
hello=$(rps /healthz)
page=$(rps /providers/singlestore/)
python3 - "$hello" "$page" <<'PY'
import sys
hello, page = map(float, sys.argv[1:])
print(f"gunicorn, 2 workers, wrk -t2 -c16 on loopback:")
print(f"  /healthz (bare Django view)         {hello:8.0f} req/s")
print(f"  published SingleStore matrix page   {page:8.0f} req/s  = {page / hello:.0%} of /healthz"
      " (target >= 50%)")
PY
