#!/usr/bin/env bash
# Builds leaves of the bundled set with Nix and smoke-checks every binary:
# it must answer --version, -version, version, --help or -h with exit 0.
# Usage: scripts/check-leaves.sh [LEAF...]   (default: every leaf)
# Prints one line per binary and a closing "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
set_dir="${GOSET_SET:-$PWD/set}"

if [ "$#" -eq 0 ]; then
  mapfile -t leaves < <(nix-instantiate --eval --json -E "builtins.attrNames (import $set_dir/default.nix).leaves" | tr -d '[]"' | tr ',' '\n' | sed '/^$/d')
else
  leaves=("$@")
fi

passed=0
failed=0
for leaf in "${leaves[@]}"; do
  start=$(date +%s)
  if ! out="$(nix-build . --arg set "$set_dir" -A "leaves.$leaf" --no-out-link 2>"/tmp/goset-check-$leaf.log")"; then
    echo "FAIL $leaf: nix-build failed (log: /tmp/goset-check-$leaf.log)"
    tail -5 "/tmp/goset-check-$leaf.log" | sed 's/^/    /'
    failed=$((failed + 1))
    continue
  fi
  for bin in "$out"/bin/*; do
    ok=""
    for flag in --version -version version --help -h; do
      # Some CLIs exit 0 on an unknown flag: such an answer is no answer.
      if answer="$(timeout 20 "$bin" "$flag" </dev/null 2>&1)" && [ -n "$answer" ] &&
        ! printf '%s' "$answer" | grep -qiE 'unknown (flag|command|shorthand)|flag provided but not defined'; then
        ok="$flag"
        break
      fi
    done
    if [ -n "$ok" ]; then
      echo "ok $leaf: $(basename "$bin") $ok -> $(printf '%s' "$answer" | head -n 1 | cut -c1-80) ($(( $(date +%s) - start )) s)"
      passed=$((passed + 1))
    else
      echo "FAIL $leaf: $(basename "$bin") answers none of --version, -version, version, --help, -h"
      failed=$((failed + 1))
    fi
  done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
