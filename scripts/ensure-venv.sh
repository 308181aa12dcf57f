#!/usr/bin/env bash
# Creates .venv with Python 3.11+ and installs the project with its dev tools.
# Re-installs only when pyproject.toml changed. Where a system package is
# missing it installs it when it can (root with apt-get) or prints the command.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
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
if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' ||
   ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so'; then
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

stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing the portal and its dev tools into .venv (first run takes a minute)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  touch "$stamp"
fi
