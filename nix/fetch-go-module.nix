# fetchGoModule { path, version, hash }: the extracted files of one module
# version, exactly as `go mod download` unpacks them (read-only, no executable
# bits), checked against hash (SRI SHA-256 of the NAR, what update-set
# records). The only derivation of goset that uses the network.
#
# Private modules: the caller's (for nix-daemon: the daemon's) GOPRIVATE,
# GONOPROXY, GONOSUMDB, GOINSECURE, GOPROXY (user:pass@ URLs allowed), NETRC
# reach `go mod download`; git, which fetches GONOPROXY modules, finds the
# same netrc as $HOME/.netrc (a link in the build's temp home). Nothing of
# them is written to $out or the .drv.
#
# TLS roots: cacert's bundle, unless the caller configured a CA on purpose
# (NIX_SSL_CERT_FILE, then SSL_CERT_FILE; GIT_SSL_CAINFO for git), as
# nixpkgs' fetchers treat them. Nix passes an impure variable the caller did
# not set as an empty string, and nixpkgs' setup.sh turns an empty
# SSL_CERT_FILE into /no-cert-file.crt: neither counts as configured. A
# configured file the build cannot read (a host path the sandbox does not
# show: add it to extra-sandbox-paths) is reported and cacert used instead.
{ surface, go }:
let
  util = import ./util.nix;
  # Settings of the caller that say where and how to download; passed through
  # unchanged, never written to $out.
  impureEnvVars = [
    "GOPROXY" "GOPRIVATE" "GONOPROXY" "GONOSUMDB" "GOSUMDB" "GOINSECURE" "GOAUTH" "NETRC"
    "NIX_SSL_CERT_FILE" "SSL_CERT_FILE" "GIT_SSL_CAINFO" "GIT_CONFIG_GLOBAL"
    "http_proxy" "https_proxy" "no_proxy" "HTTP_PROXY" "HTTPS_PROXY" "NO_PROXY"
  ];
in
{ path, version, hash, name ? "${util.storeName path}-${util.storeName version}-src" }:
surface.mkDerivation {
  inherit name impureEnvVars;
  outputHashMode = "recursive";
  outputHashAlgo = "sha256";
  outputHash = hash;
  # git for modules fetched straight from version control; the host base has it on its PATH.
  nativeBuildInputs = [ go ] ++ (if surface.git or null == null then [ ] else [ surface.git ]);
  goModulePath = path;
  goModuleVersion = version;
  goModuleDir = util.moduleDir path version;
  env = {
    GOTOOLCHAIN = "local";
    GOFLAGS = "-mod=mod -modcacherw";
    GOENV = "off";
    GO111MODULE = "on";
    gosetCABundle = "${surface.cacert}/etc/ssl/certs/ca-bundle.crt";
  };
  buildCommand = ''
    export HOME="$TMPDIR/home" GOPATH="$TMPDIR/gopath" GOCACHE="$TMPDIR/gocache" GOMODCACHE="$TMPDIR/gomodcache"
    mkdir -p "$HOME"
    # The first CA file the caller configured (in variables $2...) that this
    # build can read, else $1.
    configuredCA() {
      local fallback="$1" var file
      shift
      for var in "$@"; do
        file="''${!var:-}"
        case "$file" in "" | /no-cert-file.crt) continue ;; esac
        if [ -r "$file" ]; then echo "$file"; return; fi
        echo "fetchGoModule: $var=$file is not readable in this build (not in the sandbox?); using cacert" >&2
      done
      echo "$fallback"
    }
    SSL_CERT_FILE="$(configuredCA "$gosetCABundle" NIX_SSL_CERT_FILE SSL_CERT_FILE)"
    GIT_SSL_CAINFO="$(configuredCA "$SSL_CERT_FILE" GIT_SSL_CAINFO)"
    export SSL_CERT_FILE GIT_SSL_CAINFO
    unset NIX_SSL_CERT_FILE SSL_CERT_DIR
    if [ -z "''${GIT_CONFIG_GLOBAL:-}" ]; then unset GIT_CONFIG_GLOBAL; fi
    if [ -n "''${NETRC:-}" ]; then ln -s "$NETRC" "$HOME/.netrc"; fi
    cd "$TMPDIR"
    if ! go mod download -json "$goModulePath@$goModuleVersion" > download.json; then
      cat download.json >&2
      exit 1
    fi
    cp -r --no-preserve=mode "$GOMODCACHE/$goModuleDir" "$out"
    find "$out" -type f -exec chmod 0444 {} +
  '';
  dontFixup = true;
  passthru = { goModulePath = path; inherit version; };
}
