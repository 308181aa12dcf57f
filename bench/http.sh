#!/usr/bin/env bash
# `make bench`, HTTP part: requests per second under gunicorn with wrk on
# loopback, the published SingleStore matrix page against the bare /healthz
# view on the same server, in the same run. Target: the page at >= 50% of /healthz.
#
# The page is asked for as a browser asks (Accept-Encoding: gzip), as a client
# without compression, and as a browser revalidating what it has (If-None-Match).
# On PostgreSQL with the cache in Redis, as production runs, when they answer on
# 127.0.0.1 (a scratch database srm_bench_http, recreated here; Redis database 11),
# else SQLite and per-process memory. BENCH_DATABASE_URL and BENCH_CACHE_URL choose
# others. gunicorn runs as the image runs it (gunicorn.conf.py), with WEB_CONCURRENCY
# workers (default 4).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  echo "HTTP benchmark skipped: wrk is not installed (sudo apt-get install wrk)"
  exit 0
fi
scratch="$(mktemp -d)"
port="${BENCH_PORT:-8765}"
database="sqlite:///$scratch/bench.sqlite3" cache=""
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  database="postgres://postgres@127.0.0.1:5432/srm_bench_http"
fi
if redis-cli -h 127.0.0.1 -p 6379 -n 11 flushdb >/dev/null 2>&1; then
  cache="redis://127.0.0.1:6379/11"
fi
export DATABASE_URL="${BENCH_DATABASE_URL:-$database}" CACHE_URL="${BENCH_CACHE_URL:-$cache}"
export DEBUG=0 PORTAL_ENV=development
case "$DATABASE_URL" in
  postgres*) .venv/bin/python scripts/recreate-database.py "${DATABASE_URL##*/}" ;;
esac
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py loaddemo --no-accounts >/dev/null
.venv/bin/gunicorn --config gunicorn.conf.py portal.wsgi:application --bind "127.0.0.1:$port" \
  --workers "${WEB_CONCURRENCY:-4}" --log-level warning --access-logfile /dev/null >"$scratch/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || {
  echo "HTTP benchmark: gunicorn did not start" >&2; cat "$scratch/gunicorn.log" >&2; exit 1; }
url="http://127.0.0.1:$port/providers/singlestore/"
etag=$(curl -fsI "$url" | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')
rps() {  # path, then extra wrk arguments
  local path=$1; shift
  curl -fs "http://127.0.0.1:$port$path" >/dev/null  # warm the cache and the workers
  wrk -t2 -c16 -d"${BENCH_SECONDS:-8}s" "$@" "http://127.0.0.1:$port$path" \
    | awk '/Requests\/sec/ {print $2}'
}
hello=$(rps /healthz)
gzipped=$(rps /providers/singlestore/ -H "Accept-Encoding: gzip")
plain=$(rps /providers/singlestore/)
revalidated=$(rps /providers/singlestore/ -H "If-None-Match: $etag")
python3 - "$hello" "$gzipped" "$plain" "$revalidated" "$DATABASE_URL" "${WEB_CONCURRENCY:-4}" "${CACHE_URL:-}" <<'PY'
import sys
hello, gzipped, plain, revalidated = map(float, sys.argv[1:5])
database, workers = sys.argv[5].split(":")[0], sys.argv[6]
cache = "Redis cache" if sys.argv[7] else "per-process cache"
print(f"gunicorn, {workers} workers, {database}, {cache}, wrk -t2 -c16 on loopback, one run:")
print(f"  /healthz (bare Django view)                 {hello:8.0f} req/s")
for label, value in (
    ("published matrix page, gzip (browsers)", gzipped),
    ("published matrix page, uncompressed", plain),
    ("published matrix page, If-None-Match: 304", revalidated),
):
    print(f"  {label:43} {value:8.0f} req/s  = {value / hello:.0%} of /healthz")
print("  target: the page (as browsers ask for it) >= 50% of /healthz")
PY
