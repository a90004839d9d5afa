# A user's own project built against the bundled goset package set:
#   nix-build examples/hello-goset
# Its dependencies are members of goPackages, compiled once in the set; this
# build compiles only example.com/hello-goset.
{ goset ? import ../.. { } }:

goset.buildGoApplication {
  pname = "hello-goset";
  version = "0.1.0";
  src = ./.;
  goModules = [
    "github.com/fatih/color"
    "github.com/spf13/cobra"
    "gopkg.in/yaml.v3"
  ];
  ldflags = [ "-X main.version=0.1.0" ];
  doCheck = true;
  meta.description = "Greets in YAML; an example of buildGoApplication against goset's goPackages";
}
