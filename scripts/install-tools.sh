#!/usr/bin/env bash
# Installs what goset's builds and tests need on a bare Debian machine of this
# kind: Go (from the Go module proxy's toolchain modules when /usr/local/go is
# missing), Nix (Debian's nix-bin, single-user; scripts/env.sh turns its
# sandbox on) and the npm packages. Safe to rerun: it installs only what is missing.
set -euo pipefail

GO_VERSION="${GOSET_GO_VERSION:-1.26.8}"
here="$(cd "$(dirname "$0")/.." && pwd)"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
  else
    echo "install-tools: installing Go $GO_VERSION from the Go module proxy" >&2
    tmp="$(mktemp -d)"
    proxy="${GOPROXY:-https://proxy.golang.org}"; proxy="${proxy%%[,|]*}"
    curl -fsSL -o "$tmp/go.zip" "$proxy/golang.org/toolchain/@v/v0.0.1-go$GO_VERSION.linux-amd64.zip"
    (cd "$tmp" && python3 -m zipfile -e go.zip x)
    as_root rm -rf /usr/local/go
    as_root mv "$tmp/x/golang.org/toolchain@v0.0.1-go$GO_VERSION.linux-amd64" /usr/local/go
    as_root chmod -R a+rX /usr/local/go
    as_root chmod a+x /usr/local/go/bin/* /usr/local/go/pkg/tool/*/*
    rm -rf "$tmp"
    export PATH="/usr/local/go/bin:$PATH"
  fi
fi

if ! command -v nix-build >/dev/null 2>&1 || [ ! -x /usr/bin/time ] || ! command -v shellcheck >/dev/null 2>&1; then
  echo "install-tools: installing Nix (Debian nix-bin), time and shellcheck" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nix-bin time shellcheck >/dev/null
fi

if [ ! -d "$here/node_modules" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

go version >&2
nix-build --version >&2
