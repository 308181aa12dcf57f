#!/usr/bin/env bash
# Creates .venv with Python 3.11+ and installs the project with its dev tools:
# every dependency from the lock requirements/dev.txt (exact versions, checked
# against their hashes), then the project itself, editable, with --no-deps.
# Re-installs only when the lock (or pyproject.toml) changed. Where a system
# package is missing it installs it when it can (root with apt-get) or prints
# the command.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  # The locks are resolved for Python 3.11 (the Docker image's): prefer it.
  for candidate in python3.11 python3 python3.13 python3.12; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PYTHON="$candidate"; break
    fi
  done
fi
if [ -z "$PYTHON" ]; then
  echo "error: Python 3.11 or newer is needed. On Debian/Ubuntu: sudo apt-get install python3 python3-venv" >&2
  exit 1
fi

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: $*"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "error: missing system packages. Run: sudo apt-get install -y $*" >&2
    exit 1
  fi
}

# WeasyPrint (the PDFs) needs Pango; fonts make the PDFs readable.
# (ldconfig's output is read whole first: under pipefail, `ldconfig -p | grep -q`
# now and then fails on SIGPIPE when grep stops reading early.)
libs="$(ldconfig -p 2>/dev/null || true)"
if ! grep -q 'libpango-1.0.so' <<<"$libs" || ! grep -q 'libpangoft2-1.0.so' <<<"$libs"; then
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    fonts-liberation
fi

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv --help >/dev/null 2>&1 || ! "$PYTHON" -c 'import ensurepip' 2>/dev/null; then
    apt_install "python3-venv"
  fi
  echo "Creating .venv with $("$PYTHON" --version)"
  "$PYTHON" -m venv .venv
fi

# pyproject.toml counts too: the editable install carries its metadata. Packages
# dropped from the lock stay in .venv until `make clean` (or rm -rf .venv).
lock=requirements/dev.txt
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing $lock (hash-checked) and the portal into .venv (first run takes a minute)"
  .venv/bin/python -m pip install --quiet --require-hashes -r "$lock"
  # setuptools comes from the lock (requirements/build.in), hence no build isolation.
  .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
  # A dependency added to pyproject.toml but not yet to the lock shows up here.
  # `make lock` sets ALLOW_STALE_LOCK=1: it needs this venv to write the new lock.
  if ! .venv/bin/python -m pip check >/dev/null; then
    .venv/bin/python -m pip check >&2 || true
    if [ "${ALLOW_STALE_LOCK:-}" != 1 ]; then
      echo "error: $lock does not satisfy pyproject.toml: run make lock" >&2
      exit 1
    fi
  fi
  touch "$stamp"
fi
