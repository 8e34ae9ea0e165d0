#!/usr/bin/env bash
# Fetch the browser assets that the website and its tests need, from the npm registry,
# so that the built site makes no request to a third-party host (no CDN).
#
#   _vendor/site/   listed in html_static_path (_config.yml): Sphinx copies its content
#                   into _build/html/_static/.  MathJax 3 (mathjax_path points at it).
#   tools/mathjax/node_modules/  mathjax-full for typesetting the math at build time
#                   (_ext/light_pages.py), from tools/mathjax/package-lock.json.
#   tools/purgecss/node_modules/  PurgeCSS (MIT) for cutting the stylesheets to the rules
#                   the site uses (_ext/lean_styles.py), from tools/purgecss/package-lock.json.
#   _vendor/test/   used only by tests/test_site.py, never shipped: axe-core, the
#                   accessibility checker that the browser tests inject into each page.
#
# `make assets` (run before every `make book`) calls this script.  It is idempotent and
# fast when the assets are present: each package is fetched again only when its pinned
# version below changes.  Needs `npm` (Debian: apt-get install npm), `tar` and `python3`.
# _vendor/ is git-ignored.  The folder is deliberately not _static/: Jupyter Book 1 adds
# a <script>/<link> tag to every page for each .js/.css found under _static/.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned versions and the registry's sha512 integrity of each tarball.
MATHJAX_VERSION=3.2.2
MATHJAX_INTEGRITY="sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw=="
AXE_VERSION=4.14.1
AXE_INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="

VENDOR=_vendor
MATHJAX_DIR=$VENDOR/site/mathjax
AXE_DIR=$VENDOR/test/axe-core

# fetch NAME VERSION INTEGRITY TMPDIR: download NAME@VERSION's tarball into TMPDIR,
# check its integrity, and unpack it there (into TMPDIR/package).
fetch() {
  local name=$1 version=$2 integrity=$3 tmp=$4 tgz got
  command -v npm >/dev/null || { echo "fetch_assets.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
  if ! tgz=$(cd "$tmp" && npm pack --silent "$name@$version" 2>"$tmp/npm.err" | tail -n 1) \
      || [ -z "$tgz" ] || [ ! -f "$tmp/$tgz" ]; then
    echo "fetch_assets.sh: npm pack $name@$version failed; npm said:" >&2
    cat "$tmp/npm.err" >&2
    exit 1
  fi
  got="sha512-$(python3 -c 'import base64, hashlib, sys
print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tmp/$tgz")"
  if [ "$got" != "$integrity" ]; then
    echo "fetch_assets.sh: $name@$version: integrity $got, expected $integrity" >&2
    exit 1
  fi
  tar -xzf "$tmp/$tgz" -C "$tmp"
}

# present DIR WANT: true when DIR holds a complete copy of WANT (name@version).
present() { [ -f "$1/.complete" ] && [ "$(cat "$1/.complete")" = "$2" ]; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! present "$MATHJAX_DIR" "mathjax@$MATHJAX_VERSION"; then
  echo "fetch_assets.sh: fetching mathjax@$MATHJAX_VERSION"
  fetch mathjax "$MATHJAX_VERSION" "$MATHJAX_INTEGRITY" "$tmp"
  rm -rf "$MATHJAX_DIR" "$MATHJAX_DIR.new"
  mkdir -p "$MATHJAX_DIR.new"
  # The combined TeX+MathML->CommonHTML component (what Sphinx loads) and what it may
  # load on demand: TeX extensions (autoload), fonts and output, the menu, a11y tools.
  cp -R "$tmp/package/es5/tex-mml-chtml.js" "$tmp/package/es5/input" \
        "$tmp/package/es5/output" "$tmp/package/es5/a11y" "$tmp/package/es5/ui" \
        "$tmp/package/es5/sre" "$tmp/package/es5/adaptors" "$MATHJAX_DIR.new/"
  cp "$tmp/package/LICENSE" "$MATHJAX_DIR.new/LICENSE"
  echo "mathjax@$MATHJAX_VERSION" > "$MATHJAX_DIR.new/.complete"
  mv "$MATHJAX_DIR.new" "$MATHJAX_DIR"
fi

if ! present "$AXE_DIR" "axe-core@$AXE_VERSION"; then
  echo "fetch_assets.sh: fetching axe-core@$AXE_VERSION (tests only)"
  fetch axe-core "$AXE_VERSION" "$AXE_INTEGRITY" "$tmp"
  rm -rf "$AXE_DIR" "$AXE_DIR.new"
  mkdir -p "$AXE_DIR.new"
  cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$AXE_DIR.new/"
  echo "axe-core@$AXE_VERSION" > "$AXE_DIR.new/.complete"
  mv "$AXE_DIR.new" "$AXE_DIR"
fi

# Node tools run at build time, each pinned with its dependencies and their integrity in
# its package-lock.json and installed again (npm ci) only when that file changes:
#   tools/mathjax   mathjax-full: render_math.js (run by _ext/light_pages.py) typesets the
#                   pages' TeX in Node.
#   tools/purgecss  purgecss: purge_css.js (run by _ext/lean_styles.py) cuts the linked
#                   stylesheets to the rules that the pages and scripts can use.
for tool in tools/mathjax tools/purgecss; do
  want="$(python3 -c 'import hashlib, sys
print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$tool/package-lock.json")"
  if [ ! -f "$tool/node_modules/.complete" ] \
      || [ "$(cat "$tool/node_modules/.complete")" != "$want" ]; then
    echo "fetch_assets.sh: installing $tool (npm ci, from its package-lock.json)"
    if ! (cd "$tool" && npm ci --silent --no-audit --no-fund >"$tmp/npm.err" 2>&1); then
      echo "fetch_assets.sh: npm ci in $tool failed; npm said:" >&2
      cat "$tmp/npm.err" >&2
      exit 1
    fi
    echo "$want" > "$tool/node_modules/.complete"
  fi
done
