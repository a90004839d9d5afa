# Sourced by goset's scripts: the environment Nix and Go need on these machines.
# No binary cache is reachable, so substituters are off; `nix hash` needs nix-command.
export PATH="/usr/local/go/bin:$PATH"
export NIX_CONFIG="${NIX_CONFIG:+$NIX_CONFIG
}substituters =
experimental-features = nix-command"
