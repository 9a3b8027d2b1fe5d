#!/bin/sh
# npm_ci.sh SOURCE_DIR BUILD_DIR: the e2e tests' npm packages (tests/e2e/package-lock.json) into
# BUILD_DIR/node_modules, never into the source tree. Skips `npm ci` when BUILD_DIR already
# holds exactly this lock file's packages.
set -eu
src=$1
dest=$2
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "npm_ci.sh: node and npm are needed (scripts/install-deps.sh)" >&2; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "npm_ci.sh: playwright-core and web-ext need Node.js 20 or later; this is $(node --version)" >&2
  exit 1
fi
mkdir -p "$dest"
stamp=$dest/node_modules/.cardbridge-e2e-lock.json
if [ -f "$stamp" ] && cmp -s "$src/package-lock.json" "$stamp" && cmp -s "$src/package.json" "$dest/package.json"; then
  echo "npm_ci.sh: $dest/node_modules is up to date"
  exit 0
fi
cp "$src/package.json" "$src/package-lock.json" "$dest/"
cd "$dest"
# No install scripts: nothing here needs one, and playwright-core must not fetch browsers.
npm ci --ignore-scripts --no-audit --no-fund
cp package-lock.json "$stamp"
