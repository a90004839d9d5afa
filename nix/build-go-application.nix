# buildGoApplication: a Go program built against a set, a drop-in for
# nixpkgs' buildGoModule (README: "Moving from buildGoModule" lists every
# attribute). It takes attrs or (finalAttrs: attrs), like mkDerivation.
#
# The set members the program builds against are `goModules` (paths or
# derivations; a leaf written by update-set lists them), or else the modules
# its go.mod requires that go.sum has files for, read from a local `src` at
# evaluation time. The program builds against them and, transitively, what
# they import. Its go.mod is patched before the build: every one of those
# modules is required at the set's version and every other requirement is
# dropped (dependencies' go.mod files in the set require nothing, so these are
# exactly the versions go selects); a module replaced by a fork ({ path,
# version, hash, go?, requires }) is replaced by that fork, whose source goes
# into the module cache with the set's requirements; a module replaced by a
# directory ({ dir = "./x"; }) keeps `replace X => ./x`, and the directory's
# go.mod is raised to the set's versions too. Only this program's own
# packages (and forks) compile: the rest are cache hits from goStdlib and the
# members' outputs.
{ surface, goPackages, fetchGoModule, goStdlib, gosetTools, goEnv, go }:
let
  util = import ./util.nix;
  inherit (builtins) isString isFunction isList attrNames attrValues mapAttrs filter foldl' concatStringsSep toJSON
    removeAttrs compareVersions elem pathExists readFile parseDrvName;
  toolchain = go;

  # buildGoModule attributes that have no meaning here, and why.
  unused = {
    vendorHash = "modules come from the set (goPackages), not from a vendor derivation";
    vendorSha256 = "modules come from the set (goPackages), not from a vendor derivation";
    proxyVendor = "modules come from the set's module cache; there is no vendor directory to proxy";
    deleteVendor = "a vendor directory in src is never read (go runs with -mod=mod)";
    overrideModAttrs = "there is no vendor derivation: change a module with goPackages.overrideScope";
    modPostBuild = "there is no vendor derivation: change a module with goPackages.overrideScope";
    goSum = "go.sum is read from src, and every module's hash is the set's";
  };

  # Attributes buildGoApplication consumes; the rest go to mkDerivation as given.
  consumed = attrNames unused ++ [
    "go" "modulePath" "goModules" "replaces" "env" "CGO_ENABLED" "GOFLAGS" "allowGoReference"
    "nativeBuildInputs" "passthru" "doCheck" "disallowedReferences"
  ];

  # GOFLAGS as a string, from a list or a string.
  flagString = f: if isList f then concatStringsSep " " f else f;
