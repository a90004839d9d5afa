# goset: a set of Go modules (written by update-set) as Nix derivations.
#
#   nix-build . --arg set /abs/set -A leaves.<name>
#   nix-build . --arg set /abs/set -A 'goPackages."<module path>"'
#   nix-build . --arg set /abs/set -A 'held."<module path>@<version>"'   (a leaf's hold)
#
# pkgs defaults to <nixpkgs> when NIX_PATH provides it, else to the small
# package base in nix/host-pkgs.nix (the host's Go and tools). nix/surface.nix
# names everything the library takes from pkgs.
let
  isAbsolute = p: builtins.substring 0 1 p == "/";
  nixPathHasNixpkgs = builtins.any
    (e: (e.prefix == "nixpkgs" && (!isAbsolute e.path || builtins.pathExists e.path))
      || (e.prefix == "" && isAbsolute e.path && builtins.pathExists (e.path + "/nixpkgs")))
    builtins.nixPath;
in
{
  pkgs ? if nixPathHasNixpkgs then import <nixpkgs> { } else import ./nix/host-pkgs.nix { },
  set ? ./set,
}:
let
  surface = import ./nix/surface.nix pkgs;
  scope = import ./nix/scope.nix { inherit surface set; };
  inherit (scope) goPackages;
in
{
  inherit goPackages;
  inherit (goPackages) leaves;
  inherit (scope) held;
  inherit (goPackages) buildGoApplication fetchGoModule goStdlib gosetTools;
}
