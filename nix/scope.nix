# goPackages: a scope (lib.makeScope) holding one attribute per module path of
# a set, plus the builders every member and leaf is called with. The set's
# overrides.nix, when present, is applied with overrideScope.
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
    inherit (drv.goModules.${path}) version src;
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

  # Fixes for modules that left the set are dropped (with a warning), so an
  # old overrides.nix never breaks evaluation.
  guard = overrides: final: prev:
    let
      fixes = overrides final prev;
      stale = filter (n: !(prev ? ${n})) (attrNames fixes);
      kept = intersectAttrs prev fixes;
    in
    foldl' (acc: n: builtins.trace "goset: ${toString overridesFile} fixes ${n}, which is not in the set; ignored" acc) kept stale;

  base = surface.makeScope surface.newScope (self: builders self // members self);
  goPackages =
    if pathExists overridesFile then base.overrideScope (guard (import overridesFile)) else base;

  # holds: module path -> "path@version" (a key of index.held).
  heldScope = holds:
    if holds == { } then goPackages
    else goPackages.overrideScope (final: _: mapAttrs (_: key: final.callPackage index.held.${key} { }) holds);

  pathOfKey = key: builtins.head (builtins.match "(.*)@[^@]*" key);
in
{
  inherit goPackages;
  leafFiles = index.leaves;
  # The scope each leaf builds in.
  leafScope = name: heldScope (index.leafHolds.${name} or { });
  # Every held version, by "path@version", built in its own hold's scope.
  held = mapAttrs (key: _: let path = pathOfKey key; in (heldScope { ${path} = key; }).${path}) index.held;
}
