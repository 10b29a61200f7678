#!/bin/sh
# The Influencer Trust certificate in process (bench/credential.c): verifying a credential against
# Ed25519 alone, issuing N certificates, rebuilding and signing the status lists of M, and the check
# with certificates against the check without.
# usage: bench/credential.sh [BIN_DIR] [N] [M]   (default build/release, 10000, 1000000)
set -eu
DIR=${1:-build/release}
N=${2:-10000}
M=${3:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/demo" "$work/list"
"$DIR/niemtin" init --db "$work/demo/niemtin.db" >/dev/null
"$DIR/niemtin" demo --db "$work/demo/niemtin.db" --persons $((2 * N + 2 + N / 10)) >/dev/null
"$DIR/niemtin" init --db "$work/list/niemtin.db" >/dev/null
"$DIR/bench_credential" "$work/demo/niemtin.db" "$work/list/niemtin.db" "$N" "$M"
