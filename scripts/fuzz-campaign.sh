#!/usr/bin/env bash
# A fuzz campaign to depth (docs/TESTING.md, "Fuzzing to depth"): runs each libFuzzer target of
# fuzz/ for a given number of executions on its seed corpus, with one worker per core, and
# prints the executions, the edges covered and the findings per target. A finding keeps its
# work directory and makes the exit code 1.
#
#   scripts/fuzz-campaign.sh [--runs N] [--jobs J] [--build DIR] [--minimize] [TARGET...]
#
# --runs: executions per target in all (default 100,000,000), shared evenly by the J workers
# (default: the number of cores); --build: a tree configured with -DATCOAP_FUZZ=ON (default
# build-fuzz, configured and built here with clang-14 when absent); --minimize: merge the
# corpus the campaign grew into a minimal one and write it back to fuzz/corpus/TARGET/.
# TARGET is a corpus name (coap_decode, modem_at ...); default: every one under fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=100000000
jobs=$(nproc)
build="build-fuzz"
minimize=0
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --minimize) minimize=1; shift ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "fuzz-campaign: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || for corpus in fuzz/corpus/*/; do targets+=("$(basename "$corpus")"); done

if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DATCOAP_FUZZ=ON -DATCOAP_TESTS=OFF -DATCOAP_BENCH=OFF
fi
cmake --build "$build" --target "${targets[@]/#/fuzz_}"
build=$(cd "$build" && pwd)

per_job=$(((runs + jobs - 1) / jobs))
failed=0
printf '| target | executions | edges (cov) | findings | seconds |\n|---|---|---|---|---|\n'
for name in "${targets[@]}"; do
    work=$(mktemp -d)
    mkdir -p "$work/corpus" "$work/artifacts"
    cp -r "fuzz/corpus/$name/." "$work/corpus/"
    started=$SECONDS
    # -jobs/-workers: J processes on one shared corpus; each runs its share and prints its stats.
    (cd "$work" && "$build/fuzz/fuzz_$name" -jobs="$jobs" -workers="$jobs" \
        -runs="$per_job" -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
        corpus >/dev/null 2>&1) || true
    executions=$(cat "$work"/fuzz-*.log | awk '/stat::number_of_executed_units/ {s += $NF} END {print s + 0}')
    edges=$(cat "$work"/fuzz-*.log | grep -o 'cov: [0-9]*' | awk '{if ($2 > m) m = $2} END {print m + 0}')
    findings=$(find "$work/artifacts" -type f | wc -l)
    # shellcheck disable=SC2016
    printf '| `fuzz_%s` | %s | %s | %s | %s |\n' "$name" "$executions" "$edges" "$findings" $((SECONDS - started))
    if [ "$findings" -ne 0 ]; then
        echo "fuzz_$name: findings kept in $work/artifacts (logs in $work)" >&2
        failed=1
        continue
    fi
    if [ "$minimize" -eq 1 ]; then
        minimal=$(mktemp -d)
        "$build/fuzz/fuzz_$name" -merge=1 "$minimal" "$work/corpus" >/dev/null 2>&1
        rm -rf "fuzz/corpus/$name" && mv "$minimal" "fuzz/corpus/$name"
    fi
    rm -rf "$work"
done
exit $failed
