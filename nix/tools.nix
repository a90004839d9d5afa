# goset's build helpers (nix/tools: gocacheprog, modcache), built with the
# set's Go. They have no dependencies; tests and docs are left out of the
# source so that editing them does not rebuild every module.
{ surface, go }:
let
  src = builtins.path {
    name = "goset-tools-src";
    path = ./tools;
    filter = path: type:
      let base = baseNameOf path;
      in !(builtins.match ".*_test\\.go" base != null || builtins.match ".*\\.md" base != null);
  };
in
surface.mkDerivation {
  pname = "goset-tools";
  version = "0";
  inherit src;
  nativeBuildInputs = [ go ];
  env = {
    GOTOOLCHAIN = "local";
    GOFLAGS = "-mod=mod -trimpath";
    GOPROXY = "off";
    GOSUMDB = "off";
    GOWORK = "off";
    GOENV = "off";
    CGO_ENABLED = "0";
  };
  buildCommand = ''
    export HOME="$TMPDIR/home" GOPATH="$TMPDIR/gopath" GOCACHE="$TMPDIR/gocache"
    cp -r --no-preserve=mode "$src" "$TMPDIR/tools"
    cd "$TMPDIR/tools"
    go build -trimpath -o "$out/bin/" ./cmd/...
  '';
  dontFixup = true;
}
