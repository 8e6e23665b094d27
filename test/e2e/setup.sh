#!/usr/bin/env bash
# Installs what the end-to-end tests need, once: Chromium and ripgrep (Debian packages) and
# code-server (npm) with its native modules built for this Node. Idempotent: every step is
# skipped when its marker or binary is already there, so a second run takes about a second.
#
#   bash test/e2e/setup.sh            # installs into ${SOURCELENS_E2E_HOME:-$HOME/.cache/sourcelens-e2e}
#
# Needs only the npm registry and the Debian mirrors. Prints the code-server entry point last.
set -euo pipefail

CODE_SERVER_VERSION="${SOURCELENS_CODE_SERVER_VERSION:-4.100.3}"
E2E_HOME="${SOURCELENS_E2E_HOME:-$HOME/.cache/sourcelens-e2e}"
CS_DIR="$E2E_HOME/code-server-$CODE_SERVER_VERSION"
MARKER="$CS_DIR/.sourcelens-setup-done"

log() { printf '[e2e-setup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- Debian packages -------------------------------------------------------------------------
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
# kerberos' native module needs the krb5 headers; pkg-config finds them.
[ -e /usr/include/gssapi/gssapi.h ] || [ -e /usr/include/krb5.h ] || need_apt+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# ---- code-server -----------------------------------------------------------------------------
if [ -f "$MARKER" ]; then
  log "code-server $CODE_SERVER_VERSION already set up in $CS_DIR"
  echo "$CS_DIR/node_modules/code-server/out/node/entry.js"
  exit 0
fi

export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
export npm_config_yes=true npm_config_loglevel=error
# node-gyp would download Node's headers from nodejs.org; use the local ones when present.
node_prefix="$(dirname "$(dirname "$(command -v node)")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi
export JOBS="${JOBS:-max}"   # node-gyp: compile with every core

mkdir -p "$CS_DIR"
cd "$CS_DIR"
[ -f package.json ] || echo '{ "name": "sourcelens-e2e-tools", "private": true }' > package.json

if [ ! -f node_modules/code-server/package.json ]; then
  log "npm i code-server@$CODE_SERVER_VERSION"
  npm i --ignore-scripts --no-save "code-server@$CODE_SERVER_VERSION" >&2
fi

VS="$CS_DIR/node_modules/code-server/lib/vscode"
if [ ! -f "$VS/.sourcelens-deps" ]; then
  log "installing VS Code's server dependencies"
  (cd "$VS" && npm install --omit=dev --ignore-scripts >&2)
  touch "$VS/.sourcelens-deps"
fi

# @vscode/ripgrep downloads its binary in a postinstall script; use Debian's instead.
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
[ -x "$VS/node_modules/@vscode/ripgrep/bin/rg" ] || cp "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"

if [ ! -f "$VS/.sourcelens-native" ]; then
  log "building VS Code's native modules"
  (cd "$VS" && npm rebuild kerberos @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog node-pty >&2)
  touch "$VS/.sourcelens-native"
fi
[ -e "$VS/node_modules.asar" ] || ln -s node_modules "$VS/node_modules.asar"

if [ ! -f "$VS/extensions/.sourcelens-deps" ]; then
  log "installing the built-in extensions' dependencies"
  (cd "$VS/extensions" && npm install --omit=dev --ignore-scripts >&2)
  touch "$VS/extensions/.sourcelens-deps"
fi

if [ ! -f "$CS_DIR/.sourcelens-argon2" ]; then
  log "building argon2"
  (cd "$CS_DIR" && npm rebuild argon2 >&2)
  touch "$CS_DIR/.sourcelens-argon2"
fi

node "$CS_DIR/node_modules/code-server/out/node/entry.js" --version >&2
touch "$MARKER"
log "code-server $CODE_SERVER_VERSION ready in $CS_DIR"
echo "$CS_DIR/node_modules/code-server/out/node/entry.js"
