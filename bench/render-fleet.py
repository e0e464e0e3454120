#!/usr/bin/env python3
"""Renders the JSON rows of bench/run-fleet-bench.py as the tables of docs/PERFORMANCE.md's
"Fleets" section.

    render-fleet.py ROWS...                print the tables
    render-fleet.py --update DOC ROWS...   replace the text between DOC's "fleet:begin" and
                                           "fleet:end" markers with them
"""
import argparse
import json
import re
import sys

PEERS = (("atcoap", "(a) atcoap fleet"), ("libcoap", "(b) libcoap"), ("floor", "(c) floor"))
GOAL_AT = 1000  # the goals hold at C = 1,000 (the "Performance")
FLEET_GRAIN_US = 1000  # the fleet's latencies are whole milliseconds of the modem's clock


def load(paths):
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as file:
            rows += [json.loads(line) for line in file if line.strip()]
    return rows


def cell(value, digits=0, scale=1.0):
    return "-" if value is None else f"{value * scale:,.{digits}f}"


def per_connection(row, baseline):
    """KiB per connection: (RSS at the end - RSS before the connections) / C. The fleet's own
    line has no RSS before its modems, so its C = 1 run's end stands for C = 0 (then / (C - 1))."""
    c = row["connections"]
    if row.get("rss_start_kib") is not None and row.get("rss_end_kib") is not None:
        return (row["rss_end_kib"] - row["rss_start_kib"]) / c
    if baseline is None or c <= 1 or row.get("rss_end_kib") is None:
        return None
    return (row["rss_end_kib"] - baseline) / (c - 1)


