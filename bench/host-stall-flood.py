#!/usr/bin/env python3
"""A host that stops reading while a server floods Observe notifications (docs/RUNNING.md,
"Limits of the ports"): how much memory does the modem hold, and does it give it back?

The script plays both the CoAP server (a UDP socket on 127.0.0.1) and the stalled host (a pipe
nobody reads). It registers an observation through the AT port, reads the answers up to the
first +QCOAPRECV, then stops reading and sends NON 2.05 notifications with the observation's
token at a fixed rate. It samples the modem's VmRSS and VmHWM from /proc every second, then reads
everything the modem wrote and samples again. It prints one JSON object.

    bench/host-stall-flood.py build/atcoap --rate 6000 --size 1000 --seconds 600
"""

import argparse
import json
import os
import select
import socket
import struct
import subprocess
import tempfile
import time

TOKEN = bytes.fromhex("0a0b0c0d")


def memory_kib(pid):
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values


def read_until(stream, marker, bound_s):
    data = b""
    deadline = time.monotonic() + bound_s
    while marker not in data:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([stream], [], [], left)[0]:
            raise SystemExit(f"no {marker!r} from the modem; got {data[-200:]!r}")
        chunk = os.read(stream.fileno(), 65536)
        if not chunk:
            raise SystemExit("the modem closed its output")
        data += chunk
    return data


def notification(message_id, sequence, payload):
    # NON (1), 2.05, token 0A0B0C0D, Observe (6) as 3 bytes, payload marker.
    header = struct.pack("!BBH", 0x40 | 0x10 | len(TOKEN), 0x45, message_id & 0xFFFF)
    observe = bytes([0x63]) + (sequence & 0xFFFFFF).to_bytes(3, "big")
    return header + TOKEN + observe + b"\xff" + payload


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("atcoap")
    parser.add_argument("--rate", type=int, default=6000, help="notifications per second")
    parser.add_argument("--size", type=int, default=1000, help="payload bytes each")
    parser.add_argument("--seconds", type=int, default=60, help="length of the flood")
    args = parser.parse_args()

    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    port = server.getsockname()[1]
    ufs = tempfile.mkdtemp(prefix="atcoap-flood-")
    modem = subprocess.Popen([args.atcoap, "--ufs", ufs, "--log-level", "warn"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    send = lambda line: (modem.stdin.write(line.encode() + b"\r\n"), modem.stdin.flush())
    read_until(modem.stdout, b"APP RDY", 5)
    send("ATE0")
    send(f'AT+QCOAPOPEN=0,"127.0.0.1",{port}')
    read_until(modem.stdout, b"+QCOAPOPEN: 0,0", 5)
    send("AT+QCOAPHEADER=0,100,0,4,0a0b0c0d")
    send("AT+QCOAPOPTION=0,0,0,6,0")
    send("AT+QCOAPSEND=0,1,1,1,0")  # NON GET with Observe 0
    request, modem_address = server.recvfrom(2048)
    server.sendto(notification(1, 1, b"first"), modem_address)
    read_until(modem.stdout, b"+QCOAPRECV", 5)
    before = memory_kib(modem.pid)

    # From now on the host reads nothing.
    payload = bytes(args.size)
    samples = []
    sent = 0
    started = time.monotonic()
    next_sample = started + 1
    while time.monotonic() - started < args.seconds:
        due = int((time.monotonic() - started) * args.rate)
        while sent < due:
            server.sendto(notification(sent + 2, sent + 2, payload), modem_address)
            sent += 1
        if time.monotonic() >= next_sample:
            samples.append(memory_kib(modem.pid))
            next_sample += 1
        time.sleep(0.001)
    during = memory_kib(modem.pid)

    # The host reads again: everything the modem kept comes out, then memory is sampled.
    drained = 0
    while select.select([modem.stdout], [], [], 1.0)[0]:
        chunk = os.read(modem.stdout.fileno(), 1 << 20)
        if not chunk:
            break
        drained += len(chunk)
    after = memory_kib(modem.pid)
    modem.stdin.close()
    modem.wait(timeout=10)
    warnings = modem.stderr.read().decode(errors="replace").count("the host is not reading")
    print(json.dumps({
        "rate_per_s": args.rate, "payload_bytes": args.size, "seconds": args.seconds,
        "notifications_sent": sent, "bytes_read_after": drained,
        "rss_kib_before": before["VmRSS"], "rss_kib_max_during": max(s["VmRSS"] for s in samples),
        "rss_kib_end_of_flood": during["VmRSS"], "hwm_kib": after["VmHWM"],
        "rss_kib_after_reading": after["VmRSS"], "stall_log_lines": warnings,
    }, indent=1))


if __name__ == "__main__":
    main()
