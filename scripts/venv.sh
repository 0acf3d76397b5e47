# Sourced by run.sh and screenshots.sh: make sure $VENV holds an up-to-date install of Steelman.
# Installs (a plain `pip install .`) only when the venv is missing or the project
# changed since the last install: a stamp in the venv records the Python version
# and every project file's name, size and modification time.

VENV=${STEELMAN_VENV:-$PWD/.venv}
STAMP=$VENV/.steelman-install-stamp

project_stamp() {
  {
    "$VENV/bin/python" -c 'import sys; print(sys.version)'
    find pyproject.toml README.md trainer resources -type f -not -path '*/__pycache__/*' -printf '%p %s %T@\n' | LC_ALL=C sort
  } | sha256sum | cut -d' ' -f1
}

app_venv_is_current() {
  [ -x "$VENV/bin/steelman" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(project_stamp)" ]
}

ensure_app_venv() {
  app_venv_is_current && return 0
  if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating the virtualenv $VENV"
    "${PYTHON:-python3}" -m venv "$VENV"
  fi
  echo "== installing Steelman and its dependencies into $VENV"
  echo "   (the first time this downloads Qt and the other packages: a minute or two)"
  local status
  set +e
  "$VENV/bin/python" -m pip install --disable-pip-version-check . 2>&1 |
    grep -vE '^WARNING: Location|^\s*(Requirement already satisfied|Using cached|Preparing metadata|Getting requirements|Building wheel for|Created wheel|Stored in directory)'
  status=${PIPESTATUS[0]}
  set -e
  [ "$status" = 0 ] || { echo "pip could not install Steelman into $VENV (see above)" >&2; return 1; }
  project_stamp >"$STAMP"
}
