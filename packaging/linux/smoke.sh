#!/usr/bin/env bash
# Smoke-test the Linux installers built by packaging/linux/build.sh:
#   1. install the .deb: by default it is unpacked with `dpkg-deb -x` into a
#      temporary root and run from there; with --system (or CI=true, or
#      STEELMAN_TEST_SYSTEM_INSTALL=1) it is installed for real with dpkg -i
#      (as root, or with sudo -n) and purged again afterwards, also on failure;
#   2. `steelman --smoke` offscreen, then in a real X window under xvfb-run;
#   3. the same with no network at all (unshare -n), and under strace to prove
#      that no AF_INET/AF_INET6 socket is ever opened;
#   4. portable mode from the .tar.gz: a steelman-data folder beside the
#      executable receives the database, and nothing is written elsewhere.
# Checks that each run exits 0 and prints "smoke: ok". The first-window time of
# each run is printed as a figure, never checked: a busy machine is slow, not
# broken (bench/startup.py measures start-up).
#
# Environment: STEELMAN_DIST_DIR=DIR  where build.sh put its output (default packaging/dist)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DIST=${STEELMAN_DIST_DIR:-$ROOT/packaging/dist}
SYSTEM=0
if [ "${1:-}" = --system ] || [ "${CI:-}" = true ] || [ "${STEELMAN_TEST_SYSTEM_INSTALL:-0}" = 1 ]; then SYSTEM=1; fi

