#!/usr/bin/env bash
# Runs every test of goset: shellcheck, the Go tests of the build-time helpers,
# eslint, TypeScript type checks and the vitest projects unit, network (loopback
# and real module proxies) and nix (real Nix builds; test/nix/parse.test.ts, in
# unit, parses every .nix file). Arguments go to vitest: `--project unit`.
# install-tools.sh installs a missing tool, so nothing here is skipped for lack of one.
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
