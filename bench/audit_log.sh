#!/usr/bin/env bash
# Creates the scratch PostgreSQL database for the 1M-record audit log benchmark,
# runs it, and drops the database again. Skips when no PostgreSQL answers.
set -euo pipefail
cd "$(dirname "$0")/.."
server="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! .venv/bin/python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$server" 2>/dev/null; then
  echo "audit log benchmark skipped: no PostgreSQL at $server (set BENCH_PG_URL)"
  exit 0
fi
.venv/bin/python - "$server" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute("DROP DATABASE IF EXISTS srm_bench_audit")
    conn.execute("CREATE DATABASE srm_bench_audit")
PY
trap '.venv/bin/python -c "import psycopg,sys; c=psycopg.connect(sys.argv[1], autocommit=True); c.execute(\"DROP DATABASE IF EXISTS srm_bench_audit WITH (FORCE)\")" "$server"' EXIT
.venv/bin/python bench/audit.py log
