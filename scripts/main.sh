#!/usr/bin/env bash
# The main job: regenerate the bundled set from set/leaves.yaml, then build
# one leaf with Nix through the set and run it. Usage: scripts/main.sh [LEAF]
set -euo pipefail
cd "$(dirname "$0")/.."
leaf="${1:-fzf}"
bash scripts/install-tools.sh
. scripts/env.sh
bin/update-set.js --set set
out="$(nix-build . -A "leaves.$leaf" --no-out-link)"
echo "built $out" >&2
for bin in "$out"/bin/*; do
  "$bin" --version
done
