#!/usr/bin/env bash
# Measures update-set on the bundled set's leaves through the configured Go
# module proxy: a cold run (empty cache, no previous lock) and a warm rerun
# with unchanged inputs. Prints wall time, peak memory, modules per second
# and zip downloads for each. Usage: scripts/bench-generate.sh [leaves.yaml]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
leaves="${1:-$here/set/leaves.yaml}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/set"
cp "$leaves" "$work/set/leaves.yaml"

measure() { # label
  /usr/bin/time -f '%e %M' -o "$work/time" \
    env XDG_CACHE_HOME="$work/cache" node "$here/bin/update-set.js" --set "$work/set" --json >"$work/out.json" 2>/dev/null
  read -r secs kb <"$work/time"
  node -e '
    const [label, secs, kb, file] = process.argv.slice(1);
    const r = JSON.parse(require("fs").readFileSync(file, "utf8"));
    const rate = (r.modules / Number(secs)).toFixed(1);
    console.log(`| ${label} | ${r.leaves} | ${r.modules} | ${secs} s | ${(Number(kb) / 1024).toFixed(0)} MiB | ${rate} | ${r.zipDownloads} | ${r.upToDate ? "none" : r.written.length + " files"} |`);
  ' "$1" "$secs" "$kb" "$work/out.json"
}

echo "| run | leaves | modules | wall time | peak RSS | modules/s | zips downloaded | written |"
echo "|---|---|---|---|---|---|---|---|"
measure cold
measure warm
