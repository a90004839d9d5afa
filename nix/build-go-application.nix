# buildGoApplication: a Go program built against a set, with buildGoModule's
# familiar attributes. `goModules` names the set members the program's own
# packages import (or gives their derivations); the program builds against
# them and, transitively, what they import. Its go.mod is patched before the
# build: every one of those modules is required at the set's version and
# every other requirement is dropped (dependencies' go.mod files in the set
# require nothing, so these are exactly the versions go selects); a module
# replaced by a fork ({ path, version, hash, go?, requires }) is replaced by
# that fork, whose source goes into the module cache with the set's
# requirements; a module replaced by a directory ({ dir = "./x"; }) keeps
# `replace X => ./x`, and the directory's go.mod is raised to the set's
# versions too. Only this program's own packages (and forks) compile: the
# rest are cache hits from goStdlib and the members' outputs.
{ surface, goPackages, fetchGoModule, goStdlib, gosetTools, goEnv, go }:
let
  util = import ./util.nix;
  inherit (builtins) isString attrNames attrValues mapAttrs filter foldl' concatStringsSep toJSON removeAttrs compareVersions elem;
  toolchain = go;
in
{
  pname,
  version,
  src,
  modulePath ? null,
  modRoot ? ".",
  subPackages ? [ "." ],
  ldflags ? [ ],
  tags ? [ ],
  doCheck ? false,
  checkFlags ? [ ],
  env ? { },
  nativeBuildInputs ? [ ],
  meta ? { },
  passthru ? { },
  goModules ? [ ],
  replaces ? { },
  ...
}@args:
let
  # `go` is the go directive of the program's go.mod (a string, as update-set
  # writes it) or a Go toolchain to build with instead of the set's.
  goArg = args.go or null;
  go = if goArg != null && !isString goArg then goArg else toolchain;
  requiredGo =
    if isString goArg && compareVersions go.version goArg < 0
    then throw "goset: ${pname} needs go ${goArg}, but the set's Go is ${go.version}"
    else goArg;

  replacedPaths = attrNames replaces;
  forks = filter (p: !(replaces.${p} ? dir)) replacedPaths;
  dirReplaces = filter (p: replaces.${p} ? dir) replacedPaths;

  memberOf = p: goPackages.${p} or (throw "goset: ${pname} uses ${p}, which is not a member of the set");
  toDrv = m: if isString m then memberOf m else m;
  versionOf = p: let d = memberOf p; in d.goModules.${p}.version or d.version;
  usedDrvs = util.uniqueDrvs (map toDrv goModules);

  # Every set member the program builds against, by path, to its derivation.
  goDepends = foldl' (acc: d: acc // d.goDepends // mapAttrs (_: _: d) d.goModules) { } usedDrvs;

  # Set members to require at the set's version: every one built against.
  requiredPaths = filter (p: !(elem p replacedPaths)) (attrNames goDepends);
  requires = map (p: "${p}@${goDepends.${p}.goModules.${p}.version}") requiredPaths;

  forkOf = p: let f = replaces.${p}; in f // {
    src = f.src or (fetchGoModule { inherit (f) path version hash; });
    dir = util.moduleDir f.path f.version;
  };
  # A fork that is itself a set member at the same version is taken from the set.
  inSet = f: goDepends ? ${f.path} && goDepends.${f.path}.goModules.${f.path}.version == f.version;
  forkPlanLine = p: let f = forkOf p; in concatStringsSep " " ([
    p f.path f.version f.dir (if inSet f then "-" else "${f.src}") (f.go or "-")
  ] ++ map (r: "${r}@${versionOf r}") (f.requires or [ ]));

  manifest = toJSON {
    modules =
      attrValues (mapAttrs util.manifestEntry goDepends)
      ++ map (f: { inherit (f) path version; dir = "@TMPDIR@/forks/${f.dir}"; })
        (filter (f: !(inSet f)) (map forkOf forks));
    out = "@TMPDIR@/gomodcache";
  };

  cacheInputs = [ goStdlib ] ++ util.uniqueDrvs (attrValues goDepends);

  normalizePackage = p: if p == "." || builtins.substring 0 2 p == "./" then p else "./" + p;

  extraAttrs = removeAttrs args [
    "go" "modulePath" "modRoot" "subPackages" "ldflags" "tags" "checkFlags" "env"
    "nativeBuildInputs" "meta" "passthru" "goModules" "replaces"
  ];
in
surface.mkDerivation (extraAttrs // {
  inherit pname version src doCheck meta;
  nativeBuildInputs = [ go ] ++ nativeBuildInputs;
  env = goEnv // env;

  inherit gosetTools modRoot;
  goVersion = go.version;
  goModulePath = if modulePath == null then "" else modulePath;
  goRequiredGo = if requiredGo == null then "" else requiredGo;
  goRequires = concatStringsSep " " requires;
  goSetVersions = concatStringsSep " " (attrValues (mapAttrs (p: d: "${p}@${d.goModules.${p}.version}") goDepends));
  goForkPlan = concatStringsSep "\n" (map forkPlanLine forks);
  goDirReplaces = concatStringsSep "\n" (map (p: "${p} ${replaces.${p}.dir}") dirReplaces);
  goSubPackages = map normalizePackage subPackages;
  goTags = concatStringsSep "," tags;
  goLdflags = concatStringsSep " " ldflags;
  goCheckFlags = checkFlags;
  inherit manifest;
  cacheInputs = concatStringsSep "\n" (map (d: "${d}/cache") cacheInputs);
  passAsFile = [ "manifest" "cacheInputs" ];

  configurePhase = args.configurePhase or ''
    runHook preConfigure
    source ${./go-setup.sh}
    source ${./build-app.sh}
    runHook postConfigure
  '';

  buildPhase = args.buildPhase or ''
    runHook preBuild
    goBuildFlags=(-v -trimpath)
    [ -z "$goTags" ] || goBuildFlags+=("-tags=$goTags")
    [ -z "$goLdflags" ] || goBuildFlags+=("-ldflags=$goLdflags")
    # shellcheck disable=SC2086 # package patterns are words
    go build "''${goBuildFlags[@]}" -o "$TMPDIR/bin/" $goSubPackages
    runHook postBuild
  '';

  checkPhase = args.checkPhase or ''
    runHook preCheck
    goTestFlags=(-trimpath)
    [ -z "$goTags" ] || goTestFlags+=("-tags=$goTags")
    # shellcheck disable=SC2086 # flags are words
    go test "''${goTestFlags[@]}" $goCheckFlags ./...
    runHook postCheck
  '';

  installPhase = args.installPhase or ''
    runHook preInstall
    mkdir -p "$out/bin"
    cp -r "$TMPDIR/bin/." "$out/bin/"
    runHook postInstall
  '';

  passthru = { inherit goDepends; } // passthru;
})
