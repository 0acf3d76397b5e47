#!/usr/bin/env bash
# Build Steelman's Linux installers from a clean checkout:
#   packaging/dist/steelman/                         the one-folder bundle (PyInstaller)
#   packaging/dist/steelman_<version>_<arch>.deb     installs to /opt/steelman, /usr/bin/steelman
#   packaging/dist/steelman-<version>-linux-<arch>.tar.gz   the bundle, to unpack anywhere
#
# It makes its own virtualenv (packaging/build/venv) with a plain, non-editable
# `pip install .[packaging]`, so the bundle is made from the wheel layout.
# Prints the sizes and times and checks them against the limits (bundle 200 MB,
# .deb 110 MB; tests/packaging/test_linux_package.py explains the numbers).
# No AppImage: see docs/installing.md.
#
# Environment:
#   PYTHON=python3.11        the interpreter for the build venv (default: python3)
#   STEELMAN_BUILD_VENV=DIR  reuse another build venv
#   STEELMAN_DEB_COMPRESS=zstd|xz   .deb compression (default zstd)
#   STEELMAN_DEB_LEVEL=N     its level (default 19: ~130 s on one core; 9 takes ~4 s
#                            for a ~5 MB bigger file; xz -6 is ~6% smaller and ~90 s)
#   STEELMAN_SIZE_LIMITS=1   exit 1 when a size limit is exceeded (default: warn)
#   STEELMAN_SKIP_PIP=1      do not touch the venv (offline rebuilds)
#   STEELMAN_BUILD_DIR=DIR   work folder (default packaging/build)
#   STEELMAN_DIST_DIR=DIR    output folder (default packaging/dist)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${STEELMAN_BUILD_DIR:-$ROOT/packaging/build}
DIST=${STEELMAN_DIST_DIR:-$ROOT/packaging/dist}
VENV=${STEELMAN_BUILD_VENV:-$BUILD/venv}
PYTHON=${PYTHON:-python3}
# measured (0.1.0, MiniLM matcher): bundle 187 MB, .deb 67 MB; see tests/packaging/test_linux_package.py
BUNDLE_LIMIT_MB=200
DEB_LIMIT_MB=110
# Libraries the bundle takes from the system (see LINUX_FROM_SYSTEM in the spec);
# libGL/libEGL are never bundled: they must match the machine's graphics driver.
DEPENDS_PKGS=(libgl1 libegl1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
mb() { du -sm --apparent-size "$1" | cut -f1; }
log() { printf '\n== %s\n' "$*"; }
T_ALL=$(now)
mkdir -p "$BUILD" "$DIST"

# Build tools: binutils (readelf), a C compiler and icu-devtools (icupkg) let the
# spec cut Qt's ICU data from 31 MB to 6 MB; zstd for the .deb. Installed when
# root on Debian, otherwise whatever is there is used (the ICU step is then skipped).
. scripts/system-deps.sh
ensure_debian_packages binutils gcc icu-devtools zstd dpkg-dev

for tool in dpkg-deb ldd readelf tar; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is needed (Debian/Ubuntu)" >&2; exit 1; }
done

# ---------------------------------------------------------------- build venv
T=$(now)
if [ ! -x "$VENV/bin/python" ]; then
  log "venv: creating $VENV"
  "$PYTHON" -m venv "$VENV" || { echo "build.sh: PyInstaller cannot run: no venv from $PYTHON" >&2; exit 3; }
fi
if [ "${STEELMAN_SKIP_PIP:-0}" != 1 ]; then
  log "venv: pip install .[packaging] (plain install, not editable)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip || true
  if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check ".[packaging]"; then
    echo "build.sh: PyInstaller cannot run: pip could not install .[packaging] into $VENV" >&2
    exit 3
  fi
  # the project itself is always rebuilt from the checkout, even when its version did not change
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall .
fi
T_VENV=$(since "$T")
# Exit status 3 means "PyInstaller cannot run here" (the packaging test skips on it).
if ! PYI_VERSION=$("$VENV/bin/python" -m PyInstaller --version 2>&1); then
  echo "build.sh: PyInstaller cannot run: $PYI_VERSION" >&2
  exit 3
fi
echo "PyInstaller $PYI_VERSION"
VERSION=$("$VENV/bin/python" -c 'import trainer; print(trainer.__version__)')
ARCH=$(dpkg --print-architecture)
MACHINE=$(uname -m)

# ---------------------------------------------------------------- bundle
log "bundle: PyInstaller (packaging/pyinstaller/steelman.spec)"
T=$(now)
# Run from packaging/build so that `import trainer` in the spec is the installed
# wheel, never the checkout's source folder.
(cd "$BUILD" && "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$BUILD/pyinstaller" "$ROOT/packaging/pyinstaller/steelman.spec")
T_BUNDLE=$(since "$T")
APPDIR=$DIST/steelman
[ -x "$APPDIR/steelman" ] || { echo "build.sh: PyInstaller did not produce $APPDIR/steelman" >&2; exit 1; }

# ---------------------------------------------------------------- system libraries check
log "bundle: libraries it needs from the system"
needed_pkgs=$(
  find "$APPDIR" -type f \( -name '*.so*' -o -path "$APPDIR/steelman" \) -print0 |
    LD_LIBRARY_PATH="$APPDIR/_internal:$APPDIR/_internal/PySide6/Qt/lib" xargs -0 -n 50 ldd 2>/dev/null |
    awk '/=>/ && $3 ~ /^\// {print $3}' | grep -v "^$APPDIR/" | sort -u |
    while read -r lib; do
      pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -1 | cut -d: -f1 || true)
      [ -n "$pkg" ] || pkg=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1 || true)
      echo "${pkg:-?}	$(basename "$lib")"
    done | sort -u
)
missing=$(ldd "$APPDIR"/_internal/PySide6/Qt/plugins/platforms/libqxcb.so "$APPDIR"/_internal/PySide6/*.so 2>/dev/null | grep 'not found' | sort -u || true)
[ -z "$missing" ] || { echo "build.sh: libraries not found on this machine:"; echo "$missing"; } >&2
# (LD_LIBRARY_PATH as the bootloader sets it, so bundled libraries resolve to the bundle.)
# Whatever libc6 and the packages in Depends pull in themselves is covered.
covered=" libc6 libgcc-s1 libstdc++6 ${DEPENDS_PKGS[*]} "
for p in "${DEPENDS_PKGS[@]}"; do
  covered+=" $(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances "$p" 2>/dev/null | grep -v '^ ' | tr '\n' ' ') "
done
uncovered=""
while IFS=$'\t' read -r pkg lib; do
  [ -n "$pkg" ] || continue
  printf '  %-22s %s\n' "$pkg" "$lib"
  case "$covered" in *" ${pkg%:*} "*) ;; *) uncovered+=" $pkg($lib)" ;; esac
done <<<"$needed_pkgs"
if [ -n "$uncovered" ]; then
  echo "build.sh: the bundle needs system libraries the .deb does not depend on:$uncovered" >&2
  echo "          add their packages to DEPENDS_PKGS (or bundle them in the spec)" >&2
  exit 1
fi
LIBC_VERSION=$(dpkg-query -W -f='${Version}' libc6 | sed 's/-.*//')

# ---------------------------------------------------------------- .deb
log "deb: assembling"
T=$(now)
PKGROOT=$BUILD/deb/steelman_${VERSION}_${ARCH}
rm -rf "$BUILD/deb"
mkdir -p "$PKGROOT/DEBIAN" "$PKGROOT/opt" "$PKGROOT/usr/bin" "$PKGROOT/usr/share/applications" \
  "$PKGROOT/usr/share/metainfo" "$PKGROOT/usr/share/doc/steelman" "$PKGROOT/usr/share/icons/hicolor/scalable/apps"
cp -a "$APPDIR" "$PKGROOT/opt/steelman"
ln -s /opt/steelman/steelman "$PKGROOT/usr/bin/steelman"
APP_ID=io.github.steelman.Steelman
install -m 644 packaging/linux/$APP_ID.desktop "$PKGROOT/usr/share/applications/"
install -m 644 packaging/linux/$APP_ID.metainfo.xml "$PKGROOT/usr/share/metainfo/"
install -m 644 packaging/linux/icons/steelman.svg "$PKGROOT/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
for png in packaging/linux/icons/steelman-*.png; do
  size=${png##*-}; size=${size%.png}
  install -D -m 644 "$png" "$PKGROOT/usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: Steelman"
  echo "Comment: A frozen build: it also contains Python, Qt (LGPLv3, via PySide6), NumPy,"
  echo " SQLAlchemy, Alembic, ONNX Runtime, Hugging Face tokenizers and their dependencies,"
  echo " under their own licences. The matcher's model is fine-tuned from all-MiniLM-L6-v2"
  echo " (Apache-2.0; see opt/steelman/_internal/trainer/resources_data/matcher/)."
  echo
  echo "Files: *"
  echo "License: MIT"
  sed 's/^$/./; s/^/ /' LICENSE
} >"$PKGROOT/usr/share/doc/steelman/copyright"
INSTALLED_KB=$(du -sk --apparent-size "$PKGROOT" | cut -f1)
DEPENDS="libc6 (>= $LIBC_VERSION), $(IFS=,; echo "${DEPENDS_PKGS[*]}" | sed 's/,/, /g')"
cat >"$PKGROOT/DEBIAN/control" <<EOF
Package: steelman
Version: $VERSION
Architecture: $ARCH
Maintainer: Steelman developers <steelman@users.noreply.github.com>
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Recommends: libxkbcommon-x11-0
Section: education
Priority: optional
Homepage: https://github.com/steelman/steelman
Description: offline trainer for debaters
 Steelman shows a claim from a real article and asks for the strongest
 counterargument, then says which key points were covered or missed.
 Everything runs locally: no account and no network connection.
 .
 This package installs a self-contained build in /opt/steelman.
EOF
for script in postinst postrm; do
  cat >"$PKGROOT/DEBIAN/$script" <<'EOF'
#!/bin/sh
set -e
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -f /usr/share/icons/hicolor || true; fi
exit 0
EOF
  chmod 755 "$PKGROOT/DEBIAN/$script"
done
DEB=$DIST/steelman_${VERSION}_${ARCH}.deb
rm -f "$DIST"/steelman_*.deb
dpkg-deb -Z"${STEELMAN_DEB_COMPRESS:-zstd}" -z"${STEELMAN_DEB_LEVEL:-19}" --root-owner-group --build "$PKGROOT" "$DEB" >/dev/null
T_DEB=$(since "$T")

# ---------------------------------------------------------------- .tar.gz
log "tar.gz: packing the bundle"
T=$(now)
TARBALL=$DIST/steelman-${VERSION}-linux-${MACHINE}.tar.gz
rm -f "$DIST"/steelman-*-linux-*.tar.gz
mkdir -p "$BUILD/tar"
rm -rf "$BUILD/tar/steelman"
cp -a "$APPDIR" "$BUILD/tar/steelman"
cp packaging/linux/$APP_ID.desktop packaging/linux/icons/steelman.svg packaging/linux/icons/steelman-256.png "$BUILD/tar/steelman/"
cat >"$BUILD/tar/steelman/README.txt" <<'EOF'
Steelman for Linux (a self-contained folder; nothing to install).

Start it:            ./steelman
Portable mode:       mkdir steelman-data   (beside the steelman program; the app then
                     keeps its database and settings in that folder, e.g. on a USB stick)
Needs from the system: libGL/libEGL (the graphics driver), fontconfig, freetype,
D-Bus and GLib libraries, and one font. Debian/Ubuntu:
  sudo apt install libgl1 libegl1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
More: docs/installing.md in the source, or the .deb package, which does all of this.
EOF
if command -v pigz >/dev/null; then GZ=(--use-compress-program=pigz); else GZ=(-z); fi
tar -C "$BUILD/tar" --owner=0 --group=0 --numeric-owner "${GZ[@]}" -cf "$TARBALL" steelman
rm -rf "$BUILD/tar"
T_TAR=$(since "$T")

# ---------------------------------------------------------------- summary
BUNDLE_MB=$(mb "$APPDIR")
DEB_MB=$(mb "$DEB")
TAR_MB=$(mb "$TARBALL")
log "summary"
printf '  %-44s %5s MB  (limit %s MB)\n' "bundle  packaging/dist/steelman/" "$BUNDLE_MB" "$BUNDLE_LIMIT_MB"
printf '  %-44s %5s MB  (limit %s MB)\n' ".deb    ${DEB#$ROOT/}" "$DEB_MB" "$DEB_LIMIT_MB"
printf '  %-44s %5s MB\n' ".tar.gz ${TARBALL#$ROOT/}" "$TAR_MB"
printf '  times: venv %s, bundle %s, .deb %s, .tar.gz %s, total %s\n' "$T_VENV" "$T_BUNDLE" "$T_DEB" "$T_TAR" "$(since "$T_ALL")"
printf '  Depends: %s\n' "$DEPENDS"
status=0
if [ "$BUNDLE_MB" -gt "$BUNDLE_LIMIT_MB" ]; then echo "  OVER LIMIT: bundle ${BUNDLE_MB} MB > ${BUNDLE_LIMIT_MB} MB"; status=1; fi
if [ "$DEB_MB" -gt "$DEB_LIMIT_MB" ]; then echo "  OVER LIMIT: .deb ${DEB_MB} MB > ${DEB_LIMIT_MB} MB"; status=1; fi
if [ "$status" != 0 ] && [ "${STEELMAN_SIZE_LIMITS:-0}" != 1 ]; then
  echo "  (limits reported, not enforced; STEELMAN_SIZE_LIMITS=1 makes this an error)"; status=0
fi
exit "$status"
