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
  goVersion = go.version;
  buildCommand = ''
    source ${./go-setup.sh}
    mkdir -p "$out/cache" "$TMPDIR/main"
    cd "$TMPDIR/main"
    mainGoMod
    useGoCache "$out/cache"
    go build -v -trimpath std
  '';
  dontFixup = true;
}
