#!/usr/bin/env bash
# Run Steelman's whole test suite.
#
# On a fresh Debian/Ubuntu machine as root this installs what the tests need
# (Qt's system libraries, a font, Xvfb, PostgreSQL), makes a virtualenv in
# .venv with the project and its test extra, starts a throwaway PostgreSQL
# server on a free port on 127.0.0.1, runs pytest with Qt offscreen, and stops
# the server on exit. Not root, or not Debian: the apt step is skipped and what
# is installed is used. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
log() { printf '\n== %s\n' "$*"; }

. scripts/system-deps.sh
log "system packages"
# Qt offscreen and a font; a real X window under Xvfb (screenshots, smoke runs); the database tests' server;
# pdftoppm and pdftotext, which read the class report's PDF (tests/ui/test_class_report.py).
ensure_debian_packages "${QT_RUNTIME_PACKAGES[@]}" xvfb xauth "${QT_X11_PACKAGES[@]}" postgresql poppler-utils \
  strace desktop-file-utils  # the installer smoke test (tests/packaging) checks the app opens no socket

PYTHON=${PYTHON:-python3}
VENV=${STEELMAN_VENV:-$ROOT/.venv}
if [ ! -x "$VENV/bin/python" ]; then
  log "virtualenv: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
log "virtualenv: installing steelman-trainer[test]"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test]"

# A throwaway PostgreSQL server, unless the caller already points at one.
if [ -z "${STEELMAN_TEST_PG_URL:-}" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$PGBIN" ]; then
    echo "PostgreSQL is not installed: install the 'postgresql' package (or set STEELMAN_TEST_PG_URL)" >&2
    exit 1
  fi
  PGTMP=$(mktemp -d)
  PGPORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PGTMP"; fi
  log "postgresql: starting a throwaway server on 127.0.0.1:$PGPORT"
  as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 -N --no-instructions >/dev/null
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
    -o "-p $PGPORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  cleanup() { as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$PGTMP"; }
  trap cleanup EXIT
  export STEELMAN_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"
  export STEELMAN_TEST_PG_BIN="$PGBIN" STEELMAN_TEST_PG_DATA="$PGTMP/data"
fi
export STEELMAN_REQUIRE_PG=1 STEELMAN_REQUIRE_PDF_TOOLS=1  # a missing server or poppler fails the suite, never skips it

# Never write into the real home folder: settings and data go to a temp dir.
TEST_HOME=$(mktemp -d)
export XDG_DATA_HOME="$TEST_HOME/data" XDG_CONFIG_HOME="$TEST_HOME/config" XDG_CACHE_HOME="$TEST_HOME/cache"
export QT_QPA_PLATFORM=offscreen
log "pytest"
status=0
"$VENV/bin/python" -m pytest "$@" || status=$?
rm -rf "$TEST_HOME"
if [ "$status" = 5 ]; then
  echo "pytest collected no tests" >&2
fi
exit "$status"
