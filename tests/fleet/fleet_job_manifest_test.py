#!/usr/bin/env python3
"""Checks docs/deploy/ (docs/FLEET.md, "Past one machine"): the Kubernetes manifest parses and
carries the fields the docs rely on, and the Dockerfile builds as the docs say. Then checks that
each check catches a manifest broken the way it guards against (a check that cannot fail is no
check). Usage: fleet_job_manifest_test.py REPOSITORY_ROOT; exit 0 when all hold."""

import copy
import re
import shlex
import sys
from pathlib import Path

import yaml  # Debian's python3-yaml (scripts/install-deps.sh)

SELECTOR = "app.kubernetes.io/name=atcoap-fleet"  # what FLEET.md gives kubectl logs -l
SHARD = re.compile(r"^\$(\(JOB_COMPLETION_INDEX\)|\{JOB_COMPLETION_INDEX\}|JOB_COMPLETION_INDEX)/(\d+)$")


def command_words(container):
    """The container's command and args as words; a `sh -c SCRIPT` is split like the shell."""
    words = list(container.get("command") or []) + list(container.get("args") or [])
    if len(words) >= 3 and words[0] in ("sh", "/bin/sh", "bash") and words[1] == "-c":
        return shlex.split(words[2])
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
    if value_after(words, "--json") != "/dev/stdout":
        problems.append("--json is not /dev/stdout")
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
    def shard_of_three(j):
        args = container(j)["args"]
        args[args.index("--shard") + 1] = "$(JOB_COMPLETION_INDEX)/3"
    def json_to_file(j):
        args = container(j)["args"]
        args[args.index("--json") + 1] = "/tmp/out.jsonl"
    return {
        "NonIndexed": edit(lambda j: j["spec"].update(completionMode="NonIndexed")),
        "parallelism": edit(lambda j: j["spec"].update(parallelism=j["spec"]["completions"] + 1)),
        "shard N": edit(shard_of_three),
        "json file": edit(json_to_file),
        "no limits": edit(lambda j: container(j)["resources"].pop("limits")),
        "label": edit(lambda j: j["spec"]["template"]["metadata"].update(labels={})),
    }


def main(root):
    root = Path(root)
    failures = []
    documents = [d for d in yaml.safe_load_all((root / "docs/deploy/fleet-job.yaml").read_text()) if d]
    jobs = [d for d in documents if d.get("kind") == "Job"]
    if len(jobs) != 1:
        sys.exit(f"fleet-job.yaml: {len(jobs)} Jobs, expected 1")
    failures += [f"fleet-job.yaml: {p}" for p in job_problems(jobs[0])]
    failures += [f"Dockerfile: {p}" for p in dockerfile_problems((root / "docs/deploy/Dockerfile").read_text())]
    fleet_md = (root / "docs/FLEET.md").read_text()
    for needed in (SELECTOR, "docs/deploy/fleet-job.yaml", "atcoap fleet merge", "JOB_COMPLETION_INDEX"):
        if needed not in fleet_md:
            failures.append(f"FLEET.md does not mention {needed}")
    for name, broken in broken_copies(jobs[0]).items():
        if not job_problems(broken):
            failures.append(f"self-test: a manifest broken by '{name}' passes the checks")
    if not dockerfile_problems("FROM ubuntu:24.04\nUSER root\n"):
        failures.append("self-test: a root Ubuntu Dockerfile passes the checks")
    for failure in failures:
        print(failure)
    print("fleet-job.yaml, Dockerfile, FLEET.md:", "FAILED" if failures else "ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
