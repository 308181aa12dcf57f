#!/usr/bin/env bash
# `make bench`, HTTP part: requests per second under gunicorn with wrk on
# loopback, the published SingleStore matrix page against the bare /healthz
# view on the same server, in the same run. Target: the page at >= 50% of /healthz.
#
# The page is asked for as a browser asks (Accept-Encoding: gzip), as a client
# without compression, and as a browser revalidating what it has (If-None-Match).
# BENCH_DATABASE_URL picks the database (default: SQLite in a scratch folder); for
# PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/srm_bench (recreated here).
# WEB_CONCURRENCY workers (default 4), as the Dockerfile runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  echo "HTTP benchmark skipped: wrk is not installed (sudo apt-get install wrk)"
  exit 0
fi
scratch="$(mktemp -d)"
port="${BENCH_PORT:-8765}"
export DATABASE_URL="${BENCH_DATABASE_URL:-sqlite:///$scratch/bench.sqlite3}" DEBUG=0 PORTAL_ENV=development
case "$DATABASE_URL" in
  postgres*) .venv/bin/python scripts/recreate-database.py "${DATABASE_URL##*/}" ;;
esac
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py loaddemo --no-accounts >/dev/null
.venv/bin/gunicorn portal.wsgi:application --bind "127.0.0.1:$port" \
  --workers "${WEB_CONCURRENCY:-4}" --log-level warning >"$scratch/gunicorn.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
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
python3 - "$hello" "$gzipped" "$plain" "$revalidated" "$DATABASE_URL" "${WEB_CONCURRENCY:-4}" <<'PY'
import sys
hello, gzipped, plain, revalidated = map(float, sys.argv[1:5])
database, workers = sys.argv[5].split(":")[0], sys.argv[6]
print(f"gunicorn, {workers} workers, {database}, wrk -t2 -c16 on loopback, one run:")
print(f"  /healthz (bare Django view)                 {hello:8.0f} req/s")
for label, value in (
    ("published matrix page, gzip (browsers)", gzipped),
    ("published matrix page, uncompressed", plain),
    ("published matrix page, If-None-Match: 304", revalidated),
):
    print(f"  {label:43} {value:8.0f} req/s  = {value / hello:.0%} of /healthz")
print("  target: the page (as browsers ask for it) >= 50% of /healthz")
PY
