#!/usr/bin/env bash
# Schemathesis against the OpenAPI schema of a live server with the demo data:
# no server errors, and every response matches the schema (status, content
# type, body). Signed in as demo-admin through an API token, so the writes
# reach the services. The database is a scratch one: the fuzzer changes it.
#
#   scripts/api-fuzz.sh                        # SQLite in a temporary file
#   FUZZ_DATABASE_URL=postgres://... scripts/api-fuzz.sh
#   FUZZ_EXAMPLES=50 scripts/api-fuzz.sh       # more examples per operation
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${FUZZ_PORT:-8799}
workdir=$(mktemp -d)
export DATABASE_URL=${FUZZ_DATABASE_URL:-sqlite:///$workdir/fuzz.sqlite3}
export PORTAL_ENV=development DATABASE_CONN_MAX_AGE=0
export MEDIA_ROOT=$workdir/media
unset CELERY_BROKER_URL

$PY manage.py migrate --noinput -v 0
$PY manage.py loaddemo --reset >/dev/null
token=$($PY manage.py shell -c "
from django.contrib.auth import get_user_model
from accounts.tokens import token_create
print(token_create(user=get_user_model().objects.get(username='demo-admin'), name='schemathesis')[1])" | tail -n 1 | tr -d '[:space:]')

.venv/bin/gunicorn portal.wsgi --bind 127.0.0.1:$PORT --workers 2 --log-level warning \
    >"$workdir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$workdir"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

status=0
.venv/bin/st run "http://127.0.0.1:$PORT/api/schema/" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --header "Authorization: Bearer $token" \
    --max-examples "${FUZZ_EXAMPLES:-15}" \
    --seed "${FUZZ_SEED:-2026}" \
    --request-timeout 60 \
    --no-color || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- server log ---"
    tail -n 80 "$workdir/server.log"
fi
exit $status
