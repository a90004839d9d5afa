# A user's own project built against the bundled goset package set:
#   nix-build examples/hello-goset
# Its dependencies are members of goPackages, compiled once in the set (its
# go.mod and go.sum, read while evaluating, name them); this build compiles
# only example.com/hello-goset. buildGoApplication takes buildGoModule's
# attributes: moving a buildGoModule package over is changing the name.
{ goset ? import ../.. { } }:

goset.buildGoApplication {
  pname = "hello-goset";
  version = "0.1.0";
  src = ./.;
  ldflags = [ "-X main.version=0.1.0" ];
  doCheck = true;
  meta.description = "Greets in YAML; an example of buildGoApplication against goset's goPackages";
}
