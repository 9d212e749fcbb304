# Sourced by the other scripts: tools installed by scripts/setup come first on PATH.
# Everything installed lives under scripts/.cache and scripts/tools/node_modules (both ignored by git).
BITBUDGET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BITBUDGET_CACHE="$BITBUDGET_ROOT/scripts/.cache"
export PATH="$BITBUDGET_CACHE/cargo/bin:$BITBUDGET_ROOT/scripts/tools/node_modules/.bin:$PATH"
# The pinned versions: trunk per DESIGN (0.22 needs a newer rustc), wasm-bindgen from Cargo.lock.
TRUNK_VERSION="0.21.14"
WASM_BINDGEN_VERSION="$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' "$BITBUDGET_ROOT/Cargo.lock")"
export TRUNK_VERSION WASM_BINDGEN_VERSION BITBUDGET_ROOT BITBUDGET_CACHE
