#!/usr/bin/env python3
"""The fleet benchmark (docs/PERFORMANCE.md, "Fleets"): for each C, (c) bench_fleet_floor,
(b) bench_fleet_libcoap_notls and, when the atcoap binary has a `fleet` subcommand, (a)
`atcoap fleet` with bench/fleet-get.at, one after the other in an order that rotates with C,
each against a fresh coap-server-notls on loopback. One JSON row per run; with --update the
rows are rendered into DOC by bench/render-fleet.py. --dtls C,... adds libcoap's DTLS
handshakes against coap-server-openssl.

    bench/run-fleet-bench.py [--connections 1,100,1000,10000] [--duration 10]
                             [--build-dir build-release] [--rows FILE] [--update DOC]
                             [--dtls 2000] [--peers floor,libcoap,atcoap] [--no-build]

Exit code 77 (CTest's skip) when libcoap's server is not installed.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

from fleet_probes import Skipped, load_average, run_peer, schedstat, serving, udp_drops

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIPPED = 77
FLEET_EXITS = (0, 1)  # `atcoap fleet`: 1 when an iteration failed, which its record counts


def last_json_line(text):
    lines = [line for line in text.splitlines() if line.strip().startswith("{")]
    if not lines:
        raise RuntimeError("no JSON line in the output")
    return json.loads(lines[-1])


def histogram_percentile(histogram, q):
    """A percentile of a fleet histogram as the JSON lines carry it ({"count", "max",
    "buckets": [[index, count], ...]}), read as src/fleet/histogram.cpp does: HdrHistogram's
    layout with 64 sub-buckets, exact below 128 µs, the bucket's upper bound but never above
    the maximum. None when it is empty or not of that shape."""
    try:
        count, top, buckets = histogram["count"], histogram["max"], histogram["buckets"]
    except (KeyError, TypeError):
        return None
    if not count:
        return None
    rank = max(1, min(count, math.ceil(q * count)))
    seen = 0
    for index, n in buckets:
        seen += n
        if seen >= rank:
            if index < 128:
                return min(index, top)
            e = 7 + (index - 128) // 64
            return min(((64 + (index - 128) % 64 + 1) << (e - 6)) - 1, top)
    return top


def fleet_result(path, duration):
    """The final record of `atcoap fleet --json FILE` (src/fleet/json_lines.hpp, Record;
    docs/FLEET.md, "JSON lines") as a peer's row: requests, seconds, per_second, p50_us,
    p99_us and the failure counts. Kept apart, so that a change in the record's spelling is
    mended here only; what the record lacks is None."""
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    if not records:
        raise RuntimeError(f"{path}: no records")
    final = next((r for r in reversed(records) if r.get("record") == "final"), records[-1])
    stats = final.get("stats", {})
    seconds = final["length_ms"] / 1000 if final.get("length_ms") else duration
    requests = stats.get("requests", 0)
    latency = stats.get("latency", {})
    handshake = stats.get("handshake", {})
    return {"requests": requests, "seconds": seconds, "per_second": requests / seconds,
            "p50_us": histogram_percentile(latency, 0.50),
            "p99_us": histogram_percentile(latency, 0.99),
            "handshakes": stats.get("handshakes"),
            "handshake_failures": stats.get("handshake_failures"),
            "handshake_p50_us": histogram_percentile(handshake, 0.50),
            "handshake_p99_us": histogram_percentile(handshake, 0.99),
            "iterations_passed": stats.get("iterations_passed"),
            "responses": stats.get("responses"), "at_failures": stats.get("at_failures"),
            "iterations_failed": stats.get("iterations_failed"),
            "retransmissions": stats.get("retransmissions"), "give_ups": stats.get("give_ups")}


def has_fleet(atcoap):
    """True when `atcoap fleet` runs fleets: its help names --modems (a build without the
    subcommand prints the program's help instead, and exits 0 too)."""
    if not os.access(atcoap, os.X_OK):
        return False
    done = subprocess.run([atcoap, "fleet", "--help"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=10, check=False)
    return done.returncode == 0 and "--modems" in done.stdout


def fleet_threads(connections):
    """Two loops (one per CPU of this machine) from C = 1,000 on, one below."""
    return ["--threads", "2"] if connections >= 1000 else []


def commands(args, connections, port, tmp):
    """The peers to run at C = `connections`, as (name, command, json file or None)."""
    d = str(args.duration)
    peers = [("floor", [args.floor, "-c", str(connections), "-d", d, "-p", str(port)], None),
             ("libcoap", [args.libcoap, "-c", str(connections), "-d", d, "-p", str(port)], None)]
    if args.with_fleet:
        out = os.path.join(tmp, f"fleet-{connections}.jsonl")
        peers.append(("atcoap", [args.atcoap, "fleet", "--modems", str(connections), "--script",
                                 os.path.join(ROOT, "bench", "fleet-get.at"), "--target",
                                 f"127.0.0.1:{port}", "--duration", f"{args.duration:g}s",
                                 "--json", out, *fleet_threads(connections)], out))
    return [p for p in peers if p[0] in args.peers]


def measure(args, rows_out, tmp):
    bound = args.duration * 6 + 120
    for index, connections in enumerate(args.connections):
        for step in range(len(commands(args, connections, 0, tmp))):
            with serving(args.server) as (server, port):
                peers = commands(args, connections, port, tmp)
                # rotated, so that no peer always runs first
                name, command, json_file = peers[(index + step) % len(peers)]
                load = load_average()
                drops, sched = udp_drops(port), schedstat(server.pid)
                out, cpu, server_cpu, wall, last, waiting = run_peer(
                    command, server.pid, bound, FLEET_EXITS if json_file else (0,))
                sched_after = schedstat(server.pid)
                drops = udp_drops(port) - drops
            row = fleet_result(json_file, args.duration) if json_file else last_json_line(out)
            row.update({"peer": name, "transport": "udp", "connections": connections,
                        "load_before": load, "load_after": load_average(), "wall_s": wall,
                        "cpu_s": row.get("cpu_s", cpu), "server_cpu_s": server_cpu,
                        # the peer's own CPU over its timed run, else over its whole life
                        "own_cpu_pct": 100 * (row["cpu_s"] / row["seconds"] if "cpu_s" in row
                                              else cpu / wall),
                        "server_cpu_pct": 100 * server_cpu / wall if server_cpu else None,
                        "server_drops": drops, "own_waiting_pct": waiting})
            if sched and sched_after:
                row["server_waiting_pct"] = 100 * (sched_after[1] - sched[1]) / wall
            if json_file:
                row.update({"rss_end_kib": last[0], "hwm_end_kib": last[1]})
            print(json.dumps(row), file=rows_out, flush=True)
            print(f"run-fleet-bench: C={connections} {name}: {row['per_second']:.0f}/s, "
                  f"server CPU {row['server_cpu_pct'] or 0:.0f}%, "
                  f"waiting {row.get('server_waiting_pct', 0):.0f}%, "
                  f"drops {row['server_drops']}, load {load}", file=sys.stderr)


def check_script(args, tmp):
    """bench/fleet-get.at run twice on one modem by `atcoap script` against the server, as a
    fleet's modem runs it from one iteration to the next (the second open answered -10)."""
    script = os.path.join(ROOT, "bench", "fleet-get.at")
    twice = os.path.join(tmp, "fleet-get-twice.at")
    with open(twice, "w", encoding="utf-8") as f:
        f.write(f"include {script}\ninclude {script}\n")
    with serving(args.server) as (_, port):
        done = subprocess.run([args.atcoap, "script", "--target", f"127.0.0.1:{port}", twice],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench/fleet-get.at failed against {args.server}:\n{done.stdout}")


def measure_hold(args, rows_out, tmp):
    """C connections holding R requests/s (an open model) for the duration against
    `atcoap server` and its /test: (c) paced by --rate, and (a) with `--rate` when it exists;
    what matters is whether the load is held without failures, and the p99 (a) adds over (c)."""
    connections, rate = args.hold
    script = os.path.join(tmp, "fleet-get-test.at")
    with open(os.path.join(ROOT, "bench", "fleet-get.at"), encoding="utf-8") as f:
        text = f.read().replace('11,"time"', '11,"test"')
    with open(script, "w", encoding="utf-8") as f:
        f.write(text)
    listen = lambda port: [args.atcoap, "server", "--listen", f"127.0.0.1:{port}"]
    peers = [("floor", lambda port: [args.floor, "-c", str(connections), "-d",
                                      str(args.hold_duration), "-p", str(port), "--path", "test",
                                      "--rate", str(rate)], None)]
    if args.with_fleet:
        out = os.path.join(tmp, "fleet-hold.jsonl")
        peers.append(("atcoap", lambda port, out=out: [
            args.atcoap, "fleet", "--modems", str(connections), "--script", script, "--target",
            f"127.0.0.1:{port}", "--duration", f"{args.hold_duration:g}s", "--rate", f"{rate}/s",
            "--json", out, *fleet_threads(connections)], out))
    for name, command, json_file in peers:
        with serving(args.atcoap, arguments=listen) as (server, port):
            load = load_average()
            drops = udp_drops(port)
            out, cpu, server_cpu, wall, last, waiting = run_peer(
                command(port), server.pid, args.hold_duration * 6 + 120,
                FLEET_EXITS if json_file else (0,))
            drops = udp_drops(port) - drops
        row = fleet_result(json_file, args.hold_duration) if json_file else last_json_line(out)
        row.update({"measure": "hold", "peer": name, "transport": "udp",
                    "connections": connections, "offered_per_second": rate,
                    "load_before": load, "wall_s": wall, "server_cpu_s": server_cpu,
                    "server_cpu_pct": 100 * server_cpu / wall if server_cpu else None,
                    "server_drops": drops, "own_waiting_pct": waiting, "rss_peak_kib": last[0]})
        print(json.dumps(row), file=rows_out, flush=True)
        print(f"run-fleet-bench: hold C={connections} at {rate}/s, {name}: "
              f"{row['per_second']:.0f}/s, p99 {row['p99_us']} µs", file=sys.stderr)


def last_handshake_s(path):
    """When the fleet's last handshake was done, to the grain of its --interval: the end of the
    last interval record of `atcoap fleet --json` that counts one; None when none does. This is
    how (b) counts its seconds (to its last handshake), where the fleet's own length runs on
    until the last modem's script has ended or timed out."""
    last = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line) if line.strip() else {}
            if record.get("record") == "interval" and record.get("stats", {}).get("handshakes"):
                last = record["elapsed_ms"] / 1000
    return last


def dtls_peers(args, connections, identity, out_json):
    """(b), then (a) with every modem at once, then (a) started over (b)'s measured start spread
    (`--ramp-up`, known once (b) has run): a wave of retransmitted ClientHellos is as wide as
    the client's first flights were spread, and the server admits about 100 of a wave plus what
    it finishes while the wave lasts (docs/PERFORMANCE.md, "What bounds each figure")."""
    def fleet(ramp_up_s):
        def command(port):
            ramp = ["--ramp-up", f"{max(1, round(ramp_up_s * 1000))}ms"] if ramp_up_s else []
            return [args.atcoap, "fleet", "--modems", str(connections), "--dtls", *identity,
                    "--script", os.path.join(ROOT, "bench", "fleet-get-dtls.at"), "--target",
                    f"127.0.0.1:{port + 1}", "--iterations", "1", "--interval", "100ms",
                    "--json", out_json, *ramp, *fleet_threads(connections)]
        return command
    yield "libcoap", lambda port: [
        args.libcoap_dtls, "--transport", "dtls", "-c", str(connections), "-d",
        str(args.dtls_duration), "-p", str(port + 1), "--psk-identity", args.psk_identity,
        "--psk-key", args.psk_key], None, None
    if args.with_fleet:
        yield "atcoap", fleet(0), out_json, 0
        spread = args.libcoap_open_s.get(connections)
        if spread:
            yield "atcoap", fleet(spread), out_json, spread


def measure_dtls(args, rows_out, tmp):
    """C PSK handshakes at once against coap-server-openssl (DTLS on the port after the plain
    one), each peer against a fresh server: (b) with one identity and key (the server's -k), and
    (a) `atcoap fleet --dtls` with bench/fleet-get-dtls.at, every modem with its own identity and
    key (the server's -i file from `atcoap fleet keys`)."""
    args.libcoap_open_s = {}
    for connections in args.dtls:
        keys = os.path.join(tmp, f"keys-{connections}.txt")
        identity = ["--psk-identity", "imei-${IMEI}"]
        if args.with_fleet:
            with open(keys, "w", encoding="utf-8") as f:
                subprocess.run([args.atcoap, "fleet", "keys", "--modems", str(connections),
                                *identity], stdout=f, check=True)
        extra = ("-k", args.psk_key, "-i", keys) if args.with_fleet else ("-k", args.psk_key)
        out_json = os.path.join(tmp, f"fleet-dtls-{connections}.jsonl")
        for name, command, json_file, ramp_up in dtls_peers(args, connections, identity,
                                                             out_json):
            if name not in args.peers:
                continue
            with serving(args.dtls_server, extra) as (server, port):
                load = load_average()
                out, cpu, server_cpu, wall, last, waiting = run_peer(
                    command(port), server.pid, args.dtls_duration * 6 + 120,
                    FLEET_EXITS if json_file else (0,))
            if json_file:
                row = fleet_result(json_file, args.dtls_duration)
                seconds = last_handshake_s(json_file) or row["seconds"]
                row.update({"peer": "atcoap", "transport": "dtls", "connections": connections,
                            "rss_end_kib": last[0], "hwm_end_kib": last[1], "seconds": seconds,
                            "per_second": (row["handshakes"] or 0) / seconds,
                            "start_spread_s": ramp_up,
                            "p50_us": row["handshake_p50_us"], "p99_us": row["handshake_p99_us"]})
            else:
                row = last_json_line(out)
                row["start_spread_s"] = row.get("open_s")
                args.libcoap_open_s[connections] = row.get("open_s")
            row.update({"load_before": load, "server_cpu_s": server_cpu, "wall_s": wall,
                        "server_cpu_pct": 100 * server_cpu / wall if server_cpu else None,
                        "own_cpu_pct": 100 * cpu / wall, "own_waiting_pct": waiting})
            print(json.dumps(row), file=rows_out, flush=True)
            print(f"run-fleet-bench: DTLS C={connections} {name} (start spread "
                  f"{row['start_spread_s']}): {row['handshakes']} handshakes, "
                  f"{row['per_second']:.0f}/s, load {load}", file=sys.stderr)


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = os.path.join(ROOT, "build-release")
    parser.add_argument("--build-dir", default=build)
    parser.add_argument("--no-build", action="store_true", help="use the binaries as they are")
    parser.add_argument("--connections", default="1,100,1000,10000")
    parser.add_argument("--duration", type=float, default=10, help="seconds per run")
    parser.add_argument("--peers", default="floor,libcoap,atcoap")
    parser.add_argument("--check-script", action="store_true",
                        help="first run bench/fleet-get.at twice with `atcoap script`")
    parser.add_argument("--hold", default="", metavar="C,R",
                        help="also C connections at R requests/s against `atcoap server`")
    parser.add_argument("--hold-duration", type=float, default=60)
    parser.add_argument("--dtls", default="", help="C values for libcoap's DTLS handshakes")
    parser.add_argument("--dtls-duration", type=float, default=60,
                        help="seconds the handshakes may take at most")
    parser.add_argument("--psk-identity", default="864508030012428")
    parser.add_argument("--psk-key", default="12344FG89")
    parser.add_argument("--server", default="coap-server-notls")
    parser.add_argument("--dtls-server", default="coap-server-openssl")
    for name in ("floor", "libcoap", "libcoap-dtls", "atcoap"):
        parser.add_argument(f"--{name}", help="the program (default: in BUILD_DIR)")
    parser.add_argument("--rows", help="the JSON rows (default BUILD_DIR/fleet.jsonl)")
    parser.add_argument("--update", metavar="DOC", help="render the rows into DOC")
    args = parser.parse_args()
    args.connections = [int(c) for c in args.connections.split(",") if c]
    args.dtls = [int(c) for c in args.dtls.split(",") if c]
    args.peers = args.peers.split(",")
    args.hold = [int(x) for x in args.hold.split(",")] if args.hold else None
    bench = os.path.join(args.build_dir, "bench")
    args.floor = args.floor or os.path.join(bench, "bench_fleet_floor")
    args.libcoap = args.libcoap or os.path.join(bench, "bench_fleet_libcoap_notls")
    args.libcoap_dtls = args.libcoap_dtls or os.path.join(bench, "bench_fleet_libcoap_openssl")
    args.atcoap = args.atcoap or os.path.join(args.build_dir, "atcoap")
    args.rows = args.rows or os.path.join(args.build_dir, "fleet.jsonl")
    return args


def main():
    args = parse_arguments()
    if not args.no_build:
        subprocess.run(["cmake", "-S", ROOT, "-B", args.build_dir, "-G", "Ninja",
                        "-DCMAKE_BUILD_TYPE=Release", "-DATCOAP_WERROR=OFF"], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", args.build_dir, "--target", "bench_fleet_floor",
                        "bench_fleet_libcoap_notls", "bench_fleet_libcoap_openssl", "atcoap"],
                       check=True)
    args.with_fleet = "atcoap" in args.peers and has_fleet(args.atcoap)
    if "atcoap" in args.peers and not args.with_fleet:
        print(f"run-fleet-bench: {args.atcoap} has no `fleet` subcommand: (a) left out",
              file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp, open(args.rows, "w", encoding="utf-8") as rows:
        print(json.dumps({"measure": "setup", "duration_s": args.duration,
                          "nproc": os.cpu_count(), "load_before": load_average()}),
              file=rows, flush=True)
        try:
            if args.check_script:
                check_script(args, tmp)
            measure(args, rows, tmp)
            if args.hold:
                measure_hold(args, rows, tmp)
            if args.dtls:
                measure_dtls(args, rows, tmp)
        except Skipped as why:
            print(f"run-fleet-bench: {why}; skipped", file=sys.stderr)
            return SKIPPED
    if args.update:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "render-fleet.py"),
                        "--update", args.update, args.rows], check=True)
    print(f"run-fleet-bench: rows in {args.rows}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as error:
        sys.exit(f"run-fleet-bench: {error}")
