#!/usr/bin/env python3
"""Renders the JSON rows of bench_exchanges as the Markdown tables of docs/PERFORMANCE.md.

    render-performance.py ROWS...                  print the tables of every transport found
    render-performance.py --update DOC ROWS...     replace each transport's tables in DOC,
                                                   between its "exchanges:<transport>" markers
"""
import argparse
import json
import re
import statistics
import sys

# The goals the tables are held against: (a) at 0.9 of the floor, six clients at 4 MiB; over
# DTLS an exchange rate at least libcoap's, six sessions at 6.5 MiB (6656 KiB).
GOALS = {"udp": ("floor", 0.9, 4096), "dtls": ("libcoap", 1.0, 6656)}
STATES = {"idle": "idle after start", "six": "six clients open, one exchange each",
          "after": "after the timed run (one client)"}
DTLS_STATES = {"idle": "idle after start and DTLS configuration",
               "six": "six DTLS sessions open, one exchange each",
               "after": "after the timed run (one session)"}


def load(paths):
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as file:
            rows += [json.loads(line) for line in file if line.strip()]
    return rows


def fmt(value, digits):
    return f"{value:.{digits}f}"


def table(header, columns, rounds):
    """One row per round, then the median and the range; columns are (title, value, digits)."""
    lines = [f"| {header} | " + " | ".join(c[0] for c in columns) + " |",
             "| --- |" + " ---: |" * len(columns)]
    values = [[c[1](r) for r in rounds] for c in columns]
    for i in range(len(rounds)):
        lines.append(f"| {i + 1} | " + " | ".join(fmt(v[i], c[2]) for v, c in zip(values, columns)) + " |")
    lines.append("| median | " + " | ".join(
        fmt(statistics.median(v), c[2]) for v, c in zip(values, columns)) + " |")
    lines.append("| min-max | " + " | ".join(
        fmt(min(v), c[2]) + "-" + fmt(max(v), c[2]) for v, c in zip(values, columns)) + " |")
    return lines


def by_round(rows):
    """Per round: {"atcoap": {"rate": row, "memory": {state: row}, "handshake": [ms...]}, ...}."""
    rounds = {}
    for row in rows:
        if "round" not in row:
            continue
        client = rounds.setdefault(row["round"], {}).setdefault(
            row["client"], {"memory": {}, "handshake": []})
        if row["measure"] == "memory":
            client["memory"][row["state"]] = row
        elif row["measure"] == "handshake":
            client["handshake"].append(row["ms"])
        else:
            client[row["measure"]] = row
    return [rounds[k] for k in sorted(rounds)]


def rate(client, key="per_second"):
    return lambda r: r[client]["rate"][key]


def ratio(a, b):
    return lambda r: r[a]["rate"]["per_second"] / r[b]["rate"]["per_second"]


def render(transport, rows):
    setup = next(r for r in rows if r["measure"] == "setup")
    after = next((r["load_after"] for r in rows if r["measure"] == "load"), "?")
    rounds = by_round(rows)
    udp = transport == "udp"
    out = [f"CON GET /time over {transport.upper()}: {setup['count']} timed exchanges after "
           f"{setup['warmup']} untimed, {setup['rounds']} rounds; load average before "
           f"{setup['load_before']}, after {after}.", ""]
    if not udp:
        out += [f"Handshakes, milliseconds, {setup['handshakes']} per client and round: each "
                "round's median, fastest and slowest:", ""]
        columns = []
        for name, client in (("(a) atcoap", "atcoap"), ("(b) libcoap", "libcoap")):
            for what, of in (("median", statistics.median), ("min", min), ("max", max)):
                columns.append((f"{name} {what}", lambda r, c=client, f=of: f(r[c]["handshake"]), 2))
        out += table("round", columns, rounds) + [""]
    clients = ["atcoap", "libcoap"] + (["floor"] if udp else [])
    columns = [("(a) atcoap /s", rate("atcoap"), 0), ("(b) libcoap /s", rate("libcoap"), 0)]
    if udp:
        columns += [("(c) floor /s", rate("floor"), 0), ("a/c", ratio("atcoap", "floor"), 3)]
    columns.append(("a/b", ratio("atcoap", "libcoap"), 3))
    out += ["Exchanges per second:", ""] + table("round", columns, rounds) + [""]
    columns = [(f"{c} cpu", rate(c, "cpu_us"), 1) for c in clients]
    columns.insert(1, ("host of (a)", rate("atcoap", "host_cpu_us"), 1))
    if udp:
        columns.append(("host of (c)", rate("floor", "host_cpu_us"), 1))
    columns += [(f"{c} waited", rate(c, "wait_us"), 1) for c in clients]
    out += ["Per exchange, microseconds (schedstat): time on a CPU, and time runnable but "
            "waiting for one:", ""] + table("round", columns, rounds) + [""]
    out += memory(transport, rows, rounds) + [""] + goals(transport, rounds)
    return out


