# goPackages: a scope (lib.makeScope) holding one attribute per module path of
# a set, the set's leaves under `leaves`, and the builders every member and
# leaf is called with. The set's overrides.nix, when present, is applied with
# overrideScope; it may fix leaves too (`leaves.<name> = ...`).
#
# Holds: a leaf that holds modules back builds in goPackages.overrideScope
# with each held path set to its held version (the set's held/ files). The
# members importing a held module, transitively, then build against it; every
# other member is the shared set's derivation, unchanged. Leaves holding the
# same versions get the same derivations.
{ surface, set }:
let
  inherit (builtins) pathExists mapAttrs isAttrs attrNames filter foldl' intersectAttrs;

  setDir = if builtins.isString set then /. + set else set;
  indexFile = setDir + "/default.nix";
  overridesFile = setDir + "/overrides.nix";
  index = { modules = { }; cycles = { }; leaves = { }; held = { }; leafHolds = { }; }
    // (if pathExists indexFile then import indexFile else { });

  builders = self: {
    inherit (surface) go;
    goEnv = import ./go-env.nix { inherit (surface) cc platform; };
    gosetTools = self.callPackage ./tools.nix { inherit surface; };
    goStdlib = self.callPackage ./go-stdlib.nix { inherit surface; };
    fetchGoModule = self.callPackage ./fetch-go-module.nix { inherit surface; };
    mkGoModule = self.callPackage ./mk-go-module.nix { inherit surface; goPackages = self; };
    buildGoApplication = self.callPackage ./build-go-application.nix { inherit surface; goPackages = self; };
  };

  # A member of a cycle is the cycle's one derivation, seen as that member.
  asMember = drv: path: drv // {
    goModulePath = path;
    inherit path;
    inherit (drv.providedModules.${path}) version src;
  };

  members = self:
    let
      cycles = mapAttrs (_: file: self.callPackage file { }) index.cycles;
    in
    mapAttrs
      (path: entry:
        if isAttrs entry && entry ? cycle
        then asMember (cycles.${entry.cycle} or (throw "goset: ${toString indexFile}: cycle ${entry.cycle} of ${path} is not listed")) path
        else self.callPackage entry { })
      index.modules;

  # Fixes for modules or leaves that left the set are dropped (with a
  # warning), so an old overrides.nix never breaks evaluation. Leaf fixes sit
  # under `leaves` (`leaves.fzf = prev.leaves.fzf.overrideAttrs ...`); the
  # leaves a fix does not name stay as they are.
  guard = overrides: final: prev:
    let
      fixes = overrides final prev;
      moduleFixes = removeAttrs fixes [ "leaves" ];
      leafFixes = fixes.leaves or { };
      trace = what: names: acc: foldl' (a: n: builtins.trace "goset: ${toString overridesFile} fixes ${what}${n}, which is not in the set; ignored" a) acc names;
      staleModules = filter (n: !(prev ? ${n})) (attrNames moduleFixes);
      staleLeaves = filter (n: !(prev.leaves ? ${n})) (attrNames leafFixes);
      kept = intersectAttrs prev moduleFixes
        // (if fixes ? leaves then { leaves = prev.leaves // intersectAttrs prev.leaves leafFixes; } else { });
    in
    trace "" staleModules (trace "leaf " staleLeaves kept);

  # Each leaf, called in the scope of its holds.
  leavesOf = self: mapAttrs (name: file: (heldScope self (index.leafHolds.${name} or { })).callPackage file { }) index.leaves;

  base = surface.makeScope surface.newScope (self: builders self // members self // { leaves = leavesOf self; });
  goPackages =
    if pathExists overridesFile then base.overrideScope (guard (import overridesFile)) else base;

  # holds: module path -> "path@version" (a key of index.held).
  heldScope = scope: holds:
    if holds == { } then scope
    else scope.overrideScope (final: _: mapAttrs (_: key: final.callPackage index.held.${key} { }) holds);

  pathOfKey = key: builtins.head (builtins.match "(.*)@[^@]*" key);
in
{
  inherit goPackages;
  # Every held version, by "path@version", built in its own hold's scope.
  held = mapAttrs (key: _: let path = pathOfKey key; in (heldScope goPackages { ${path} = key; }).${path}) index.held;
}
