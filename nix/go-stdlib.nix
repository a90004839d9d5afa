# goStdlib: the standard library compiled once, with the set's environment
# and flags, through gocacheprog; its cache entries ($out/cache) are an input
# of every other build, so nothing compiles std again.
{ surface, go, goEnv, gosetTools }:
surface.mkDerivation {
  pname = "go-stdlib";
  inherit (go) version;
  nativeBuildInputs = [ go ];
  env = goEnv;
  inherit gosetTools;
  # A module plan without modules: a main module that requires nothing.
  goPlan = builtins.toJSON { goVersion = go.version; modules = [ ]; depends = [ ]; packages = [ ]; };
  passAsFile = [ "goPlan" ];
  buildCommand = ''
    source ${./go-setup.sh}
    mkdir -p "$out/cache"
    "$gosetTools/bin/gosetbuild" module-setup "$(attrFile goPlan)" "$out" "$TMPDIR/main"
    cd "$TMPDIR/main"
    useGoCache "$out/cache"
    go build -v -trimpath std
  '';
  dontFixup = true;
}
