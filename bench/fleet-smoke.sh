#!/bin/sh
# The fleet benchmark's peers (b) and (c) at C = 2 for 1 s against coap-server-notls on
# loopback, whose rows must render, after (a)'s script has passed twice on one modem through
# `atcoap script`: fleet-smoke.sh ATCOAP FLOOR LIBCOAP. Exits 77 (skipped) when the server is
# not installed; fails when the script fails, a peer gets no answer or the table does not render.
rows="$(mktemp)"
trap 'rm -f "$rows"' EXIT
here="$(dirname "$0")"
python3 "$here/run-fleet-bench.py" --no-build --check-script --peers floor,libcoap \
    --connections 2 --duration 1 --atcoap "$1" --floor "$2" --libcoap "$3" --rows "$rows" ||
    exit $?
python3 "$here/render-fleet.py" "$rows" | grep '^| 2 | [0-9,]* | [0-9,]* | - | - |$' >/dev/null
