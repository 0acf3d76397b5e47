#!/usr/bin/env bash
# Install Steelman into .venv (a plain, non-editable install) and start it.
# As root on Debian/Ubuntu it first installs the system libraries Qt needs.
# Arguments go to steelman (e.g. `bash scripts/run.sh --data-dir /tmp/try`).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/system-deps.sh
ensure_debian_packages "${QT_RUNTIME_PACKAGES[@]}" "${QT_X11_PACKAGES[@]}"
VENV=${STEELMAN_VENV:-$PWD/.venv}
[ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check .
exec "$VENV/bin/steelman" "$@"
