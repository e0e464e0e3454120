"""Drives atcoap's file commands (docs/AT_FILES.md) over standard input and output, for
scripts/kill-campaign.py: every answer is awaited with a bound, and a process killed in the
middle of a command gives None instead of an answer. Standard library only."""

import os
import re
import signal
import subprocess
import threading
import time

TMP_PREFIX = ".ufs-tmp-"
ANSWER_WAIT = 30.0  # seconds: the bound on every answer (MiBs through a Debug build)
FINAL = re.compile(rb"\r\n(?P<final>OK|ERROR|\+CME ERROR: (?P<cme>\d+))\r\n")
CONNECT = re.compile(rb"\r\nCONNECT\r\n|" + FINAL.pattern)
DOWNLOADED = re.compile(rb"\r\n\+QFDWL: (\d+),[0-9a-f]+\r\n\r\nOK\r\n")
STORED = re.compile(rb"\r\n\+QFUPL: (?P<stored>\d+),[0-9a-f]+\r\n|" + FINAL.pattern)


class Violation(Exception):
    pass


class Modem:
    """One atcoap process on stdio pipes; a thread collects everything it writes."""

    def __init__(self, atcoap, ufs, log):
        self.proc = subprocess.Popen([atcoap, "--ufs", ufs, "--log-level", "warn"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        self.out = bytearray()
        self.pos = 0
        self.eof = False
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        fd = self.proc.stdout.fileno()
        while True:
            chunk = os.read(fd, 1 << 20)
            with self.cond:
                if not chunk:
                    self.eof = True
                else:
                    self.out += chunk
                self.cond.notify_all()
            if not chunk:
                return

    def wait_for(self, pattern, timeout=ANSWER_WAIT):
        """The match of `pattern` in the output after `pos`; None at EOF or after `timeout`."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                match = pattern.search(self.out, self.pos)
                if match or self.eof:
                    if match:
                        self.pos = match.end()
                    return match
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def take(self, count, timeout=ANSWER_WAIT):
        """Exactly `count` bytes after `pos`, or None."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.out) - self.pos < count and not self.eof:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)
            if len(self.out) - self.pos < count:
                return None
            data = bytes(self.out[self.pos:self.pos + count])
            self.pos += count
            return data

    def send(self, data):
        """False once the process is gone (a kill in the middle of a write)."""
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False

    def command(self, line):
        """The final result of one command line: 'OK', 'ERROR', an int (+CME ERROR) or None."""
        if not self.send(line.encode() + b"\r\n"):
            return None
        return final_of(self.wait_for(FINAL))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.reader.join(10)  # reads to the end before its pipe is closed
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass


def final_of(match):
    if match is None:
        return None
    if match.group("cme"):
        return int(match.group("cme"))
    return match.group("final").decode()


def start(atcoap, ufs, log):
    """A started modem with echo off; a restart the killed process's lock blocks is a violation."""
    modem = Modem(atcoap, ufs, log)
    if modem.wait_for(re.compile(rb"\r\nAPP RDY\r\n"), 10) is None:
        code = modem.proc.poll()
        modem.kill()
        raise Violation(f"restart on {ufs} failed (exit code {code}): see the log")
    if modem.command("ATE0") != "OK":
        modem.kill()
        raise Violation("ATE0 not answered after a restart")
    return modem


def upload(modem, ufs, name, data, events):
    events.setdefault("start", time.monotonic())
    events["upload_start"] = time.monotonic()
    if not modem.send(f'AT+QFUPL="{name}",{len(data)},60\r\n'.encode()):
        return
    match = modem.wait_for(CONNECT)
    if match is None or match.group(0) != b"\r\nCONNECT\r\n":
        events["upload"] = final_of(match)
        return
    events["size"] = len(data)
    view = memoryview(data)
    for offset in range(0, len(data), 65536):
        if not modem.send(view[offset:offset + 65536]):
            return
    events["last_byte"] = time.monotonic()
    events["mark"].set()
    match = modem.wait_for(STORED)
    if match is not None and match.group(0).startswith(b"\r\n+QFUPL"):
        if int(match.group("stored")) != len(data):
            events["wrong"] = f"+QFUPL stored {match.group('stored').decode()} of {len(data)} bytes"
        match = modem.wait_for(FINAL)
    events["upload"] = final_of(match)
    events["end"] = time.monotonic()
    if isinstance(events["upload"], int):  # a failed upload leaves no temporary behind
        left = [n for n in os.listdir(ufs) if n.startswith(TMP_PREFIX)]
        if left:
            events["wrong"] = f"+CME ERROR: {events['upload']} left {left} on disk"


def delete(modem, name, events, key="delete"):
    events.setdefault("start", time.monotonic())
    events[key] = modem.command(f'AT+QFDEL="{name}"')
    events["end"] = time.monotonic()


def list_files(modem):
    if not modem.send(b"AT+QFLST\r\n"):
        raise Violation("AT+QFLST could not be sent")
    start_pos = modem.pos
    match = modem.wait_for(FINAL)
    if final_of(match) != "OK":
        raise Violation(f"AT+QFLST answered {final_of(match)}")
    text = bytes(modem.out[start_pos:match.start()])
    return {m.group(1).decode(): int(m.group(2))
            for m in re.finditer(rb'\+QFLST: "UFS:([^"]*)",(\d+)', text)}


def download(modem, name, size):
    if not modem.send(f'AT+QFDWL="{name}"\r\n'.encode()):
        raise Violation("AT+QFDWL could not be sent")
    match = modem.wait_for(CONNECT)
    if match is None or match.group(0) != b"\r\nCONNECT\r\n":
        raise Violation(f"AT+QFDWL={name} of a listed file answered {final_of(match)}")
    data = modem.take(size)
    end = modem.pos
    trailer = modem.wait_for(DOWNLOADED)
    if data is None or trailer is None or trailer.start() != end or \
            int(trailer.group(1)) != size:
        raise Violation(f"AT+QFDWL={name}: not {size} bytes then +QFDWL and OK")
    return data
