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
#   platform              what Go builds for: stdenv.hostPlatform.go, the
#                         GOOS, GOARCH and GOARM nixpkgs' lib derives
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
in
if release != null && builtins.compareVersions release "23.11" < 0 then
  throw "goset: nixpkgs ${lib.version or release} is too old: goset needs nixpkgs' lib from 23.11 on (overrideScope takes final: prev: since then); use a newer nixpkgs"
else {
  inherit (lib) makeScope;
  inherit (pkgs) newScope cacert;
  inherit (stdenv) mkDerivation;
  go = (pkgs.buildPackages or pkgs).go;
  platform = stdenv.hostPlatform.go;
  cc = if cc == null then null else "${cc}/bin/${cc.targetPrefix or ""}cc";
  git = pkgs.gitMinimal or (pkgs.git or null);
}