def udp_tables(rows):
    by = {(r["connections"], r["peer"]): r for r in rows}
    sizes = sorted({r["connections"] for r in rows})
    present = [(p, t) for p, t in PEERS if any(r["peer"] == p for r in rows)]
    rate = lambda c, p: by.get((c, p), {}).get("per_second")
    ratio = lambda c, a, b: (rate(c, a) / rate(c, b)) if rate(c, a) and rate(c, b) else None
    out = ["Requests per second (sequential CON GET /time per connection), and the ratios:", "",
           "| C | " + " | ".join(f"{t} /s" for _, t in present) + " | a/b | a/c |",
           "| ---: |" + " ---: |" * (len(present) + 2)]
    for c in sizes:
        out.append(f"| {c:,} | " + " | ".join(cell(rate(c, p)) for p, _ in present) +
                   f" | {cell(ratio(c, 'atcoap', 'libcoap'), 3)} | {cell(ratio(c, 'atcoap', 'floor'), 3)} |")
    out += ["", "Latency p50 / p99 (ms); the server's time on a CPU and runnable but waiting "
            "for one, and the peer's own CPU and waiting (% of one core over the run); datagrams the kernel "
            "dropped at the server's socket; the load average (1, 5, 15 min) before each run:", "",
            "| C | peer | p50 / p99 ms | server CPU % | server waiting % | own CPU % | own waiting % | "
            "timeouts or retries | server drops | load before |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for c in sizes:
        for p, title in present:
            r = by.get((c, p))
            if r is None:
                continue
            own = r.get("own_cpu_pct")
            retries = r.get("timeouts", r.get("retransmissions"))
            out.append(f"| {c:,} | {title} | {cell(r.get('p50_us'), 2, 1e-3)} / "
                       f"{cell(r.get('p99_us'), 2, 1e-3)} | {cell(r.get('server_cpu_pct'))} | "
                       f"{cell(r.get('server_waiting_pct'))} | {cell(own)} | "
                       f"{cell(r.get('own_waiting_pct'))} | {cell(retries)} | "
                       f"{cell(r.get('server_drops'))} | {r['load_before']} |")
    out += ["", "Resident memory: RSS at the end of the run (all connections open; for (a) "
            "the highest read while it ran), KiB, and "
            "per connection, (RSS at C - RSS at 0) / C, KiB:", "",
            "| C | " + " | ".join(f"{t} RSS" for _, t in present) + " | " +
            " | ".join(f"{t} per connection" for _, t in present) + " |",
            "| ---: |" + " ---: |" * (2 * len(present))]
    baselines = {p: by.get((1, p), {}).get("rss_end_kib") for p, _ in present}
    for c in sizes:
        rss = [cell(by.get((c, p), {}).get("rss_end_kib")) for p, _ in present]
        each = [cell(per_connection(by[(c, p)], baselines[p]) if (c, p) in by else None, 2)
                for p, _ in present]
        out.append(f"| {c:,} | " + " | ".join(rss + each) + " |")
    return out + [""] + goals(by, baselines)


def goals(by, baselines):
    a = by.get((GOAL_AT, "atcoap"))
    if a is None:
        return [f"- The goals at C = {GOAL_AT:,} need (a), which this run did not have."]
    out = []
    for peer, goal in (("libcoap", 0.9), ("floor", 0.7)):
        other = by.get((GOAL_AT, peer))
        if other and other["per_second"]:
            value = a["per_second"] / other["per_second"]
            out.append(f"- (a) at {goal} of {peer}'s rate or better at C = {GOAL_AT:,}: "
                       f"{value:.3f}: {'met' if value >= goal else 'missed'}")
    each = per_connection(a, baselines.get("atcoap"))
    if each is not None:
        out.append(f"- 16 KiB or less per UDP modem: {each:.2f} KiB: "
                   f"{'met' if each <= 16 else 'missed'}")
    return out


def hold_table(rows):
    """C connections at an offered rate against `atcoap server` (run-fleet-bench.py --hold)."""
    out = ["Holding a rate: C connections, requests paced fleet-wide, against `atcoap server`'s "
           "/test:", "",
           "| peer | C | offered /s | answered /s | seconds | p50 / p99 ms | timeouts or retries "
           "| failed iterations | behind | server CPU % | server drops | load before |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    titles = dict(PEERS)
    for r in rows:
        out.append(f"| {titles.get(r['peer'], r['peer'])} | {r['connections']:,} | "
                   f"{r['offered_per_second']:,} | {cell(r['per_second'])} | "
                   f"{r['seconds']:.1f} | {cell(r.get('p50_us'), 2, 1e-3)} / "
                   f"{cell(r.get('p99_us'), 2, 1e-3)} | "
                   f"{cell(r.get('timeouts', r.get('retransmissions')))} | "
                   f"{cell(r.get('iterations_failed'))} | {cell(r.get('behind'))} | "
                   f"{cell(r.get('server_cpu_pct'))} | {cell(r.get('server_drops'))} | "
                   f"{r['load_before']} |")
    by = {r["peer"]: r for r in rows}
    if "atcoap" in by and "floor" in by and by["atcoap"].get("p99_us") is not None:
        fleet, floor = by["atcoap"]["p99_us"], by["floor"]["p99_us"]
        if fleet < FLEET_GRAIN_US:
            # The modem's clock counts whole milliseconds (docs/FLEET.md): a p99 in the 0-ms
            # bucket says only that 99% of round trips began and ended within one tick.
            text = (f"under {(FLEET_GRAIN_US - floor) / 1000:.2f} ms: the fleet's p99 is in "
                    f"its 0-ms bucket (its clock counts whole milliseconds), the floor's is "
                    f"{floor / 1000:.2f} ms")
        else:
            text = f"{(fleet - floor) / 1000:.2f} ms"
        out += ["", f"- p99 latency the fleet adds over the floor at this load: {text}"]
    return out


def dtls_table(rows):
    out = ["DTLS: C clients handshaking (PSK, DTLS 1.2) against coap-server-openssl; (b) one "
           "identity and key for every session, (a) every modem its own (the server's `-i` file "
           "from `atcoap fleet keys`). \"Started over\" is the time over which the first flights "
           "left: (b)'s time to make its sessions, (a)'s `--ramp-up` (0: every modem at once). "
           "Seconds: to the last handshake (for (a) to 0.1 s); handshakes/s: handshakes over "
           "those seconds:", "",
           "| C | peer | started over s | handshakes | not through | seconds | handshakes/s | "
           "p50 / p99 ms | server CPU % | own CPU % | RSS KiB | load before |",
           "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    titles = dict(PEERS)
    for r in rows:  # in the order they ran: (b), (a) at once, (a) over (b)'s spread
        missing = r["connections"] - (r["handshakes"] or 0)
        out.append(f"| {r['connections']:,} | {titles.get(r['peer'], r['peer'])} | "
                   f"{cell(r.get('start_spread_s'), 2)} | {cell(r['handshakes'])} | "
                   f"{missing:,} | {r['seconds']:.2f} | {cell(r['per_second'])} | "
                   f"{cell(r['p50_us'], 1, 1e-3)} / {cell(r['p99_us'], 1, 1e-3)} | "
                   f"{cell(r.get('server_cpu_pct'))} | {cell(r.get('own_cpu_pct'))} | "
                   f"{cell(r.get('rss_end_kib'))} | {r.get('load_before', '-')} |")
    return out


def render(rows):
    setup = next((r for r in rows if r.get("measure") == "setup"), {})
    udp = [r for r in rows if r.get("transport") == "udp" and "peer" in r and "measure" not in r]
    hold = [r for r in rows if r.get("measure") == "hold"]
    dtls = [r for r in rows if r.get("transport") == "dtls" and "peer" in r]
    if not udp and not dtls and not hold:
        sys.exit("render-fleet: no rows")
    out = [f"{setup.get('duration_s', '?')} s per run, {setup.get('nproc', '?')} CPUs; load "
           f"average before the first run {setup.get('load_before', '?')}.", ""]
    if udp:
        out += udp_tables(udp)
    if hold:
        out += ([""] if udp else []) + hold_table(hold)
    if dtls:
        out += ([""] if udp or hold else []) + dtls_table(dtls)
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", metavar="DOC")
    parser.add_argument("rows", nargs="+")
    arguments = parser.parse_args()
    text = render(load(arguments.rows))
    if not arguments.update:
        print(text)
        return
    with open(arguments.update, encoding="utf-8") as file:
        doc = file.read()
    begin, end = "<!-- fleet:begin -->", "<!-- fleet:end -->"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if not pattern.search(doc):
        sys.exit(f"render-fleet: no {begin} ... {end} in {arguments.update}")
    doc = pattern.sub(lambda _: f"{begin}\n{text}\n{end}", doc)
    with open(arguments.update, "w", encoding="utf-8") as file:
        file.write(doc)


if __name__ == "__main__":
    main()
