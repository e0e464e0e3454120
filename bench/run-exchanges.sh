#!/usr/bin/env bash
# Builds atcoap and bench_exchanges in Release (-O3) and runs the exchange benchmark; the
# arguments go to bench_exchanges (e.g. --rounds 5 --count 50000). From the repository root:
#   bench/run-exchanges.sh
#   bench/run-exchanges.sh --dtls      # over DTLS against coap-server-openssl
# The build directory is build-release unless BUILD_DIR says otherwise. Warnings do not stop
# this build (ATCOAP_WERROR=OFF): g++ 12 at -O3 reports false positives that -O2 does not,
# and the CI builds are where warnings gate.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build-release}"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DATCOAP_WERROR=OFF >/dev/null
cmake --build "$build" --target atcoap bench_exchanges bench_libcoap_dtls
echo "uptime: $(uptime)"
"$build/bench/bench_exchanges" "$@"
