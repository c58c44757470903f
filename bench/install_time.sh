#!/usr/bin/env bash
# Time `make install` in a fresh clone (new .venv). Usage: bash bench/install_time.sh
# Note: pip's download cache (~/.cache/pip) is kept between runs unless PIP_NO_CACHE_DIR=1.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
git clone -q "$src" "$tmp/veille"
cd "$tmp/veille"
start=$(date +%s)
make install >/dev/null
end=$(date +%s)
echo "make install (fresh clone, PIP_NO_CACHE_DIR=${PIP_NO_CACHE_DIR:-unset}): $((end - start)) s"
rm -rf "$tmp"
