#!/usr/bin/env python3
"""Checks docs/deploy/ (docs/FLEET.md, "Past one machine"): the Kubernetes manifest parses and
carries the fields the docs rely on, and the Dockerfile builds as the docs say. Then checks that
each check catches a manifest broken the way it guards against (a check that cannot fail is no
check). Usage: fleet_job_manifest_test.py REPOSITORY_ROOT; exit 0 when all hold."""

import copy
import re
import select
import shlex
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml  # Debian's python3-yaml (scripts/install-deps.sh)

SELECTOR = "app.kubernetes.io/name=atcoap-fleet"  # what FLEET.md gives kubectl logs -l
SHARD = re.compile(r"^\$(\(JOB_COMPLETION_INDEX\)|\{JOB_COMPLETION_INDEX\}|JOB_COMPLETION_INDEX)/(\d+)$")


def shell_script(container):
    """The script of a container that runs `sh -c SCRIPT`, or None."""
    words = list(container.get("command") or []) + list(container.get("args") or [])
    if len(words) >= 3 and words[0] in ("sh", "/bin/sh") and words[1] == "-c":
        return words[2]
    return None


def command_words(container):
    """The container's command and args as words; a `sh -c SCRIPT` is split like the shell."""
    script = shell_script(container)
    if script is not None:
        return shlex.split(script.replace("\\\n", " "))
    words = list(container.get("command") or []) + list(container.get("args") or [])
    return [str(word) for word in words]


def value_after(words, option):
    return words[words.index(option) + 1] if option in words[:-1] else None


def job_problems(job):
    """What is wrong with the Job for the docs; an empty list when nothing is."""
    problems = []
    if job.get("apiVersion") != "batch/v1" or job.get("kind") != "Job":
        return ["not a batch/v1 Job"]
    spec = job.get("spec") or {}
    if spec.get("completionMode") != "Indexed":
        problems.append("completionMode is not Indexed")
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    if not isinstance(completions, int) or completions < 1 or completions != parallelism:
        problems.append(f"completions ({completions}) and parallelism ({parallelism}) differ")
    if spec.get("backoffLimit") != 0:
        problems.append("backoffLimit is not 0 (a rerun shard would be merged twice)")
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    key, value = SELECTOR.split("=")
    if labels.get(key) != value:
        problems.append(f"the pods do not carry the label {SELECTOR}")
    pod = template.get("spec") or {}
    if pod.get("restartPolicy") != "Never":
        problems.append("restartPolicy is not Never")
    containers = pod.get("containers") or []
    if len(containers) != 1:
        return problems + ["not exactly one container"]
    container = containers[0]
    words = command_words(container)
    if "fleet" not in words:
        problems.append("the container does not run `atcoap fleet`")
    shard = SHARD.match(value_after(words, "--shard") or "")
    if not shard:
        problems.append("--shard is not JOB_COMPLETION_INDEX/N")
    elif int(shard.group(2)) != completions:
        problems.append(f"--shard's N ({shard.group(2)}) is not completions ({completions})")
    # Both put the JSON lines alone on standard output (the summary then goes to standard error),
    # so that `kubectl logs` is JSON lines only.
    if value_after(words, "--json") not in ("-", "/dev/stdout"):
        problems.append("--json is not - (standard output)")
    resources = container.get("resources") or {}
    for kind in ("requests", "limits"):
        if set((resources.get(kind) or {}).keys()) != {"cpu", "memory"}:
            problems.append(f"resources.{kind} does not give cpu and memory")
    return problems


def dockerfile_problems(text):
    problems = []
    bases = re.findall(r"^FROM\s+(\S+)", text, re.M)
    if not bases or not all(base.startswith("debian:12") for base in bases):
        problems.append(f"not built on Debian 12 alone: {bases}")
    if "scripts/install-deps.sh" not in text:
        problems.append("does not install with scripts/install-deps.sh")
    if not re.search(r"^USER\s+(?!root|0\b)\S+", text, re.M):
        problems.append("runs as root")
    if not re.search(r'^ENTRYPOINT\s+\["[^"]*atcoap"\]', text, re.M):
        problems.append("ENTRYPOINT is not atcoap")
    return problems


def broken_copies(job):
    """Manifests each broken in one way the checks guard against."""
    def edit(change):
        broken = copy.deepcopy(job)
        change(broken)
        return broken
    container = lambda j: j["spec"]["template"]["spec"]["containers"][0]
    def replace(old, new):
        def change(j):
            args = container(j)["args"]
            assert any(old in arg for arg in args), old
            container(j)["args"] = [arg.replace(old, new) for arg in args]
        return change
    shard_of_three = replace("JOB_COMPLETION_INDEX}/4", "JOB_COMPLETION_INDEX}/3")
    json_to_file = replace("--json -", "--json /tmp/out.jsonl")
    return {
        "NonIndexed": edit(lambda j: j["spec"].update(completionMode="NonIndexed")),
        "parallelism": edit(lambda j: j["spec"].update(parallelism=j["spec"]["completions"] + 1)),
        "shard N": edit(shard_of_three),
        "json file": edit(json_to_file),
        "no limits": edit(lambda j: container(j)["resources"].pop("limits")),
        "label": edit(lambda j: j["spec"]["template"]["metadata"].update(labels={})),
        "fixed shard": edit(replace("${JOB_COMPLETION_INDEX}/4", "0/4")),
    }


