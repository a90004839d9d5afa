# mkGoModule { modules = [ { path, version, hash, sum?, go?, imports, packages?, src? } ... ]; }
#
# One derivation for one module, or for every module of a cycle (modules
# whose packages import each other). It compiles the packages of its
# module(s) some leaf of the set imports (`packages`: directories, "." for the
# root; absent: every package), each that can build on this platform, against
# the outputs of the set members they import (`imports`, followed
# transitively) and goStdlib, and keeps the compiler's cache entries for its
# dependents:
#
#   $out/modules/<path>@<version>/go.mod  the go.mod builds read (case-escaped
#                                   names, as in a GOMODCACHE)
#   $out/cache/                     gocacheprog entries this build put
#   $out/nix-support/goset-packages.json  built and skipped packages, with reasons
#
# The source is the module's fetchGoModule output (passthru.src): every build
# uses it unchanged beside that go.mod, which go reads from the module cache's
# download directory, never from the source tree, so no derivation stores a
# second copy of any module.
#
# That go.mod holds the module and go lines only. Every build's main module
# requires each module it builds against at the set's version (looked up in
# goPackages at evaluation time, so a member swapped with overrideScope
# changes every dependent), so the versions go selects are exactly the set's
# whatever a dependency's own go.mod requires. Keeping requirements out of the
# go.mod files keeps versions out of the derivations of modules that do not
# import the module that changed: a bump rebuilds only its importers.
# A hand-written entry without `imports` builds against what `requires` lists.
{ surface, goPackages, fetchGoModule, goStdlib, gosetTools, goEnv, go }:
let
  util = import ./util.nix;
  inherit (builtins) concatMap filter elem foldl' attrValues mapAttrs listToAttrs removeAttrs concatStringsSep toJSON head length;
in
{ modules, pname ? null, passthru ? { }, meta ? { } }:
let
  first = head modules;
  ownPaths = map (m: m.path) modules;
  ownByPath = listToAttrs (map (m: { name = m.path; value = m; }) modules);

  memberOf = from: p:
    goPackages.${p} or (throw "goset: ${from} imports ${p}, which is not a member of the set");

  # What this derivation provides, by module path.
  providedModules = mapAttrs (p: m: {
    inherit (m) version;
    src = m.src or (fetchGoModule { inherit (m) path version hash; });
    dir = util.moduleDir p m.version;
  } // (if m ? sum then { inherit (m) sum; } else { })) ownByPath;

  directDeps = util.uniqueDrvs (map (memberOf first.path)
    (filter (r: !(elem r ownPaths)) (concatMap (m: m.imports or m.requires or [ ]) modules)));

  # Every module this one builds against, by path, to the derivation that
  # provides it.
  goDepends = removeAttrs
    (foldl' (acc: d: acc // d.goDepends // mapAttrs (_: _: d) d.providedModules) { } directDeps)
    ownPaths;

  depManifest = attrValues (mapAttrs util.manifestEntry goDepends);
  ownManifest = map (p: util.moduleManifest (builtins.placeholder "out") p providedModules.${p}) ownPaths;

  # gosetbuild's module plan (nix/tools/README.md).
  plan = {
    goVersion = go.version;
    modules = map (m: { inherit (m) path version; inherit (providedModules.${m.path}) dir; go = m.go or ""; }) modules;
    depends = attrValues (mapAttrs (p: d: { path = p; inherit (d.providedModules.${p}) version; }) goDepends);
    packages = concatMap packagePatterns modules;
  };

  packagePatterns = m:
    if m ? packages then map (d: if d == "." then m.path else "${m.path}/${d}") m.packages
    else [ "${m.path}/..." ];

  cacheInputs = [ goStdlib ] ++ util.uniqueDrvs (attrValues goDepends);
in
surface.mkDerivation {
  pname = if pname != null then pname
    else util.storeName first.path + (if length modules > 1 then "-cycle" else "");
  inherit (first) version;
  nativeBuildInputs = [ go ];
  env = goEnv;
  inherit gosetTools;
  goPlan = toJSON plan;
  manifest = toJSON { modules = ownManifest ++ depManifest; out = "@TMPDIR@/gomodcache"; };
  cacheInputs = concatStringsSep "\n" (map (d: "${d}/cache") cacheInputs);
  passAsFile = [ "goPlan" "manifest" "cacheInputs" ];
  buildCommand = ''
    source ${./go-setup.sh}
    source ${./build-module.sh}
  '';
  dontFixup = true;
  passthru = {
    inherit providedModules goDepends;
  } // (if length modules == 1 then {
    goModulePath = first.path;
    inherit (first) path;
    inherit (providedModules.${first.path}) src;
  } else { }) // passthru;
  inherit meta;
}
