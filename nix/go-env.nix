# The environment of every Go build in a set: one value, so that compile
# cache keys agree between derivations (Go salts them with GOOS, GOARCH,
# CGO_ENABLED, CC and the flags). -trimpath keeps build directories out of the
# keys. `platform` is the target's { GOOS, GOARCH, GOARM? } (null: the
# machine's own, as for build-time helpers); `cc` the C compiler (null: no cgo).
{ cc, platform ? null }:
let
  inherit (builtins) filter attrNames listToAttrs;
  # GOARM and the like only where the platform sets them.
  nonEmpty = attrs: listToAttrs (map (n: { name = n; value = attrs.${n}; })
    (filter (n: attrs.${n} != "" && attrs.${n} != null) (attrNames attrs)));
in
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
}
// (if cc == null then { } else { CC = cc; })
// (if platform == null then { } else nonEmpty {
  inherit (platform) GOOS GOARCH;
  GOARM = platform.GOARM or "";
  GOAMD64 = platform.GOAMD64 or "";
})
