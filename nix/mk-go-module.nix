# mkGoModule { modules = [ { path, version, hash, sum?, go?, requires, packages?, src? } ... ]; }
#
# One derivation for one module, or for every module of a requirement cycle.
# It compiles the packages of its module(s) some leaf of the set imports
# (`packages`: directories, "." for the root; absent: every package), each
# that can build on this platform, against the outputs of the set members
# they require (transitively) and goStdlib, and keeps the compiler's cache
# entries for its dependents:
#
#   $out/modules/<path>@<version>/go.mod  the set's go.mod (case-escaped names,
#                                   as in a GOMODCACHE)
#   $out/cache/                     gocacheprog entries this build put
#   $out/nix-support/goset-packages.json  built and skipped packages, with reasons
#
# The source is the module's fetchGoModule output (passthru.src): every build
# uses it unchanged beside the set's go.mod, which go reads from the module
# cache's download directory, never from the source tree, so no derivation
# stores a second copy of any module. The go.mod is rewritten to require
# exactly the set's versions of the set members in `requires` (looked up in
# goPackages at evaluation time, so a member swapped with overrideScope
# changes every dependent).
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
    goPackages.${p} or (throw "goset: ${from} requires ${p}, which is not a member of the set");
  versionOf = from: p:
    if ownByPath ? ${p} then ownByPath.${p}.version
    else let d = memberOf from p; in d.goModules.${p}.version or d.version;

  # What this derivation provides, by module path.
  goModules = mapAttrs (p: m: {
    inherit (m) version;
    src = m.src or (fetchGoModule { inherit (m) path version hash; });
    dir = util.moduleDir p m.version;
  } // (if m ? sum then { inherit (m) sum; } else { })) ownByPath;

  directDeps = util.uniqueDrvs (map (memberOf first.path)
    (filter (r: !(elem r ownPaths)) (concatMap (m: m.requires or [ ]) modules)));

  # Every module this one builds against, by path, to the derivation that
  # provides it.
  goDepends = removeAttrs
    (foldl' (acc: d: acc // d.goDepends // mapAttrs (_: _: d) d.goModules) { } directDeps)
    ownPaths;

  depManifest = attrValues (mapAttrs util.manifestEntry goDepends);
  ownManifest = map (p: {
    path = p;
    inherit (goModules.${p}) version;
    dir = "${goModules.${p}.src}";
    goModFile = "${builtins.placeholder "out"}/modules/${goModules.${p}.dir}/go.mod";
  } // (if goModules.${p} ? sum then { inherit (goModules.${p}) sum; } else { })) ownPaths;

  planLine = m: concatStringsSep " " ([
    m.path
    m.version
    goModules.${m.path}.dir
    (m.go or "-")
  ] ++ map (r: "${r}@${versionOf m.path r}") (m.requires or [ ]));

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
  goVersion = go.version;
  goModulePlan = concatStringsSep "\n" (map planLine modules);
  goPackagePatterns = concatStringsSep "\n" (concatMap packagePatterns modules);
  manifest = toJSON { modules = ownManifest ++ depManifest; out = "@TMPDIR@/gomodcache"; };
  cacheInputs = concatStringsSep "\n" (map (d: "${d}/cache") cacheInputs);
  passAsFile = [ "manifest" "cacheInputs" ];
  buildCommand = ''
    source ${./go-setup.sh}
    source ${./build-module.sh}
  '';
  dontFixup = true;
  passthru = {
    inherit goModules goDepends;
  } // (if length modules == 1 then {
    goModulePath = first.path;
    inherit (first) path;
    inherit (goModules.${first.path}) src;
  } else { }) // passthru;
  inherit meta;
}
