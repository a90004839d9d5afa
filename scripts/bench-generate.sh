#!/usr/bin/env bash
# The generation part of the benchmark (scripts/bench/main.ts, sections 1 to
# 3): update-set cold against `go mod download` and gomod2nix, warm without
# network, with one pin changed, and its peak memory, on the bundled leaves
# through the configured Go module proxy. `npm run bench` runs every section.
# Usage: scripts/bench-generate.sh [leaves.yaml]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
exec "$here/node_modules/.bin/tsx" "$here/scripts/bench/main.ts" --no-nix --leaves "${1:-$here/set/leaves.yaml}"
