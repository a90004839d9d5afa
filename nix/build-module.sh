# Builder of mkGoModule (sourced after go-setup.sh). Inputs, from the derivation:
#   goPlanPath     the build plan: own modules, modules built against, packages
#                  (gosetbuild, nix/tools/README.md)
#   manifestPath   modcache manifest of every module
#   cacheInputsPath  cache directories to read (goStdlib and every dependency)
mkdir -p "$out/modules" "$out/cache" "$out/nix-support"
plan="$(attrFile goPlan)"
"$gosetTools/bin/gosetbuild" module-setup "$plan" "$out" "$TMPDIR/main"
buildModCache "$(attrFile manifest)"
useGoCache "$out/cache" "$(attrFile cacheInputs)"
cd "$TMPDIR/main"
"$gosetTools/bin/gosetbuild" module-build "$plan" "$out"
chmod -R a-w "$out/modules"
