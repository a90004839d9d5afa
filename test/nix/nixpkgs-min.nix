# A package base for tests from real nixpkgs files: lib, stdenv (mkDerivation
# and setup.sh) and newScope/callPackage from nixpkgs-min (a test oracle kept
# outside this repository), with the two packages it lacks, Go and cacert,
# taken from goset's host base. Not part of the library.
{ nixpkgs, hostCABundle ? /etc/ssl/certs/ca-certificates.crt }:
let
  real = import nixpkgs { };
  host = import ../../nix/host-pkgs.nix { inherit hostCABundle; };
in
real // { inherit (host) go cacert; }
