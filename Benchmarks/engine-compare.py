#!/usr/bin/env python3
"""Two builds of our engine against each other on one phase, as BENCHMARKS.md's per-change rows.

Each round runs every build once per document, in turn, under `perf stat -e task-clock`, with a
fixed number of iterations of one phase (`BENCH_ONLY`, `BENCH_PHASE`, `BENCH_ITERATIONS`,
`BENCH_OURS_ONLY=1`); the table gives each build's lowest and median CPU milliseconds over the
rounds (process start-up included, the same for both). Interleaving the builds within each round
keeps this noisy 2-core machine's slow and fast phases from favouring either. Usage:

    Benchmarks/engine-compare.py --phase full --docs c_introspection:4000,d_kitchen_sink:3000 OLD_BIN NEW_BIN

Build each with `cd Benchmarks && swift build -c release --scratch-path ../.build-bench` and copy
`../.build-bench/release/EngineBenchmarks` aside before changing the engine. Phases: parse,
validate, execute (plans kept), compile+execute (plans compiled per run), full, serialize.
"""
import argparse
import os
import statistics
import subprocess
import sys

WORKLOAD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Workload")


def task_clock_ms(binary, document, phase, iterations):
    env = dict(os.environ, BENCH_ONLY=document, BENCH_PHASE=phase, BENCH_OURS_ONLY="1", BENCH_ITERATIONS=str(iterations))
    run = subprocess.run(["perf", "stat", "-x,", "-e", "task-clock", binary, WORKLOAD], env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"{binary} failed on {document}/{phase}:\n{run.stderr[-2000:]}")
    for line in run.stderr.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2] == "task-clock":
            return float(fields[0])
    sys.exit(f"no task-clock in perf's output for {binary}:\n{run.stderr[-2000:]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phase", required=True)
    parser.add_argument("--docs", required=True, help="document:iterations, comma-separated")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    documents = [(spec.split(":")[0], int(spec.split(":")[1])) for spec in args.docs.split(",")]
    print(f"| document | iterations | {' | '.join(os.path.basename(b) + ' (min / median ms)' for b in args.binaries)} |")
    print("|---|---:|" + "---:|" * len(args.binaries))
    for document, iterations in documents:
        samples = {binary: [] for binary in args.binaries}
        for _ in range(args.rounds):
            for binary in args.binaries:
                samples[binary].append(task_clock_ms(binary, document, args.phase, iterations))
        cells = [f"{min(samples[b]):.0f} / {statistics.median(samples[b]):.0f}" for b in args.binaries]
        print(f"| {document} | {iterations:,} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
