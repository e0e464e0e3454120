#!/bin/sh
# A brief benchmark run whose rows must render: smoke.sh BENCH_EXCHANGES ARGUMENTS...
# Exits 77 (skipped) when the benchmark does, for want of libcoap's server.
rows="$(mktemp)"
trap 'rm -f "$rows"' EXIT
"$@" >"$rows" || exit $?
python3 "$(dirname "$0")/render-performance.py" "$rows" | grep -q '^| median |'
