# Sourced by every goset Go builder: per-build directories for go, and the
# GOCACHEPROG cache (puts to $1, gets also from the directories listed one a
# line in the file $2, when given). The GO* settings themselves are the
# derivation's environment (goEnv in nix/default.nix's scope).
export HOME="$TMPDIR/home" GOPATH="$TMPDIR/gopath" GOCACHE="$TMPDIR/gocache" GOMODCACHE="$TMPDIR/gomodcache"
mkdir -p "$HOME" "$GOCACHE"

# attrFile NAME: the file holding the derivation attribute NAME, passed with
# passAsFile (Nix sets NAMEPath); with __structuredAttrs, where passAsFile
# does not apply, the value is written to a file first.
attrFile() {
  local var="${1}Path"
  if [ -n "${!var:-}" ]; then
    echo "${!var}"
  else
    printf '%s' "${!1}" > "$TMPDIR/$1.attr"
    echo "$TMPDIR/$1.attr"
  fi
}

# useGoCache OUT [INPUTS_FILE]
useGoCache() {
  export GOCACHEPROG="$gosetTools/bin/gocacheprog" GOSET_CACHE_OUT="$1" GOSET_CACHE_INPUTS="" GOSET_CACHE_INPUTS_FILE="${2:-}"
}

# buildModCache MANIFEST: the GOMODCACHE a manifest describes; its paths may
# start with @TMPDIR@ (not known at evaluation time).
buildModCache() {
  sed "s|@TMPDIR@|$TMPDIR|g" "$1" > "$TMPDIR/manifest.json"
  "$gosetTools/bin/modcache" "$TMPDIR/manifest.json"
}
