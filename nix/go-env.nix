# The environment of every Go build in a set: one value, so that compile
# cache keys agree between derivations (Go salts them with CGO_ENABLED, CC and
# the flags). -trimpath keeps build directories out of the keys.
{ cc }:
{
  GOTOOLCHAIN = "local";
  GOFLAGS = "-mod=mod -trimpath";
  GOPROXY = "off";
  GOSUMDB = "off";
  GOWORK = "off";
  GOENV = "off";
  GO111MODULE = "on";
  # cmd/go's module index entries are keyed by absolute build directories:
  # useless to any other derivation, so keep them out of $out/cache.
  GODEBUG = "goindex=0";
  CGO_ENABLED = if cc == null then "0" else "1";
} // (if cc == null then { } else { CC = cc; })