in
fnOrAttrs:
surface.mkDerivation (finalAttrs:
let
  args = if isFunction fnOrAttrs then fnOrAttrs finalAttrs else fnOrAttrs;
  pname = args.pname or (parseDrvName args.name).name;
  label = "goset: buildGoApplication ${pname}";
  warnUnused = foldl' (acc: n: if args ? ${n} then builtins.trace "warning: ${label}: ${n} is not used: ${unused.${n}}" acc else acc) true (attrNames unused);

  # `go` is the go directive of the program's go.mod (a string, as update-set
  # writes it) or a Go toolchain to build with instead of the set's.
  goArg = args.go or null;
  go = if goArg != null && !isString goArg then goArg else toolchain;
  requiredGo =
    if isString goArg && compareVersions go.version goArg < 0
    then throw "goset: ${pname} needs go ${goArg}, but the set's Go is ${go.version}"
    else goArg;

  replaces = args.replaces or { };
  replacedPaths = attrNames replaces;
  forks = filter (p: !(replaces.${p} ? dir)) replacedPaths;
  dirReplaces = filter (p: replaces.${p} ? dir) replacedPaths;

  memberOf = p: goPackages.${p} or (throw "goset: ${pname} uses ${p}, which is not a member of the set");
  toDrv = m: if isString m then memberOf m else m;
  versionOf = p: let d = memberOf p; in d.providedModules.${p}.version or d.version;

  goModules = if args ? goModules && args.goModules != null then args.goModules else modulesFromSource;
  usedDrvs = util.uniqueDrvs (map toDrv goModules);

  # A project of the user's own: the modules its go.mod requires that go.sum
  # has files for (all of them without go.sum), each of which the set must hold.
  modRootDir = "${toString args.src}/${args.modRoot or "."}";
  modulesFromSource =
    if args.src ? drvPath then
      throw "${label}: src is a derivation, so its go.mod cannot be read while evaluating; list the set members it imports in goModules, or use a local src"
    else if !(pathExists (modRootDir + "/go.mod")) then
      throw "${label}: no go.mod in ${modRootDir}"
    else
      let
        requires = map (r: r.path) (util.goModRequires (readFile (modRootDir + "/go.mod")));
        sumFile = modRootDir + "/go.sum";
        withFiles = if pathExists sumFile then util.goSumZipPaths (readFile sumFile) else requires;
        needed = filter (p: elem p withFiles && !(elem p replacedPaths)) requires;
        missing = filter (p: !(goPackages ? ${p})) needed;
      in
      if missing != [ ] then
        throw "${label}: go.mod requires ${concatStringsSep ", " missing}, which the set does not hold. Add the project to set/leaves.yaml as a path leaf (leaves: { ${pname}: { path: ... } }) and rerun update-set, or pin the module in leaves.yaml; or list the members it imports in goModules."
      else needed;

  # Every set member the program builds against, by path, to its derivation.
  goDepends = foldl' (acc: d: acc // d.goDepends // mapAttrs (_: _: d) d.providedModules) { } usedDrvs;

  # Set members to require at the set's version: every one built against.
  requiredPaths = filter (p: !(elem p replacedPaths)) (attrNames goDepends);
  requires = map (p: { path = p; inherit (goDepends.${p}.providedModules.${p}) version; }) requiredPaths;

  forkOf = p: let f = replaces.${p}; in f // {
    src = f.src or (fetchGoModule { inherit (f) path version hash; });
    dir = util.moduleDir f.path f.version;
  };
  # A fork that is itself a set member at the same version is taken from the set.
  inSet = f: goDepends ? ${f.path} && goDepends.${f.path}.providedModules.${f.path}.version == f.version;
  forkPlan = p: let f = forkOf p; in {
    replaced = p;
    inherit (f) path version dir;
    go = f.go or "";
    requires = map (r: { path = r; version = versionOf r; }) (f.requires or [ ]);
  } // (if inSet f then { } else { src = "${f.src}"; });

  # gosetbuild's application plan (nix/tools/README.md); name and modRoot
  # for its messages.
  plan = {
    name = finalAttrs.pname;
    inherit (finalAttrs) modRoot;
    modulePath = args.modulePath or "";
    inherit requires;
    forks = map forkPlan forks;
    dirReplaces = map (p: { replaced = p; inherit (replaces.${p}) dir; }) dirReplaces;
  };

  manifest = toJSON {
    modules =
      attrValues (mapAttrs util.manifestEntry goDepends)
      ++ map (f: { inherit (f) path version; dir = "@TMPDIR@/forks/${f.dir}"; })
        (filter (f: !(inSet f)) (map forkOf forks));
    out = "@TMPDIR@/gomodcache";
  };

  cacheInputs = [ goStdlib ] ++ util.uniqueDrvs (attrValues goDepends);

  # Top-level CGO_ENABLED and GOFLAGS go into env, as buildGoModule moves
  # them; the set's GOFLAGS stay first (the cache keys of every build).
  userEnv = args.env or { };
  cgo = if args ? CGO_ENABLED then { CGO_ENABLED = toString args.CGO_ENABLED; } else { };
  userFlags = filter (f: f != "") [ (flagString (args.GOFLAGS or "")) (flagString (userEnv.GOFLAGS or "")) ];
  env = goEnv // cgo // userEnv // {
    GOFLAGS = concatStringsSep " " ([ goEnv.GOFLAGS ] ++ userFlags);
  };
in
assert warnUnused;
removeAttrs args consumed // {
  inherit pname env;
  doCheck = args.doCheck or true;
  modRoot = args.modRoot or ".";
  nativeBuildInputs = [ go ] ++ args.nativeBuildInputs or [ ];
  # A binary keeps no path of the toolchain (nothing of Go is needed to run it).
  disallowedReferences = args.disallowedReferences or [ ] ++ (if args.allowGoReference or false then [ ] else [ go ]);

  inherit gosetTools;
  goRequiredGo = if requiredGo == null then "" else requiredGo;
  goPlan = toJSON plan;
  inherit manifest;
  cacheInputs = concatStringsSep "\n" (map (d: "${d}/cache") cacheInputs);
  passAsFile = args.passAsFile or [ ] ++ [ "goPlan" "manifest" "cacheInputs" ];

  configurePhase = args.configurePhase or ''
    runHook preConfigure
    source ${./go-setup.sh}
    source ${./build-app.sh}
    runHook postConfigure
  '';

  buildPhase = args.buildPhase or ''
    runHook preBuild
    source ${./app-phases.sh}
    goAppBuild
    runHook postBuild
  '';

  checkPhase = args.checkPhase or ''
    runHook preCheck
    source ${./app-phases.sh}
    goAppCheck
    runHook postCheck
  '';

  installPhase = args.installPhase or ''
    runHook preInstall
    source ${./app-phases.sh}
    goAppInstall
    runHook postInstall
  '';

  passthru = { inherit goDepends go; } // args.passthru or { };
})
