# goset's build helpers (nix/tools: gocacheprog, modcache, gosetbuild), built with the
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
  # The set's Go environment without cgo, taken directly rather than from the
  # scope's goEnv, so that overriding goEnv does not rebuild the helpers.
  env = import ./go-env.nix { cc = null; };
  buildCommand = ''
    export HOME="$TMPDIR/home" GOPATH="$TMPDIR/gopath" GOCACHE="$TMPDIR/gocache"
    cp -r --no-preserve=mode "$src" "$TMPDIR/tools"
    cd "$TMPDIR/tools"
    go build -trimpath -o "$out/bin/" ./cmd/...
  '';
  dontFixup = true;
}
