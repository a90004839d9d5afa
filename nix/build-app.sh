# Configure step of buildGoApplication (sourced after go-setup.sh, in the
# unpacked source): patches go.mod, builds the module cache, sets up the
# compile cache. Inputs, from the derivation:
#   goRequires      path@version of every set member to require
#   goSetVersions   path@version of every set member in the build's closure
#   goForkPlan      one line per fork: replaced path version dir src|- go|- [req@version ...]
#                   (src "-": the fork is a set member, already in the module cache)
#   goDirReplaces   one line per directory replacement: replaced ./dir
#   manifestPath, cacheInputsPath  as in build-module.sh
cd "$modRoot"
if [ ! -f go.mod ]; then
  echo "goset: $pname: no go.mod in $modRoot" >&2
  exit 1
fi
if [ -n "$goModulePath" ]; then
  declared=""
  read -r declared _ < <(goModDirectives module go.mod) || true
  if [ "$declared" != "$goModulePath" ]; then
    echo "goset: $pname: go.mod declares module $declared, but modulePath is $goModulePath" >&2
    exit 1
  fi
fi
# The set's go.mod files differ from the ones go.sum recorded.
rm -f go.sum go.work go.work.sum

# dropReplaces PATH: go mod edit flags removing every replacement of PATH.
dropReplaces() {
  local old oldVersion
  while read -r old oldVersion _; do
    [ "$old" = "$1" ] || continue
    if [ "$oldVersion" = "=>" ]; then echo "-dropreplace=$old"; else echo "-dropreplace=$old@$oldVersion"; fi
  done < <(goModDirectives replace go.mod)
}

declare -A setVersion=() replaced=()
for req in $goSetVersions; do
  setVersion[${req%@*}]="${req##*@}"
done
while read -r path _; do
  if [ -n "$path" ]; then replaced[$path]=1; fi
done <<< "$goForkPlan"$'\n'"$goDirReplaces"

# requirementFlags GOMOD: go mod edit flags that raise each requirement of
# GOMOD to the set's version and drop requirements the build does not use
# (no package of theirs is imported), so the module graph closes over the
# modules built against and the replaced modules.
requirementFlags() {
  local path version
  while read -r path version _; do
    if [ -n "${replaced[$path]:-}" ]; then
      continue
    elif [ -n "${setVersion[$path]:-}" ]; then
      echo "-require=$path@${setVersion[$path]}"
    else
      echo "goset: $pname: dropping the requirement $path $version of $1: no package of it is built against" >&2
      echo "-droprequire=$path"
    fi
  done < <(goModDirectives require "$1")
}

editFlags=()
mapfile -t editFlags < <(requirementFlags go.mod)
for req in $goRequires; do
  editFlags+=("-require=$req")
done

while read -r replacedPath path version dir src goLine reqs; do
  [ -n "$replacedPath" ] || continue
  if [ "$src" != - ]; then
    # shellcheck disable=SC2086 # reqs are path@version words
    layoutModule "$TMPDIR/forks/$dir" "$path" "$src" "$goLine" $reqs
  fi
  mapfile -t -O "${#editFlags[@]}" editFlags < <(dropReplaces "$replacedPath")
  editFlags+=("-replace=$replacedPath=$path@$version")
done <<< "$goForkPlan"

while read -r replacedPath dir; do
  [ -n "$replacedPath" ] || continue
  mapfile -t -O "${#editFlags[@]}" editFlags < <(dropReplaces "$replacedPath")
  editFlags+=("-replace=$replacedPath=$dir")
  mapfile -t dirFlags < <(requirementFlags "$dir/go.mod")
  if [ ${#dirFlags[@]} -gt 0 ]; then go mod edit "${dirFlags[@]}" "$dir/go.mod"; fi
done <<< "$goDirReplaces"

if [ ${#editFlags[@]} -gt 0 ]; then go mod edit "${editFlags[@]}" go.mod; fi

buildModCache "$(attrFile manifest)"
useGoCache "$TMPDIR/cache" "$(attrFile cacheInputs)"
mkdir -p "$TMPDIR/bin"
