#!/usr/bin/env bash
# Runs every test of goset: shellcheck, TypeScript type checks and vitest suites (which
# use the real go, a loopback module proxy and real Nix builds), and the Go
# tests of the build-time helpers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh
. scripts/env.sh
# Shell scripts: shellcheck's warnings and errors (settings in .shellcheckrc).
shellcheck -S warning scripts/*.sh nix/*.sh .ci/run
(cd nix/tools && go vet ./... && go test ./...)
npm run lint
npx tsc --noEmit
npx vitest run "$@"
