# Sourced by goset's scripts: the environment Nix and Go need on these machines.
# Nix's settings are in scripts/nix.conf (sandbox on, no binary cache).
export PATH="/usr/local/go/bin:$PATH"
NIX_CONFIG="${NIX_CONFIG:+$NIX_CONFIG
}$(cat "$(dirname "${BASH_SOURCE[0]}")/nix.conf")"
export NIX_CONFIG
