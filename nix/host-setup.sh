# Builder of nix/host-pkgs.nix's mkDerivation, run by bash -e: the subset of
# nixpkgs' stdenv setup that goset's derivations use.
set -eu -o pipefail
shopt -s nullglob

# Nix itself sets <name>Path for every attribute in passAsFile.
runHook() {
  local hook="$1"
  if [ -n "${!hook:-}" ]; then eval "${!hook}"; fi
}

defaultUnpackPhase() {
  if [ -d "$src" ]; then
    cp -r --no-preserve=mode "$src" source
  else
    echo "host-setup: cannot unpack $src (only directories are supported)" >&2
    return 1
  fi
  sourceRoot=source
  cd "$sourceRoot"
}

runPhase() {
  local phase="$1"
  case "$phase" in
    unpackPhase) [ -z "${dontUnpack:-}" ] || return 0 ;;
    checkPhase) [ -n "${doCheck:-}" ] || return 0 ;;
    fixupPhase) [ -z "${dontFixup:-}" ] || return 0 ;;
  esac
  echo "running $phase" >&2
  if [ -n "${!phase:-}" ]; then
    eval "${!phase}"
  elif [ "$phase" = unpackPhase ]; then
    runHook preUnpack
    defaultUnpackPhase
    runHook postUnpack
  elif [ "$phase" = patchPhase ]; then
    runHook prePatch
    local p
    for p in ${patches:-}; do patch ${patchFlags:--p1} < "$p"; done
    runHook postPatch
  else
    local name="${phase%Phase}"
    runHook "pre${name^}"
    runHook "post${name^}"
  fi
}

cd "$NIX_BUILD_TOP"
if [ -n "${buildCommand:-}" ]; then
  eval "$buildCommand"
else
  for phase in ${phases:-unpackPhase patchPhase configurePhase buildPhase checkPhase installPhase fixupPhase}; do
    runPhase "$phase"
  done
fi
