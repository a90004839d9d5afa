# Configure step of buildGoApplication (sourced after go-setup.sh, in the
# unpacked source). Inputs, from the derivation:
#   goPlanPath   how go.mod is patched: the set members to require, forks and
#                directory replacements (gosetbuild, nix/tools/README.md)
#   manifestPath, cacheInputsPath  as in build-module.sh
cd "$modRoot"
"$gosetTools/bin/gosetbuild" app-setup "$(attrFile goPlan)" "$TMPDIR/forks"
buildModCache "$(attrFile manifest)"
useGoCache "$TMPDIR/cache" "$(attrFile cacheInputs)"
mkdir -p "$TMPDIR/bin"
