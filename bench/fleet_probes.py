"""What the fleet benchmark's harness (bench/run-fleet-bench.py) reads and runs beside each
peer: free loopback ports, a fresh libcoap server per run, and from /proc the CPU, scheduling
waits, memory and socket drops that show what bounds a figure (docs/PERFORMANCE.md, "Fleets").
"""
import contextlib
import os
import socket
import subprocess
import tempfile
import time

TICKS = os.sysconf("SC_CLK_TCK")
GET_TIME = bytes([0x40, 0x01, 0x12, 0x34, 0xB4]) + b"time"  # CON GET /time, no token


def free_port_pair():
    """A port P with UDP and TCP P and P+1 free on 127.0.0.1 (coap-server takes P for UDP and
    TCP, and P+1 for DTLS and TLS)."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port >= 65535:
            continue
        try:
            held = []
            for p in (port, port + 1):
                for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                    s = socket.socket(socket.AF_INET, kind)
                    held.append(s)
                    s.bind(("127.0.0.1", p))
            return port
        except OSError:
            continue
        finally:
            for s in held:
                s.close()
    raise RuntimeError("no free port pair on 127.0.0.1")


def answers(port, bound=5.0):
    """True once the server answers a GET /time over UDP, within `bound` seconds."""
    deadline = time.monotonic() + bound
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.1)
        while time.monotonic() < deadline:
            try:
                s.sendto(GET_TIME, ("127.0.0.1", port))
                s.recvfrom(1500)
                return True
            except OSError:
                time.sleep(0.05)
    return False


class Skipped(Exception):
    """The server program is not installed."""


@contextlib.contextmanager
def serving(program, extra=(), arguments=None):
    """A fresh `program` (coap-server-notls or -openssl) on a free port pair of 127.0.0.1,
    answering GET /time, for one run: libcoap's server keeps every client's session for 300 s
    after its last message and walks them all at each turn of its loop, so a server that had
    served an earlier run would be slower for the next. Yields (process, port)."""
    port = free_port_pair()
    try:
        command = arguments(port) if arguments else [program, "-A", "127.0.0.1", "-p", str(port)]
        server = subprocess.Popen([*command, *extra],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as error:
        raise Skipped(f"{program}: {error}") from error
    try:
        if not answers(port):
            raise RuntimeError(f"{program} does not answer on 127.0.0.1:{port}")
        yield server, port
    finally:
        server.terminate()
        server.wait(10)


def cpu_ticks(pid):
    """utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return None


def schedstat(pid):
    """(seconds on a CPU, seconds runnable but waiting for one) of a process's main thread
    (/proc/PID/schedstat): how much of a run the machine's other load took from it."""
    try:
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as f:
            on_cpu, waiting = f.read().split()[:2]
        return int(on_cpu) / 1e9, int(waiting) / 1e9
    except OSError:
        return None


def udp_drops(port):
    """Datagrams the kernel dropped at 127.0.0.1:`port` since the socket was made, for want of
    room in its receive buffer (/proc/net/udp, the last column)."""
    wanted = f"0100007F:{port:04X}"
    with open("/proc/net/udp", encoding="ascii") as f:
        return sum(int(line.split()[-1]) for line in f if line.split()[1] == wanted)


def memory(pid):
    """(VmRSS, VmHWM) of a process, KiB; None for each it could not read."""
    found = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    found[key] = int(value.split()[0])
    except OSError:
        pass
    return found.get("VmRSS"), found.get("VmHWM")


def load_average():
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


def run_peer(command, server_pid, bound, ok_codes=(0,)):
    """Runs one peer to its end. Returns its standard output, its own CPU seconds (wait4), the
    server's CPU seconds over the same wall time, the wall time, the highest VmRSS and the last
    VmHWM read of the peer while it ran (every 100 ms), and its share of the time waiting for a
    CPU. An exit code not in `ok_codes` is an error (`atcoap fleet` exits 1 when an iteration
    failed: that is a figure of the run, counted in its JSON record)."""
    server_before = cpu_ticks(server_pid)
    started = time.monotonic()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, subprocess.Popen(
            command, stdout=out, stdin=subprocess.DEVNULL) as child:
        last = (None, None)
        sched = []
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            sample = memory(child.pid)
            if sample[0] is not None:  # the highest VmRSS, not the last: the end tears down
                last = (max(sample[0], last[0] or 0), sample[1])
            sched.append(schedstat(child.pid))
            if time.monotonic() - started > bound:
                child.kill()
                child.wait()
                raise RuntimeError(f"{command[0]} ran past {bound:.0f} s")
            time.sleep(0.1)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    wall = time.monotonic() - started
    server_after = cpu_ticks(server_pid)
    if child.returncode not in ok_codes:
        raise RuntimeError(f"{' '.join(command)} exited {child.returncode}")
    server_cpu = (server_after - server_before) / TICKS if server_before is not None else None
    # The peer's main thread: the share of its life it was runnable but had no CPU.
    sched = [x for x in sched if x is not None]
    waiting = 100 * (sched[-1][1] - sched[0][1]) / wall if len(sched) > 1 else None
    return text, usage.ru_utime + usage.ru_stime, server_cpu, wall, last, waiting
