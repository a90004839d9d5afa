# The whole nixpkgs surface goset's Nix library uses, named in this one place.
# Every other file of nix/ receives this attribute set (never `pkgs`) and uses
# builtins for everything else. nix/host-pkgs.nix implements exactly these
# names for machines without nixpkgs.
#
#   makeScope newScope f  lib.makeScope: a scope with callPackage, newScope,
#                         overrideScope (final: prev: { ... }) and packages
#   newScope              pkgs.newScope: callPackage over pkgs // scope
#   mkDerivation          stdenv.mkDerivation with pname/version or name,
#                         buildCommand or the phases unpack, patch, configure,
#                         build, check (when doCheck), install, fixup, each with
#                         its pre/post hooks; env, passthru, meta,
#                         nativeBuildInputs, passAsFile, dontUnpack, dontFixup,
#                         outputHash*, impureEnvVars; overrideAttrs on the result
#   go                    a Go toolchain: ${go}/bin/go and go.version ("1.26.8")
#   stdenv.cc             the C compiler for cgo: "${stdenv.cc}/bin/cc" is the CC
#                         of every build (part of every cgo cache key); null
#                         (as in stdenvNoCC) builds without cgo
#   cacert                ${cacert}/etc/ssl/certs/ca-bundle.crt, for downloads
#   git                   (optional) git for modules fetched straight from version
#                         control (GONOPROXY); null: the builder's PATH has one
pkgs: {
  inherit (pkgs.lib) makeScope;
  inherit (pkgs) newScope go cacert;
  inherit (pkgs.stdenv) mkDerivation;
  cc = if pkgs.stdenv.cc or null == null then null else "${pkgs.stdenv.cc}/bin/cc";
  git = pkgs.gitMinimal or (pkgs.git or null);
}