DEB=$(ls -t "$DIST"/steelman_*.deb 2>/dev/null | head -1 || true)
TARBALL=$(ls -t "$DIST"/steelman-*-linux-*.tar.gz 2>/dev/null | head -1 || true)
[ -n "$DEB" ] && [ -n "$TARBALL" ] || { echo "smoke.sh: run packaging/linux/build.sh first (no .deb/.tar.gz in $DIST)" >&2; exit 2; }
if [ "$SYSTEM" = 1 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=(); elif sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
    echo "smoke.sh: installing a .deb needs root (or password-less sudo)" >&2; exit 2
  fi
  if dpkg-query -W -f='${Status}' steelman 2>/dev/null | grep -q "install ok installed"; then
    echo "smoke.sh: a steelman package is already installed; not touching it" >&2; exit 2
  fi
fi

WORK=$(mktemp -d)
INSTALLED=0
cleanup() {
  if [ "$INSTALLED" = 1 ]; then
    echo "== removing the package (dpkg --purge steelman)"
    "${SUDO[@]}" dpkg --purge steelman >/dev/null 2>&1 || echo "smoke.sh: dpkg --purge steelman FAILED" >&2
    if dpkg-query -W steelman >/dev/null 2>&1 || [ -e /opt/steelman ] || [ -e /usr/bin/steelman ]; then
      echo "smoke.sh: steelman is still (partly) installed after dpkg --purge" >&2; exit 1
    fi
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# No settings or data may land in the real home folder.
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config XDG_DATA_HOME=$WORK/home/.local/share XDG_CACHE_HOME=$WORK/home/.cache
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
unset STEELMAN_DATA_DIR STEELMAN_DATABASE_URL STEELMAN_RESOURCES QT_QPA_PLATFORM || true
FAILURES=0
SUMMARY=()

# check NAME OUTPUT_FILE STATUS: the run's verdict from its exit status and smoke
# line; the line's timings are printed as figures
check() {
  local name=$1 out=$2 status=$3 line
  line=$(grep '^smoke: ' "$out" | tail -1 || true)
  if [ "$status" != 0 ] || [[ "$line" != "smoke: ok"* ]]; then
    echo "FAIL $name (exit $status)"; sed 's/^/    /' "$out"; FAILURES=$((FAILURES + 1))
  else
    echo "ok   $name: $line"
  fi
  SUMMARY+=("$name: ${line:-no smoke line} (exit $status)")
}

run() {  # run NAME COMMAND...: run, capture, check
  local name=$1 status=0; shift
  "$@" >"$WORK/out" 2>&1 || status=$?
  check "$name" "$WORK/out" "$status"
}

APP_ID=io.github.steelman.Steelman
if [ "$SYSTEM" = 1 ]; then
  echo "== installing $(basename "$DEB") into the system (dpkg -i)"
  "${SUDO[@]}" dpkg -i "$DEB" >/dev/null
  INSTALLED=1
  PREFIX=
  BIN=$(command -v steelman || true)
  [ "$BIN" = /usr/bin/steelman ] || { echo "smoke.sh: /usr/bin/steelman missing after install" >&2; exit 1; }
else
  echo "== unpacking $(basename "$DEB") into a temporary root (dpkg-deb -x; --system installs it for real)"
  PREFIX=$WORK/root
  dpkg-deb -x "$DEB" "$PREFIX"
  [ "$(readlink "$PREFIX/usr/bin/steelman")" = /opt/steelman/steelman ] ||
    { echo "FAIL /usr/bin/steelman is not a link to /opt/steelman/steelman"; FAILURES=$((FAILURES + 1)); }
  BIN=$PREFIX/opt/steelman/steelman
fi
for f in /usr/share/applications/$APP_ID.desktop /usr/share/metainfo/$APP_ID.metainfo.xml \
  /usr/share/icons/hicolor/scalable/apps/$APP_ID.svg /usr/share/icons/hicolor/256x256/apps/$APP_ID.png /opt/steelman/steelman; do
  [ -f "$PREFIX$f" ] || { echo "FAIL installed file missing: $f"; FAILURES=$((FAILURES + 1)); }
done
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$PREFIX/usr/share/applications/$APP_ID.desktop" || FAILURES=$((FAILURES + 1))
fi
"$BIN" --version

echo "== steelman --smoke (the .deb's program)"
run "offscreen (cold)" env QT_QPA_PLATFORM=offscreen "$BIN" --smoke --data-dir "$WORK/data-offscreen"
run "offscreen (warm)" env QT_QPA_PLATFORM=offscreen "$BIN" --smoke --data-dir "$WORK/data-offscreen"
if command -v xvfb-run >/dev/null; then
  run "xvfb (xcb)" xvfb-run -a -s "-screen 0 1280x1024x24" env QT_QPA_PLATFORM=xcb "$BIN" --smoke --data-dir "$WORK/data-xvfb"
else
  echo "FAIL xvfb-run is not installed (apt-get install xvfb xauth)"; FAILURES=$((FAILURES + 1))
fi

echo "== no network"
if unshare -n true 2>/dev/null; then
  run "no network (unshare -n)" unshare -n env QT_QPA_PLATFORM=offscreen "$BIN" --smoke --data-dir "$WORK/data-nonet"
else
  echo "skip unshare -n (not permitted here); the strace check below still runs"
fi
if command -v strace >/dev/null; then
  status=0
  strace -f -qq -e trace=network -o "$WORK/strace" env QT_QPA_PLATFORM=offscreen "$BIN" --smoke --data-dir "$WORK/data-strace" >"$WORK/out" 2>&1 || status=$?
  check "strace" "$WORK/out" "$status"
  # Any connect/send to an internet address, or a bind to a non-loopback one, fails.
  # The app opens no AF_INET* socket at all; a loopback-only probe (e.g. a library
  # checking IPv6 support with socket(AF_INET6) + bind to ::1 port 0) is tolerated.
  # This is the check that caught onnxruntime's telemetry (a DNS lookup of
  # mobile.events.data.microsoft.com at exit): the bundle sets ORT_DISABLE_TELEMETRY=1
  # (packaging/pyinstaller/steelman.spec), and the portable-mode check below
  # catches its ~/.cache/Microsoft/ files.
  if grep -E '(connect|sendto|sendmsg)\(.*sa_family=AF_INET|bind\(.*sa_family=AF_INET' "$WORK/strace" |
      grep -vE 'inet_pton\(AF_INET6, "::1"|inet_addr\("127\.0\.0\.1"\)'; then
    echo "FAIL strace: the app tried to reach the network (above)"; FAILURES=$((FAILURES + 1))
  else
    echo "ok   strace: no connect/send to, and no bind on, an internet address" \
      "($(grep -cE 'socket\(AF_INET' "$WORK/strace" || true) AF_INET* socket() probe(s), loopback only)"
  fi
else
  echo "skip strace (not installed)"
fi

echo "== portable mode (from the .tar.gz)"
mkdir -p "$WORK/usb"
tar -C "$WORK/usb" -xzf "$TARBALL"
mkdir "$WORK/usb/steelman/steelman-data"
# its own empty home, to prove that portable mode writes nothing outside steelman-data/
PORTABLE_HOME=$WORK/home-portable
mkdir -p "$PORTABLE_HOME"
run "portable (tar.gz)" env HOME="$PORTABLE_HOME" XDG_CONFIG_HOME="$PORTABLE_HOME/.config" \
  XDG_DATA_HOME="$PORTABLE_HOME/.local/share" XDG_CACHE_HOME="$PORTABLE_HOME/.cache" \
  QT_QPA_PLATFORM=offscreen "$WORK/usb/steelman/steelman" --smoke
if [ -f "$WORK/usb/steelman/steelman-data/steelman.sqlite3" ]; then
  echo "ok   portable: database created in steelman-data/ beside the executable"
else
  echo "FAIL portable: no steelman-data/steelman.sqlite3 (found: $(ls -A "$WORK/usb/steelman/steelman-data"))"; FAILURES=$((FAILURES + 1))
fi
if [ -n "$(find "$PORTABLE_HOME" -type f 2>/dev/null | head -1)" ]; then
  echo "FAIL portable: wrote outside steelman-data: $(find "$PORTABLE_HOME" -type f | sed "s#$PORTABLE_HOME/##" | tr '\n' ' ')"
  FAILURES=$((FAILURES + 1))
else
  echo "ok   portable: nothing written outside steelman-data/ (settings: $(ls "$WORK/usb/steelman/steelman-data" | tr '\n' ' '))"
fi

echo
echo "== summary"
printf '  %s\n' "${SUMMARY[@]}"
if [ "$FAILURES" != 0 ]; then
  echo "smoke.sh: $FAILURES check(s) failed" >&2
  exit 1
fi
echo "smoke.sh: all checks passed"
