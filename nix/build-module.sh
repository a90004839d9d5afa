# Builder of mkGoModule (sourced after go-setup.sh). Inputs, from the derivation:
#   goModulePlan   one line per module: path version dir go|-
#   goDependVersions  one line per module built against: path version
#   goPackagePatterns  the packages to build, one import path (or path/...) per line
#   manifestPath   modcache manifest of every module
#   cacheInputsPath  cache directories to read (goStdlib and every dependency)
mkdir -p "$out/modules" "$out/cache" "$out/nix-support"

# The module(s) of this derivation, each with its module and go lines.
requires=()
declare -A own=()
while read -r path version dir goLine; do
  [ -n "$path" ] || continue
  writeGoMod "$out/modules/$dir" "$path" "$goLine"
  requires+=("$path $version")
  own[$path]=1
done <<< "$goModulePlan"
# The main module requires every module built against at the set's version:
# the dependencies' go.mod files require nothing, so these are what go selects.
while read -r path version; do
  [ -z "$path" ] || requires+=("$path $version")
done <<< "$goDependVersions"

buildModCache "$(attrFile manifest)"

mkdir -p "$TMPDIR/main"
cd "$TMPDIR/main"
mainGoMod "${requires[@]}"

# One go list compiles every package that can build (-export: each package's
# export data, through the same cache entries go build would use) and says
# why the others cannot; -e keeps going past them. Fields end with \x1f,
# records with \x00 (go list adds a newline after each), so that error texts
# may hold anything.
format='{{if .Module}}{{.Module.Path}}{{end}}{{"\x1f"}}{{.ImportPath}}{{"\x1f"}}{{.Name}}{{"\x1f"}}{{.Export}}{{"\x1f"}}'
format+='{{if .Error}}{{.Error.Err}}{{else if not (or .GoFiles .CgoFiles)}}no non-test Go files{{else}}{{range .DepsErrors}}{{.Err}}{{"\n"}}{{end}}{{end}}{{"\x1f\x00"}}'
mapfile -t patterns < <(printf '%s' "$goPackagePatterns" | sed '/^$/d')
useGoCache "$out/cache" "$(attrFile cacheInputs)"
: > "$TMPDIR/packages"
if [ ${#patterns[@]} -gt 0 ]; then
  go list -v -e -export -f "$format" "${patterns[@]}" > "$TMPDIR/packages"
fi

built=()
declare -A skipped=()
while IFS=$'\x1f' read -r -d '' module importPath name export reason; do
  module="${module#$'\n'}"
  [ -n "${own[$module]:-}" ] || continue
  if [ -n "$reason" ]; then
    # go reports errors of dependencies in no fixed order.
    skipped[$importPath]="$(LC_ALL=C sort -u <<< "${reason%$'\n'}")"
  elif [ "$name" = main ]; then
    skipped[$importPath]="command (package main): dependents cannot import it"
  elif [ -n "$export" ]; then
    built+=("$importPath")
  else
    skipped[$importPath]="go list -export produced no export data"
  fi
done < "$TMPDIR/packages"

{
  printf '{\n  "packages": ['
  sep=""
  for pkg in $(printf '%s\n' "${built[@]}" "${!skipped[@]}" | LC_ALL=C sort -u); do
    if [ -n "${skipped[$pkg]+x}" ]; then
      printf '%s\n    {"importPath": %s, "built": false, "reason": %s}' "$sep" "$(jsonString "$pkg")" "$(jsonString "${skipped[$pkg]}")"
    else
      printf '%s\n    {"importPath": %s, "built": true}' "$sep" "$(jsonString "$pkg")"
    fi
    sep=","
  done
  printf '\n  ]\n}\n'
} > "$out/nix-support/goset-packages.json"
echo "goset: built ${#built[@]} packages, skipped ${#skipped[@]} (see $out/nix-support/goset-packages.json)" >&2

chmod -R a-w "$out/modules"
