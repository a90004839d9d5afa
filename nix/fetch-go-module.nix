# fetchGoModule { path, version, hash }: the extracted files of one module
# version, exactly as `go mod download` unpacks them (read-only, no executable
# bits), checked against hash (SRI SHA-256 of the NAR, what update-set
# records). The only derivation of goset that uses the network.
{ surface, go }:
let
  util = import ./util.nix;
  # Settings of the caller that say where and how to download; passed through
  # unchanged, never written to $out.
  impureEnvVars = [
    "GOPROXY" "GOPRIVATE" "GONOPROXY" "GONOSUMDB" "GOSUMDB" "GOINSECURE" "GOAUTH" "NETRC"
    "http_proxy" "https_proxy" "no_proxy" "HTTP_PROXY" "HTTPS_PROXY" "NO_PROXY"
  ];
in
{ path, version, hash, name ? "${util.storeName path}-${util.storeName version}-src" }:
surface.mkDerivation {
  inherit name impureEnvVars;
  outputHashMode = "recursive";
  outputHashAlgo = "sha256";
  outputHash = hash;
  nativeBuildInputs = [ go ];
  goModulePath = path;
  goModuleVersion = version;
  goModuleDir = util.moduleDir path version;
  env = {
    GOTOOLCHAIN = "local";
    GOFLAGS = "-mod=mod -modcacherw";
    GOENV = "off";
    GO111MODULE = "on";
    SSL_CERT_FILE = "${surface.cacert}/etc/ssl/certs/ca-bundle.crt";
  };
  buildCommand = ''
    export HOME="$TMPDIR/home" GOPATH="$TMPDIR/gopath" GOCACHE="$TMPDIR/gocache" GOMODCACHE="$TMPDIR/gomodcache"
    mkdir -p "$HOME"
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
