#!/usr/bin/env python3
"""Crash safety of the module's file system (docs/TESTING.md, "Crash safety of the file system").

Kills atcoap with SIGKILL at random instants during AT+QFUPL uploads, AT+QFDEL deletes,
overwrites (AT+QFDEL then AT+QFUPL of the same name: the module has no overwrite) and
AT+QFDEL="*", restarts it on the same --ufs directory and checks, on disk and through
AT+QFLST/AT+QFDWL, that every file holds a whole content it may hold (old or new: never torn),
that no temporary (.ufs-tmp-*) is listed or left after the restart, and that the killed
process's lock never blocks the restart (docs/DIALECT.md §5, docs/RUNNING.md). A second part
does the same on a small tmpfs, where uploads fail for lack of space (+CME ERROR 403/409/420)
and must leave nothing behind (needs root to mount; skipped with a message otherwise).

Standard library only. Exit code 0 only when no violation was found, 1 otherwise, 2 when the
campaign itself could not run.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from ufs_driver import (ANSWER_WAIT, TMP_PREFIX, Modem, Violation, delete, download, list_files,
                        start, upload)

LOCK_NAME = ".atcoap.lock"
NAMES = [f"f{i}.bin" for i in range(6)] + ["0_server.psk"]
FULL_DISK_CODES = {403, 409, 420}
KINDS = ("upload", "overwrite", "delete", "delete_all")


class Campaign:
    def __init__(self, args, ufs, label, full_disk):
        self.args, self.ufs, self.label, self.full_disk = args, ufs, label, full_disk
        self.rng = random.Random(f"{args.seed}-{label}")
        self.known = {}  # name -> content the store holds now (checked)
        self.generation = 0
        self.stats = {}
        self.violations = []
        self.estimates = {"fixed": 0.01, "per_mib": 0.05, "store": 0.01, "delete": 0.005,
                          "restart": 0.01}
        self.log = open(os.path.join(args.workdir, f"atcoap-{label}.log"), "ab")

    def count(self, key, amount=1):
        self.stats[key] = self.stats.get(key, 0) + amount

    def content(self, name):
        self.generation += 1
        size = int(2 ** self.rng.uniform(0, 22))  # 1 byte to 4 MiB, log-uniform
        if self.full_disk:
            size = int(2 ** self.rng.uniform(10, 22))
        return random.Random(f"{name}-{self.generation}").randbytes(max(1, size))

    def fill(self, new):
        """Full disk: a ballast file beside the store leaves free a random share of what the
        upload needs, so that its write fails at a random point with ENOSPC (or fits)."""
        need = max((len(d) for d in new.values() if d is not None), default=0)
        ballast = os.path.join(os.path.dirname(self.ufs), "ballast")
        with open(ballast, "ab") as f:
            st = os.statvfs(self.ufs)
            free = st.f_bavail * st.f_frsize
            want = int(self.rng.uniform(0, 1.5) * need)
            size = max(0, os.fstat(f.fileno()).st_size + free - want)
            size -= size % st.f_frsize
            current = os.fstat(f.fileno()).st_size
            if size < current:
                f.truncate(size)
            else:
                try:
                    f.write(bytes(size - current))
                except OSError:  # ENOSPC: as full as it gets
                    pass
        if want < need:
            self.count("uploads given less free space than their size")

    def expected(self, size):
        return self.estimates["fixed"] + self.estimates["per_mib"] * size / (1 << 20)

    def learn(self, key, value):
        self.estimates[key] = 0.8 * self.estimates[key] + 0.2 * value

    def plan(self):
        """One operation: (kind, the work for the worker thread, the allowed outcomes)."""
        present = sorted(self.known)
        absent = [n for n in NAMES if n not in self.known]
        kinds = ["upload"] * 4 + ["overwrite"] * 3 + ["delete"] * 2 + ["delete_all"]
        kind = self.rng.choice(kinds if present else ["upload"])
        if kind == "upload" and not absent:
            kind = "overwrite"
        if kind == "upload":
            name = self.rng.choice(absent)
            data = self.content(name)
            return kind, [name], lambda m, e: upload(m, self.ufs, name, data, e), {name: data}
        if kind == "overwrite":
            name = self.rng.choice(present)
            data = self.content(name)

            def work(m, e):
                delete(m, name, e)
                if e.get("delete") == "OK":
                    upload(m, self.ufs, name, data, e)
            return kind, [name], work, {name: data}
        if kind == "delete":
            name = self.rng.choice(present)
            return kind, [name], lambda m, e: delete(m, name, e), {name: None}
        return kind, present, lambda m, e: delete(m, "*", e), {n: None for n in present}

    def stock(self, modem):
        """Keeps at least three files in the store (uploads nobody kills), so that overwrites
        and deletes have something to work on; on a full disk such an upload may fail."""
        while len(self.known) < 3:
            name = self.rng.choice([n for n in NAMES if n not in self.known])
            data = self.content(name)
            if self.full_disk:
                self.fill({name: data})
            events = {"mark": threading.Event()}
            upload(modem, self.ufs, name, data, events)
            self.count("uploads to stock the store (not killed)")
            outcome = events.get("upload")
            if outcome == "OK" and "wrong" not in events:
                self.known[name] = data
            elif self.full_disk and outcome in FULL_DISK_CODES and "wrong" not in events:
                self.count(f"uploads answered +CME ERROR: {outcome}")
                return
            else:
                raise Violation(events.get("wrong", f"an upload answered {outcome}"))

    def draw_delay(self, kind, new):
        """The kill instant: within the operation's expected duration, and for half of the
        uploads counted from the last data byte, where the store writes, syncs and renames."""
        size = max((len(d) for d in new.values() if d is not None), default=0)
        if kind in ("delete", "delete_all"):
            return "start", self.rng.uniform(0, 1.5 * self.estimates["delete"])
        if self.rng.random() < 0.5:
            return "last_byte", self.rng.uniform(0, 1.5 * self.estimates["store"])
        total = self.expected(size) + self.estimates["store"]
        if kind == "overwrite":
            total += self.estimates["delete"]
        return "start", self.rng.uniform(0, 1.2 * total)

    def allowed(self, kind, names, new, events):
        """Per name, the contents the store may hold after the kill (None: no file)."""
        old = {n: self.known.get(n) for n in names}
        result = {}
        for name in names:
            if kind in ("delete", "delete_all"):
                done = events.get("delete") == "OK"
                result[name] = [None] if done else [old[name], None]
            elif kind == "upload" or events.get("delete") == "OK":
                outcome = events.get("upload")
                if outcome == "OK":
                    result[name] = [new[name]]
                elif isinstance(outcome, int) or outcome == "ERROR":
                    result[name] = [None]
                else:
                    result[name] = [None, new[name]]
            else:  # an overwrite whose delete was not answered
                result[name] = [old[name], None]
        return result

    def run_one(self, modem):
        kind, names, work, new = self.plan()
        if self.full_disk and kind in ("upload", "overwrite"):
            self.fill(new)
        anchor, delay = self.draw_delay(kind, new)
        events = {"mark": threading.Event()}

        def run_work():
            try:
                work(modem, events)
            except Exception as error:  # a fault of the campaign itself: reported, not hidden
                events["wrong"] = f"the campaign's worker failed: {error!r}"
            finally:
                events["mark"].set()
        worker = threading.Thread(target=run_work, daemon=True)
        worker.start()
        if anchor == "last_byte":
            events["mark"].wait(ANSWER_WAIT)  # set by the last data byte, or by the end
            base = events.get("last_byte", time.monotonic())
            time.sleep(max(0.0, base + delay - time.monotonic()))
        else:
            worker.join(delay)
        killed_at = time.monotonic()
        modem.kill()
        worker.join(ANSWER_WAIT)
        if self.args.verbose:
            t0 = events.get("start", killed_at)
            times = {k: round((v - t0) * 1000, 2) for k, v in events.items()
                     if k in ("last_byte", "end")}
            size = max((len(d) for d in new.values() if d is not None), default=0)
            print(f"  {kind} {size} B: kill at {(killed_at - t0) * 1000:.2f} ms ({anchor} + "
                  f"{delay * 1000:.2f} ms), {times}, answers {events.get('delete')} "
                  f"{events.get('upload')}")
        self.record(kind, anchor, events)
        self.check_answers(kind, events)
        return self.allowed(kind, names, new, events)

    def record(self, kind, anchor, events):
        self.count(f"kills {kind}")
        finished = "end" in events and events.get("upload", events.get("delete")) is not None
        if finished:
            self.count("kills after the answer")
        elif "last_byte" in events:
            self.count("kills between the last byte and the answer")
        else:
            self.count("kills before the answer")
        if finished and "start" in events:
            if kind in ("delete", "delete_all"):
                self.learn("delete", events["end"] - events["start"])
            elif "last_byte" in events:
                self.learn("store", events["end"] - events["last_byte"])
                self.learn_transfer(events)
        if isinstance(events.get("upload"), int):
            self.count(f"uploads answered +CME ERROR: {events['upload']}")

    def learn_transfer(self, events):
        """What an upload costs before the store writes: a fixed part and one per MiB."""
        size, took = events["size"], events["last_byte"] - events["upload_start"]
        if size < 4096:
            self.learn("fixed", took)
        elif size > 256 * 1024:
            self.learn("per_mib", max(0.0, took - self.estimates["fixed"]) / (size / (1 << 20)))

    def check_answers(self, kind, events):
        if "wrong" in events:
            raise Violation(events["wrong"])
        outcome = events.get("upload")
        if isinstance(outcome, int) or outcome == "ERROR":
            if not (self.full_disk and outcome in FULL_DISK_CODES):
                raise Violation(f"{kind}: upload answered {outcome}")
        if events.get("delete") not in (None, "OK"):
            raise Violation(f"{kind}: AT+QFDEL answered {events['delete']}")

    def disk_files(self):
        entries = {}
        for entry in os.listdir(self.ufs):
            if entry == LOCK_NAME:
                continue
            path = os.path.join(self.ufs, entry)
            if entry.startswith(TMP_PREFIX):
                entries[entry] = None
            else:
                with open(path, "rb") as f:
                    entries[entry] = f.read()
        return entries

    def verify(self, files, allowed, where):
        for name, data in files.items():
            if name.startswith(TMP_PREFIX):
                continue
            choices = allowed.get(name, [self.known.get(name)])
            if data not in choices:
                sizes = ["none" if c is None else len(c) for c in choices]
                got = "a file" if data is None else f"{len(data)} bytes"
                raise Violation(f"{where}: {name} holds {got}, not one of {sizes} whole")
        for name in NAMES:
            if name not in files and None not in allowed.get(name, [self.known.get(name)]):
                raise Violation(f"{where}: {name} is missing")

    def lock_holder(self):
        try:
            with open(os.path.join(self.ufs, LOCK_NAME)) as f:
                return f.read().strip()
        except OSError:
            return ""

    def check(self, allowed, killed_pid):
        """After a kill: the disk, then a restart (the lock must not block it), the AT view."""
        before = self.disk_files()
        self.verify(before, allowed, "on disk after the kill")
        temporaries = sum(1 for n in before if n.startswith(TMP_PREFIX))
        self.count("temporaries the kill left on disk", temporaries)
        if self.lock_holder() == str(killed_pid):
            self.count("restarts over a lock file naming the killed process")
        if self.rng.random() < (0.3 if temporaries else 0.05):
            self.kill_restart(allowed)
        began = time.monotonic()
        modem = start(self.args.atcoap, self.ufs, self.log)
        self.learn("restart", time.monotonic() - began)
        try:
            return self.check_restarted(modem, allowed)
        except Violation:
            modem.kill()  # else its lock would rightly refuse the next start
            raise

    def kill_restart(self, allowed):
        """A second kill while atcoap starts, when it removes the temporaries left before."""
        modem = Modem(self.args.atcoap, self.ufs, self.log)
        time.sleep(self.rng.uniform(0, 1.5 * self.estimates["restart"]))
        modem.kill()
        self.count("extra kills while atcoap restarts")
        files = self.disk_files()
        self.verify(files, allowed, "on disk after a kill during the restart")
        if any(n.startswith(TMP_PREFIX) for n in files):
            self.count("extra kills that left temporaries for the next start")

    def check_restarted(self, modem, allowed):
        after = self.disk_files()
        if any(n.startswith(TMP_PREFIX) for n in after):
            raise Violation("a temporary is still on disk after the restart")
        listed = list_files(modem)
        if any(n.startswith(".") for n in listed):
            raise Violation(f"AT+QFLST lists a hidden or temporary file: {sorted(listed)}")
        seen = {name: download(modem, name, size) for name, size in listed.items()}
        self.verify(seen, allowed, "through AT+QFLST/AT+QFDWL")
        if seen != after:
            raise Violation("AT+QFLST/AT+QFDWL and the directory disagree")
        self.known = seen
        return modem

    def run(self, kills):
        begin = time.monotonic()
        modem = start(self.args.atcoap, self.ufs, self.log)
        for number in range(1, kills + 1):
            try:
                self.stock(modem)
                allowed = self.run_one(modem)
                modem = self.check(allowed, modem.proc.pid)
            except Violation as problem:
                self.violations.append(f"kill {number}: {problem}")
                print(f"[{self.label}] VIOLATION at kill {number}: {problem}", flush=True)
                try:
                    modem = self.recover(modem)
                except Violation as fatal:
                    self.violations.append(f"kill {number}: no recovery: {fatal}")
                    print(f"[{self.label}] stopped: {fatal}", flush=True)
                    break
            if number % 100 == 0:
                print(f"[{self.label}] {number} kills, {len(self.violations)} violations, "
                      f"{time.monotonic() - begin:.0f} s", flush=True)
        if modem.proc.poll() is None:
            modem.kill()
        self.log.close()
        self.stats["wall time (s)"] = round(time.monotonic() - begin, 1)

    def recover(self, modem):
        """After a violation: go on from what the store holds now."""
        modem.kill()
        modem = start(self.args.atcoap, self.ufs, self.log)
        listed = list_files(modem)
        self.known = {name: download(modem, name, size) for name, size in listed.items()}
        return modem

    def summary(self):
        print(f"\n== {self.label}: {len(self.violations)} violation(s)")
        for key in sorted(self.stats):
            print(f"  {key}: {self.stats[key]}")
        for violation in self.violations:
            print(f"  VIOLATION {violation}")


def mount_tmpfs(path, size):
    if os.geteuid() != 0:
        return "not root: mounting a tmpfs needs root"
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                             path], capture_output=True, text=True)
    return None if result.returncode == 0 else f"mount failed: {result.stderr.strip()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=1000, help="kills on a roomy disk")
    parser.add_argument("--full-disk-kills", type=int, default=300,
                        help="kills on a small tmpfs (0: skip that part)")
    parser.add_argument("--tmpfs-size", default="6m", help="size of that tmpfs (mount -o size=)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verbose", action="store_true", help="one line per kill")
    parser.add_argument("--atcoap", default="build/atcoap")
    parser.add_argument("--workdir", help="where the --ufs directories go (default: a new one "
                        "under $TMPDIR, removed at the end unless a violation was found)")
    args = parser.parse_args()
    if not os.access(args.atcoap, os.X_OK):
        print(f"kill-campaign: {args.atcoap} is not an executable: build it or give --atcoap",
              file=sys.stderr)
        return 2
    args.atcoap = os.path.abspath(args.atcoap)
    keep = args.workdir is not None
    args.workdir = args.workdir or tempfile.mkdtemp(prefix="atcoap-kill-")
    os.makedirs(args.workdir, exist_ok=True)
    print(f"kill-campaign: seed {args.seed}, {args.kills} kills, then {args.full_disk_kills} "
          f"on a {args.tmpfs_size} tmpfs; directories and logs in {args.workdir}", flush=True)
    campaigns, skipped = [], None
    if args.kills > 0:
        disk = Campaign(args, os.path.join(args.workdir, "ufs"), "disk", False)
        disk.run(args.kills)
        campaigns.append(disk)
    if args.full_disk_kills > 0:
        mountpoint = os.path.join(args.workdir, "tmpfs")
        os.makedirs(mountpoint, exist_ok=True)
        why = mount_tmpfs(mountpoint, args.tmpfs_size)
        if why:
            skipped = f"kill-campaign: SKIPPED the full-disk part ({why})"
            print(skipped, flush=True)
        else:
            try:
                full = Campaign(args, os.path.join(mountpoint, "ufs"), "full-disk", True)
                full.run(args.full_disk_kills)
                campaigns.append(full)
            finally:
                subprocess.run(["umount", mountpoint], check=False)
    for campaign in campaigns:
        campaign.summary()
    violations = sum(len(c.violations) for c in campaigns)
    kills = {k: sum(c.stats.get(f"kills {k}", 0) for c in campaigns) for k in KINDS}
    print(f"\nkill-campaign: {violations} violation(s) in {sum(kills.values())} kills ("
          + ", ".join(f"{k} {n}" for k, n in kills.items()) + ")")
    if skipped:
        print(skipped)
    if violations == 0 and not keep:
        shutil.rmtree(args.workdir, ignore_errors=True)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
