# Sourced by goset's scripts: the environment Nix and Go need on these machines.
# No binary cache is reachable, so substituters are off; `nix hash` needs nix-command;
# independent derivations (module derivations side by side) build in parallel.
export PATH="/usr/local/go/bin:$PATH"
export NIX_CONFIG="${NIX_CONFIG:+$NIX_CONFIG
}substituters =
max-jobs = auto
experimental-features = nix-command"
