#!/bin/sh
# The full soak (docs/TESTING.md "Soak"): 24 hours of virtual time of the whole modem against
# the test server over a lossy simulated link, every invariant checked as it runs, the heap
# counted every half hour. ctest runs the same binary for one virtual hour.
#   scripts/soak.sh [BUILD_DIR [HOURS [SEED]]]     (defaults: build 24 1)
# Exit status 0 when every invariant held; a failure names its seed and virtual time, and
# `soak_test --hours H --seed S --trace` replays it with every byte shown.
set -eu
build=${1:-build}
hours=${2:-24}
seed=${3:-1}
cmake --build "$build" --target soak_test -j2
exec "$build/tests/soak/soak_test" --hours "$hours" --seed "$seed" --verbose
