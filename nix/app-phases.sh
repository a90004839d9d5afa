# The build, check and install steps of buildGoApplication, sourced by its
# phases in the configured module root. They read buildGoModule's attributes
# from the derivation (lists arrive as words, or as arrays with
# __structuredAttrs): subPackages, excludedPackages, tags, ldflags,
# buildFlags, checkFlags, buildTestBinaries.

# goPackageDirs [test]: the package directories to build (or, with "test",
# to test): subPackages, else every directory with Go files (test files)
# except vendor/, testdata, examples, Godeps, _-prefixed ones and those
# matching excludedPackages (grep patterns), as buildGoModule chooses them;
# then only those with files that build here.
goPackageDirs() {
  local suffix="${1:+_$1}" p exclude dirs=()
  if [ -n "${subPackages[*]:-}" ]; then
    for p in ${subPackages[*]}; do
      case "$p" in . | ./*) dirs+=("$p") ;; *) dirs+=("./$p") ;; esac
    done
  else
    exclude='\(/_\|examples\|Godeps\|testdata'
    for p in ${excludedPackages[*]:-}; do exclude+="\\|$p"; done
    exclude+='\)'
    mapfile -t dirs < <(find . -type f -name "*$suffix.go" -exec dirname {} \; | grep -v "/vendor/" | sort -u | grep -v "$exclude" || true)
  fi
  [ ${#dirs[@]} -gt 0 ] || return 0
  if [ -n "$suffix" ]; then
    go list -e -f '{{if or .TestGoFiles .XTestGoFiles}}{{.Dir}}{{end}}' "${dirs[@]}"
  else
    go list -e -f '{{if or .GoFiles .CgoFiles}}{{.Dir}}{{end}}' "${dirs[@]}"
  fi
}

# goFlags: flags shared by go build and go test.
goFlags() {
  local tagList="${tags[*]:-}" ldflagList="${ldflags[*]:-}"
  goFlagList=()
  # shellcheck disable=SC2206 # buildFlags are words
  goFlagList+=(${buildFlags[*]:-})
  [ -z "$tagList" ] || goFlagList+=("-tags=${tagList// /,}")
  [ -z "$ldflagList" ] || goFlagList+=("-ldflags=$ldflagList")
}

goAppBuild() {
  local dirs
  mapfile -t dirs < <(goPackageDirs "${buildTestBinaries:+test}")
  if [ ${#dirs[@]} -eq 0 ]; then
    echo "goset: $pname: no package to build (subPackages, excludedPackages)" >&2
    return 1
  fi
  goFlags
  if [ -n "${buildTestBinaries:-}" ]; then
    go test -c "${goFlagList[@]}" -o "$TMPDIR/bin/" "${dirs[@]}"
  else
    go build -v "${goFlagList[@]}" -o "$TMPDIR/bin/" "${dirs[@]}"
  fi
}

goAppCheck() {
  local dirs
  mapfile -t dirs < <(goPackageDirs test)
  [ ${#dirs[@]} -gt 0 ] || return 0
  goFlags
  # shellcheck disable=SC2206 # checkFlags are words
  go test "${goFlagList[@]}" -vet=off ${checkFlags[*]:-} "${dirs[@]}"
}

goAppInstall() {
  mkdir -p "$out/bin"
  cp -r "$TMPDIR/bin/." "$out/bin/"
}
