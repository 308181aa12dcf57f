#!/usr/bin/env bash
# Schemathesis against the OpenAPI schema of a live server with the demo data:
# no server errors, and every response matches the schema (status, content
# type, body). The database is a scratch one: the fuzzer changes it.
#
# Two runs, each through an API token: demo-editor (an editor of SingleStore),
# then a superuser made here (scripts/fuzz-data.py accounts), so what only an
# editor's draft or a site administrator's rights reach is reached (in that
# order: the superuser's run may revoke the editor's role). Before each
# run scripts/fuzz-data.py writes schemathesis.toml with its dictionaries
# refreshed from the database (ids, versions, the hash under review). Then
# scripts/fuzz-report.py prints per operation how many cases got a 2xx, 4xx or
# 5xx, and fails if an operation never got a 2xx.
#
#   scripts/api-fuzz.sh                        # SQLite in a temporary file
#   FUZZ_DATABASE_URL=postgres://... scripts/api-fuzz.sh
#   FUZZ_EXAMPLES=50 scripts/api-fuzz.sh       # more examples per operation (fuzzing phase)
#   FUZZ_KEEP=some/dir scripts/api-fuzz.sh     # keep the configs, event streams and server log
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${FUZZ_PORT:-8799}
workdir=$(mktemp -d)
export DATABASE_URL=${FUZZ_DATABASE_URL:-sqlite:///$workdir/fuzz.sqlite3}
export PORTAL_ENV=development DATABASE_CONN_MAX_AGE=0
export MEDIA_ROOT=$workdir/media
unset CELERY_BROKER_URL
# The fuzzer sends thousands of requests a minute, from one account and one address:
# the rates would answer most of them 429 (tests/api/test_throttling.py tests them).
export API_THROTTLE_USER=1000000/min API_THROTTLE_IMPORT=1000000/min API_THROTTLE_PDF=1000000/min
export TRUST_SUBSCRIPTIONS_PER_HOUR=1000000
# Webhooks: the fuzz data's (and the fuzzer's) go to the discard port on loopback, refused at
# once; an address the fuzzer makes up gets one short try. Deliveries run in the request
# (eager tasks), so they must not hold a worker: tests/trust covers retries and the SSRF rules.
export WEBHOOKS_ALLOW_PRIVATE=1 WEBHOOK_TIMEOUT_SECONDS=2 WEBHOOK_MAX_ATTEMPTS=2

$PY manage.py migrate --noinput -v 0
$PY manage.py loaddemo --reset >/dev/null
$PY scripts/fuzz-data.py accounts >"$workdir/tokens"

.venv/bin/gunicorn portal.wsgi --bind 127.0.0.1:$PORT --workers 2 --log-level warning \
    >"$workdir/server.log" 2>&1 &
server=$!
cleanup() {
    kill $server 2>/dev/null || true
    wait $server 2>/dev/null || true
    if [ -n "${FUZZ_KEEP:-}" ]; then
        mkdir -p "$FUZZ_KEEP"
        cp "$workdir"/*.toml "$workdir"/*.ndjson "$workdir/server.log" "$FUZZ_KEEP"/ 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$PORT/api/schema/?format=json" -o "$workdir/schema.json"

status=0
runs=()
seed=${FUZZ_SEED:-2026}
for account in editor superuser; do
    echo "=== schemathesis as $account"
    $PY scripts/fuzz-data.py config "$workdir/$account.toml"
    token=$(awk -v account="$account" '$1 == account { print $2 }' "$workdir/tokens")
    .venv/bin/st --config-file "$workdir/$account.toml" run "http://127.0.0.1:$PORT/api/schema/" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --header "Authorization: Bearer $token" \
        --max-examples "${FUZZ_EXAMPLES:-15}" \
        --seed "$seed" \
        --request-timeout 60 \
        --report ndjson --report-ndjson-path "$workdir/$account.ndjson" \
        --no-color || status=$?
    runs+=("$account=$workdir/$account.ndjson")
    seed=$((seed + 1))  # not the same names again: the first run took them
done

echo "=== responses per operation (both runs)"
$PY scripts/fuzz-report.py --schema "$workdir/schema.json" "${runs[@]}" || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- server log ---"
    tail -n 80 "$workdir/server.log"
fi
exit $status
