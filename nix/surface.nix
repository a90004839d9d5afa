# The whole nixpkgs surface goset's Nix library uses, named in this one place.
# Every other file of nix/ receives this attribute set (never `pkgs`) and uses
# builtins for everything else. nix/host-pkgs.nix implements exactly these
# names for machines without nixpkgs.
#
#   makeScope newScope f  lib.makeScope: a scope with callPackage, newScope,
#                         overrideScope (final: prev: { ... }) and packages
#                         (lib from 23.11 on: overrideScope's argument order)
#   newScope              pkgs.newScope: callPackage over pkgs // scope
#   mkDerivation          stdenv.mkDerivation with pname/version or name,
#                         attrs or (finalAttrs: attrs), buildCommand or the
#                         phases unpack, patch (patches), configure, build, check (when
#                         doCheck), install, fixup, each with its pre/post
#                         hooks; env, passthru, meta, nativeBuildInputs,
#                         passAsFile, dontUnpack, dontFixup, outputHash*,
#                         impureEnvVars, disallowedReferences; overrideAttrs
#   go                    the Go toolchain that runs on the build machine
#                         (buildPackages.go): ${go}/bin/go, go.version
#   platform              what Go builds for: stdenv.hostPlatform.go (lib's
#                         GOOS, GOARCH, GOARM, nixpkgs 25.05 on), else the
#                         GOOS/GOARCH/GOARM of buildPackages.go, whose target
#                         is that platform (as buildGoModule read them before)
#   cc                    the C compiler for cgo: "${stdenv.cc}/bin/<prefix>cc"
#                         is the CC of every build (part of every cgo cache
#                         key); null (stdenvNoCC) builds without cgo
#   cacert                ${cacert}/etc/ssl/certs/ca-bundle.crt, for downloads
#   git                   (optional) git for modules fetched straight from version
#                         control (GONOPROXY); null: the builder's PATH has one
pkgs:
let
  inherit (pkgs) lib stdenv;
  release = lib.trivial.release or null;
  cc = stdenv.cc or null;
  go = (pkgs.buildPackages or pkgs).go;
  platform =
    if stdenv.hostPlatform ? go then stdenv.hostPlatform.go
    else if go ? GOOS && go ? GOARCH then { inherit (go) GOOS GOARCH; GOARM = go.GOARM or ""; }
    else throw "goset: cannot tell GOOS/GOARCH: stdenv.hostPlatform has no `go` and the Go toolchain no GOOS/GOARCH";
in
if release != null && builtins.compareVersions release "23.11" < 0 then
  throw "goset: nixpkgs ${lib.version or release} is too old: goset needs nixpkgs' lib from 23.11 on (overrideScope takes final: prev: since then); use a newer nixpkgs"
else {
  inherit (lib) makeScope;
  inherit (pkgs) newScope cacert;
  inherit (stdenv) mkDerivation;
  inherit go platform;
  cc = if cc == null then null else "${cc}/bin/${cc.targetPrefix or ""}cc";
  git = pkgs.gitMinimal or (pkgs.git or null);
}