STUB = """#!/bin/sh
printf '%s\\n' "$@" > "$STUB_ARGS"
if [ "$STUB_MODE" = term ]; then
    sleep 30 &
    trap 'kill $!; echo got-term; exit 0' TERM
    echo ready
    wait
    exit 9
fi
exit "$STUB_MODE"
"""


def run_script(script, mode, index, bound=10):
    """Runs the container's script with a stub atcoap on PATH; (exit code, stub's arguments,
    output). Mode `term`: the shell gets SIGTERM once the stub runs."""
    with tempfile.TemporaryDirectory() as directory:
        stub = Path(directory) / "atcoap"
        stub.write_text(STUB)
        stub.chmod(0o755)
        env = {"PATH": f"{directory}:/usr/bin:/bin", "JOB_COMPLETION_INDEX": str(index),
               "STUB_MODE": mode, "STUB_ARGS": str(Path(directory) / "args")}
        shell = subprocess.Popen(["sh", "-c", script], env=env, stdout=subprocess.PIPE, text=True)
        output = ""
        if mode == "term":
            ready, _, _ = select.select([shell.stdout], [], [], bound)
            output = shell.stdout.readline() if ready else ""
            shell.send_signal(signal.SIGTERM)
        try:
            output += shell.communicate(timeout=bound)[0]
        except subprocess.TimeoutExpired:
            shell.kill()
            shell.communicate()
            return None, [], output
        arguments = (Path(directory) / "args").read_text().split("\n")[:-1]
        return shell.returncode, arguments, output


def script_problems(job):
    """What the container's shell does wrong with a stub atcoap: the shard's index, the exit
    codes it passes on, SIGTERM passed on to atcoap."""
    script = shell_script(job["spec"]["template"]["spec"]["containers"][0])
    if script is None:
        return []
    problems = []
    for mode, expected in (("0", 0), ("1", 0), ("2", 2), ("3", 3)):
        code, arguments, _ = run_script(script, mode, 2)
        if code != expected:
            problems.append(f"atcoap's exit code {mode} became {code}, expected {expected}")
        if value_after(arguments, "--shard") != f"2/{job['spec']['completions']}":
            problems.append(f"pod 2 ran --shard {value_after(arguments, '--shard')}")
    code, _, output = run_script(script, "term", 0)
    if code != 0 or "got-term" not in output:
        problems.append(f"SIGTERM was not passed on to atcoap (exit {code}, output {output!r})")
    return problems


def main(root):
    root = Path(root)
    failures = []
    documents = [d for d in yaml.safe_load_all((root / "docs/deploy/fleet-job.yaml").read_text()) if d]
    jobs = [d for d in documents if d.get("kind") == "Job"]
    if len(jobs) != 1:
        sys.exit(f"fleet-job.yaml: {len(jobs)} Jobs, expected 1")
    failures += [f"fleet-job.yaml: {p}" for p in job_problems(jobs[0]) + script_problems(jobs[0])]
    failures += [f"Dockerfile: {p}" for p in dockerfile_problems((root / "docs/deploy/Dockerfile").read_text())]
    fleet_md = (root / "docs/FLEET.md").read_text()
    for needed in (SELECTOR, "docs/deploy/fleet-job.yaml", "atcoap fleet merge", "JOB_COMPLETION_INDEX"):
        if needed not in fleet_md:
            failures.append(f"FLEET.md does not mention {needed}")
    if "grep '^{'" in fleet_md:
        failures.append("FLEET.md still filters the pods' logs: they are JSON lines only")
    for name, broken in broken_copies(jobs[0]).items():
        if not job_problems(broken):
            failures.append(f"self-test: a manifest broken by '{name}' passes the checks")
    broken_shell = copy.deepcopy(jobs[0])
    container = broken_shell["spec"]["template"]["spec"]["containers"][0]
    container["args"] = [arg.replace("code=0", "code=1") for arg in container["args"]]
    if shell_script(container) is not None and not script_problems(broken_shell):
        failures.append("self-test: a script that fails on exit code 1 passes the checks")
    if not dockerfile_problems("FROM ubuntu:24.04\nUSER root\n"):
        failures.append("self-test: a root Ubuntu Dockerfile passes the checks")
    for failure in failures:
        print(failure)
    print("fleet-job.yaml, Dockerfile, FLEET.md:", "FAILED" if failures else "ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
