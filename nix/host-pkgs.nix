# A package base for machines without nixpkgs: exactly the surface that
# nix/surface.nix names, on builtins.derivation, with the host's Go
# (/usr/local/go, imported into the store) and the host's shell tools and C
# compiler (/usr/bin). Derivations here depend on those host tools without
# recording them: with the sandbox on, expose them with
# `extra-sandbox-paths = /bin /usr /lib /lib64 /etc/alternatives`
# (scripts/nix.conf).
{
  goroot ? /usr/local/go,
  # SRI or base32 SHA-256 of the NAR of goroot (`nix hash path --sri`): with
  # it, Go is imported with builtins.path, which is then instant once the
  # store has it. Without it Nix 2.8 rereads and recopies the whole tree on
  # every evaluation (about 12 s here), so Go is instead copied by a build
  # whose inputs are the hashes of VERSION and bin/go.
  goHash ? null,
  system ? builtins.currentSystem,
  # A Nix system ("aarch64-linux") to build Go programs for, cross-compiled
  # by the host's Go, without cgo (the host has no C cross compiler); null:
  # for `system`.
  crossSystem ? null,
  hostPath ? "/usr/bin:/bin",
  hostCC ? /usr/bin/cc,
  hostCABundle ? /etc/ssl/certs/ca-certificates.crt,
}:
let
  inherit (builtins) isFunction functionArgs intersectAttrs removeAttrs concatStringsSep filter;

  fix = f: let x = f x; in x;
  extends = g: f: self: let super = f self; in super // g self super;

  # lib.makeOverridable, small: the result of `f args` gets
  # .override (attrs or (args: attrs)) calling f again with changed
  # arguments; overrideAttrs keeps it.
  makeOverridable = f: args:
    addOverride (more: makeOverridable f (args // (if isFunction more then more args else more))) (f args);
  addOverride = override: result:
    if !(builtins.isAttrs result) then result
    else result // { inherit override; }
      // (if result ? overrideAttrs
          then { overrideAttrs = g: addOverride (more: (override more).overrideAttrs g) (result.overrideAttrs g); }
          else { });

  callPackageWith = autoArgs: fn: args:
    let f = if isFunction fn then fn else import fn;
    in makeOverridable f (intersectAttrs (functionArgs f) autoArgs // args);

  makeScope = newScope: f:
    let
      self = f self // {
        newScope = scope: newScope (self // scope);
        callPackage = self.newScope { };
        overrideScope = g: makeScope newScope (extends g f);
        packages = f;
      };
    in self;

  # The first line of $GOROOT/VERSION is "go1.26.8".
  goVersion =
    let first = builtins.head (builtins.split "\n" (builtins.readFile (goroot + "/VERSION")));
    in builtins.substring 2 (builtins.stringLength first) first;

  goImported = builtins.path ({ path = goroot; name = "go-${goVersion}"; }
    // (if goHash == null then { } else { sha256 = goHash; }));
  goCopied = derivation {
    name = "go-${goVersion}";
    inherit system;
    builder = "/bin/sh";
    args = [ "-c" "exec /bin/cp -r \"$goroot\" \"$out\"" ];
    goroot = toString goroot;
    fingerprint = map (f: builtins.hashFile "sha256" (goroot + f)) [ "/VERSION" "/bin/go" ];
  };

  # A package as stdenv.mkDerivation takes one among its inputs.
  go =
    if goHash != null
    then { type = "derivation"; name = "go-${goVersion}"; outPath = goImported; outputs = [ "out" ]; version = goVersion; }
    else goCopied // { version = goVersion; };

  # stdenv's platforms as far as the library reads them: the Go names
  # nixpkgs' lib.systems gives a platform (`platform.go`).
  goArch = {
    x86_64 = "amd64"; i686 = "386"; aarch64 = "arm64"; armv7l = "arm"; armv6l = "arm";
    riscv64 = "riscv64"; powerpc64le = "ppc64le"; s390x = "s390x"; loongarch64 = "loong64";
  };
  goArm = { armv7l = "7"; armv6l = "6"; };
  platformOf = sys:
    let
      parts = builtins.match "([^-]+)-(.+)" sys;
      cpu = builtins.elemAt parts 0;
    in
    if parts == null || !(goArch ? ${cpu})
    then throw "goset: host-pkgs.nix: no Go port known for the system ${sys}"
    else {
      system = sys;
      go = { GOOS = builtins.elemAt parts 1; GOARCH = goArch.${cpu}; GOARM = goArm.${cpu} or ""; };
    };
  buildPlatform = platformOf system;
  hostPlatform = if crossSystem == null then buildPlatform else platformOf crossSystem;

  # Derivation attributes are strings: lists join with spaces, true is "1".
  toEnvValue = v:
    if builtins.isBool v then (if v then "1" else "")
    else if builtins.isList v then concatStringsSep " " (map toEnvValue v)
    else if v == null then ""
    else v;

  # stdenv.mkDerivation, small: attrs or (finalAttrs: attrs), overrideAttrs
  # taking attrs, (prev: attrs) or (final: prev: attrs).
  mkDerivationFrom = rattrs:
    let
      attrs = fix rattrs;
      name = attrs.name or "${attrs.pname}-${attrs.version}";
      inputsPath = concatStringsSep ":" (map (i: "${i}/bin") (attrs.nativeBuildInputs or [ ]));
      drvAttrs =
        builtins.mapAttrs (_: toEnvValue)
          (removeAttrs attrs [ "passthru" "meta" "env" "nativeBuildInputs" "name" ] // attrs.env or { })
        // (if attrs ? __structuredAttrs then { inherit (attrs) __structuredAttrs; } else { })
        // {
          inherit name system;
          builder = "/bin/bash";
          args = [ "-e" ./host-setup.sh ];
          PATH = concatStringsSep ":" (filter (p: p != "") [ inputsPath hostPath ]);
        };
      drv = derivation drvAttrs;
    in
    drv // attrs.passthru or { } // {
      meta = attrs.meta or { };
      passthru = attrs.passthru or { };
      overrideAttrs = f: mkDerivationFrom (final:
        let
          prev = rattrs final;
          ext = if isFunction f then f prev else f;
        in prev // (if isFunction ext then f final prev else ext));
    };

  mkDerivation = a: mkDerivationFrom (if isFunction a then a else _: a);

  cacert = mkDerivation {
    name = "host-cacert";
    bundle = builtins.path { path = hostCABundle; name = "host-ca-bundle.crt"; };
    buildCommand = ''
      mkdir -p "$out/etc/ssl/certs"
      cp "$bundle" "$out/etc/ssl/certs/ca-bundle.crt"
    '';
  };

  # lib.licenses for the names goset renders (nix/licenses.json: SPDX id ->
  # nixpkgs name), each with the attributes meta.license is read for.
  licenses = builtins.listToAttrs (map
    (spdxId: let l = licenseTable.${spdxId}; in {
      name = l.nixpkgs;
      value = { inherit spdxId; inherit (l) free; shortName = l.nixpkgs; fullName = spdxId; };
    })
    (builtins.attrNames licenseTable));
  licenseTable = builtins.fromJSON (builtins.readFile ./licenses.json);

  pkgs = {
    lib = { inherit makeScope callPackageWith makeOverridable licenses; };
    newScope = extra: callPackageWith (pkgs // extra);
    callPackage = pkgs.newScope { };
    stdenv = {
      inherit mkDerivation buildPlatform hostPlatform;
      # "${cc}/bin/cc" is the compiler's path; keep it a plain string.
      cc = if crossSystem == null && builtins.pathExists hostCC then { outPath = dirOf (dirOf (toString hostCC)); } else null;
    };
    inherit go cacert;
  };
in
pkgs