def memory(transport, rows, rounds):
    out = [f"Memory, KiB: VmRSS / VmHWM / Pss / Anonymous, per round:", "",
           "| state | " + " | ".join(f"round {i + 1}" for i in range(len(rounds))) + " |",
           "| --- |" + " ---: |" * len(rounds)]
    cells = lambda m: f"{m['rss_kib']} / {m['hwm_kib']} / {m['pss_kib']} / {m['anon_kib']}"
    for state, label in (STATES if transport == "udp" else DTLS_STATES).items():
        out.append(f"| atcoap {label} | " + " | ".join(cells(r["atcoap"]["memory"][state]) for r in rounds) + " |")
    out.append("| libcoap's client library at its end | " + " | ".join(
        cells(r["libcoap"]["memory"]["after"]) for r in rounds) + " |")
    for peak in (r for r in rows if r["measure"] == "peak"):
        out += ["", f"`{peak['client']}` observing `/time` for 1 s: peak resident {peak['hwm_kib']} KiB (VmHWM)."]
    return out


def goals(transport, rounds):
    against, goal, memory_goal = GOALS[transport]
    median = statistics.median(ratio("atcoap", against)(r) for r in rounds)
    highest = max(r["atcoap"]["memory"]["six"]["hwm_kib"] for r in rounds)
    letter, whose = ("c", "the floor's") if against == "floor" else ("b", "libcoap's")
    return [f"- atcoap at {goal} of {whose} rate or better: median a/{letter} {median:.3f}: "
            + ("met" if median >= goal else "missed"),
            f"- six {'clients' if transport == 'udp' else 'DTLS sessions'} at {memory_goal} KiB resident or less: highest VmHWM {highest} KiB: "
            + ("met" if highest <= memory_goal else "missed")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", metavar="DOC", help="replace the generated tables in DOC")
    parser.add_argument("rows", nargs="+", help="files of JSON rows from bench_exchanges")
    arguments = parser.parse_args()
    rows = load(arguments.rows)
    transports = sorted({r["transport"] for r in rows}, key=["udp", "dtls"].index)
    if not transports:
        sys.exit("render-performance: no rows")
    rendered = {t: "\n".join(render(t, [r for r in rows if r["transport"] == t])) for t in transports}
    if not arguments.update:
        print("\n\n".join(rendered.values()))
        return
    with open(arguments.update, encoding="utf-8") as file:
        doc = file.read()
    for transport, text in rendered.items():
        begin, end = f"<!-- exchanges:{transport}:begin -->", f"<!-- exchanges:{transport}:end -->"
        pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
        if not pattern.search(doc):
            sys.exit(f"render-performance: no {begin} ... {end} in {arguments.update}")
        doc = pattern.sub(lambda _: f"{begin}\n{text}\n{end}", doc)
    with open(arguments.update, "w", encoding="utf-8") as file:
        file.write(doc)


if __name__ == "__main__":
    main()
