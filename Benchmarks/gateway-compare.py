#!/usr/bin/env python3
"""Two builds of the gateway against each other on its request path without HTTP.

Starts the fixture services (latency 0) from the first build, then in each round runs every build's
`nilecare bench-execute` once per query, in turn, under `perf stat -e task-clock`: a fixed number of
requests through the executor — document cache, loaders, the in-memory resolver cache (or none with
`--uncached`), downstream calls, the response's JSON bytes — after one warm-up request. The table
gives each build's lowest and median CPU milliseconds over the rounds (process start-up included,
the same for both; the fixtures' CPU is not counted). A server under wrk spreads by ±15% between
runs on this 2-core machine; these runs by a few percent, so a change's share shows. Usage:

    Benchmarks/gateway-compare.py [--rounds 5] [--uncached] [--tasks 2] [--queries small:20000,patients:3000] OLD_BIN NEW_BIN

`--tasks 2` runs the requests in two concurrent tasks, each started from its own event loop, as the
server's connections run on two cores: objects every request shares then pay for both cores
touching their counts (before the eighteenth session both tasks ran on one loop).

Both binaries must have `bench-execute` (run from the repository: it reads `Schema/`).
"""
import argparse
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from loopback import free_port_range, wait_ready  # noqa: E402

QUERIES = {
    "small": '{ patient(id: "42") { id firstName lastName email } }',
    "patients": "{ patients(limit: 50) { id firstName appointments { date status provider { lastName } } medications { name dosage } labOrders { test } } }",
}


def task_clock_ms(binary, query, iterations, port, uncached, tasks):
    command = [binary, "bench-execute", "--fixtures-base-port", str(port), "--query", query, "--iterations", str(iterations)]
    if uncached:
        command.append("--uncached")
    if tasks > 1:
        command += ["--tasks", str(tasks)]
    out = subprocess.run(["perf", "stat", "-x,", "-e", "task-clock", *command], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{binary} failed:\n{out.stderr}")
    for line in out.stderr.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2].startswith("task-clock"):
            return float(fields[0])
    sys.exit(f"no task-clock in perf output:\n{out.stderr}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--uncached", action="store_true")
    parser.add_argument("--tasks", type=int, default=1, help="concurrent tasks per process (2: the server's two cores sharing cached objects)")
    parser.add_argument("--queries", default="small:20000,patients:3000")
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    port = free_port_range(5)
    fixtures = subprocess.Popen([args.binaries[0], "fixtures", "serve", "--base-port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(f"http://127.0.0.1:{port}/api/v1/patients?limit=1")
        plan = [(name, int(count)) for name, count in (item.split(":") for item in args.queries.split(","))]
        times = {(binary, name): [] for binary in args.binaries for name, _ in plan}
        for round_number in range(args.rounds):
            order = args.binaries if round_number % 2 == 0 else list(reversed(args.binaries))
            for name, iterations in plan:
                for binary in order:
                    times[(binary, name)].append(task_clock_ms(binary, QUERIES[name], iterations, port, args.uncached, args.tasks))
    finally:
        fixtures.terminate()
        fixtures.wait(timeout=10)
    print("| query | requests | " + " | ".join(f"{os.path.basename(b)} (min / median ms)" for b in args.binaries) + " |")
    print("|---|---:|" + "---:|" * len(args.binaries))
    for name, iterations in plan:
        cells = [f"{min(times[(b, name)]):,.0f} / {statistics.median(times[(b, name)]):,.0f}" for b in args.binaries]
        print(f"| {name}{' (uncached)' if args.uncached else ''} | {iterations:,} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
