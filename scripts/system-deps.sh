# Sourced by run.sh and test.sh: install Debian packages that are missing.
# usage: ensure_debian_packages PKG...   (a no-op, with a message, when not root on Debian)

QT_RUNTIME_PACKAGES=(libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfreetype6 libfontconfig1 libdbus-1-3 fonts-dejavu-core)
QT_X11_PACKAGES=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0)

ensure_debian_packages() {
  if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ] || ! command -v apt-get >/dev/null; then
    echo "system packages: skipped (not root on Debian); using what is installed"
    return 0
  fi
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv python3-pip)
  if [ ${#missing[@]} -eq 0 ]; then
    echo "system packages: all present"
    return 0
  fi
  echo "system packages: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}
