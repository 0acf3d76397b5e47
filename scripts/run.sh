#!/usr/bin/env bash
# Install Steelman into .venv (a plain, non-editable install) and start it.
# As root on Debian/Ubuntu it first installs the system libraries Qt needs.
# A second start does not reinstall: it installs only when the venv is missing
# or the project changed since the last install (scripts/venv.sh).
# Arguments go to steelman (e.g. `bash scripts/run.sh --data-dir /tmp/try`).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
if ! app_venv_is_current; then
  . scripts/system-deps.sh
  ensure_debian_packages "${QT_RUNTIME_PACKAGES[@]}" "${QT_X11_PACKAGES[@]}"
  ensure_app_venv
  echo "== starting Steelman"
fi
exec "$VENV/bin/steelman" "$@"
