#!/usr/bin/env bash
# Builds atcoap and the exchange benchmark in Release (-O3), runs it over UDP and over DTLS with
# the given arguments (e.g. --rounds 5 --count 50000), keeps the JSON rows and renders them into
# docs/PERFORMANCE.md. From the repository root: bench/run-exchanges.sh [ARGUMENTS...]
# BUILD_DIR (default build-release) and ROWS (default $BUILD_DIR/exchanges.jsonl) say where.
# Warnings do not stop this build (ATCOAP_WERROR=OFF): the CI builds are where warnings gate.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build-release}"
rows="${ROWS:-$build/exchanges.jsonl}"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DATCOAP_WERROR=OFF >/dev/null
cmake --build "$build" --target bench_exchanges
echo "uptime: $(uptime)" >&2
for transport in udp dtls; do
    "$build/bench/bench_exchanges" --transport "$transport" "$@"
done >"$rows"
python3 "$root/bench/render-performance.py" --update "$root/docs/PERFORMANCE.md" "$rows"
echo "rows in $rows; tables in docs/PERFORMANCE.md" >&2
