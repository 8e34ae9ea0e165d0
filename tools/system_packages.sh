#!/usr/bin/env bash
# Which Debian packages are missing, and can this user install them?  Used by the
# Makefile (see its "System packages" section); prints, never installs.
#
#   tools/system_packages.sh missing PKG...   print the packages of PKG... not present
#   tools/system_packages.sh sudo             print how to run apt-get: "" as root,
#                                             "sudo -n" with passwordless sudo; exit 1
#                                             when neither works
#
# A package counts as present when what the book uses from it is there (the program
# on PATH, the file), so the check also passes where the program came from elsewhere.
set -euo pipefail

present() {
  case $1 in
    chromium|npm|make) command -v "$1" >/dev/null 2>&1 ;;
    ca-certificates) [ -e /etc/ssl/certs/ca-certificates.crt ] ;;
    fonts-dejavu-core) [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] ;;
    *) [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ] ;;
  esac
}

case ${1:-} in
  missing)
    shift
    for pkg in "$@"; do present "$pkg" || echo "$pkg"; done ;;
  sudo)
    if [ "$(id -u)" = 0 ]; then echo ""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then echo "sudo -n"
    else exit 1
    fi ;;
  *)
    echo "usage: $0 missing PKG... | sudo" >&2; exit 2 ;;
esac
