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

# mainGoMod REQUIREMENTS...: go.mod of a throwaway main module in the current
# directory, requiring "path version" pairs.
mainGoMod() {
  {
    printf 'module goset-build\n\ngo %s\n' "$goVersion"
    if [ $# -gt 0 ]; then
      printf '\nrequire (\n'
      printf '\t%s\n' "$@"
      printf ')\n'
    fi
  } > go.mod
}

jsonString() {
  local s="$1"
  s="${s//\\/\\\\}"
  s="${s//\"/\\\"}"
  s="${s//$'\n'/\\n}"
  s="${s//$'\t'/\\t}"
  s="${s//$'\r'/\\r}"
  printf '"%s"' "$s"
}

# writeGoMod DIR PATH GO|- [REQ@VERSION ...]: DIR/go.mod as the set has it:
# the module line, the go line and exactly the given requirements.
writeGoMod() {
  local dir="$1" path="$2" goLine="$3"
  shift 3
  [ "$goLine" != - ] || goLine=""
  mkdir -p "$dir"
  "$gosetTools/bin/modcache" patchgomod "$path" "$goLine" "$@" > "$dir/go.mod"
}

# layoutModule DEST PATH SRC GO|- [REQ@VERSION ...]: a copy of a module's
# files with the set's go.mod.
layoutModule() {
  local dest="$1" path="$2" src="$3"
  mkdir -p "$(dirname "$dest")"
  cp -r --no-preserve=mode "$src" "$dest"
  shift 3
  writeGoMod "$dest" "$path" "$@"
}

# buildModCache MANIFEST: the GOMODCACHE a manifest describes; its paths may
# start with @TMPDIR@ (not known at evaluation time).
buildModCache() {
  sed "s|@TMPDIR@|$TMPDIR|g" "$1" > "$TMPDIR/manifest.json"
  "$gosetTools/bin/modcache" "$TMPDIR/manifest.json"
}

# goModDirectives KIND FILE: the words of each KIND directive (require,
# replace, module...) of a go.mod, one directive a line, quotes removed.
goModDirectives() {
  local kind="$1" file="$2" block="" line
  local -a w
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%%//*}"
    line="${line//\"/}"
    read -r -a w <<< "$line" || true
    [ ${#w[@]} -gt 0 ] || continue
    if [ -n "$block" ]; then
      if [ "${w[0]}" = ")" ]; then block=""
      elif [ "$block" = "$kind" ]; then echo "${w[*]}"
      fi
    elif [ "${w[1]:-}" = "(" ]; then
      block="${w[0]}"
    elif [ "${w[0]}" = "$kind" ]; then
      echo "${w[*]:1}"
    fi
  done < "$file"
}
