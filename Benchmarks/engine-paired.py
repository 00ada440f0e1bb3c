#!/usr/bin/env python3
"""Our engine against graphql-js, decided by paired runs on a noisy machine.

Two processes measured minutes apart on this 2-core machine differ by up to 1.7x on the same work,
so one run of each engine cannot decide a 2x or a 10x goal. Here the two engines run in
alternating short processes, one document at a time: a round runs, for each document, our
`EngineBenchmarks` and graphql-js's own harness (`bench_graphql_js.mjs`, unmodified) back to
back, in an order that alternates between rounds so that drift favours neither. Each round gives a
ratio per document and phase from two runs seconds apart; the table reports the median of those
ratios over the rounds, with the lowest and highest, and each engine's median rate.

Each run warms up for one sample's length before its samples (3 x 400 ms by default): with one
300 ms sample after 300 ms of warm-up, graphql-js read 20-25% below its own harness's defaults
(its JIT still at work), which would flatter us.

Usage: Benchmarks/engine-paired.py [--bench BIN] [--workload DIR] [--rounds N] [--samples N]
                                   [--sample-ms MS] [--only a_small,...] [--json OUT]
BIN is the release EngineBenchmarks (`make bench` builds it into .build-bench/release).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCUMENTS = ["a_small", "b_medium", "c_introspection", "d_kitchen_sink"]
PHASES = [("parse", "parse"), ("validate", "validate"), ("execute", "execute"), ("graphql", "full")]


def rates_from(path):
    """{document: {phase: ops/s}} from a harness's JSON (both engines write the same shape)."""
    rows = json.loads(Path(path).read_text())["results"]
    return {
        row["query"]: {phase: row[phase]["median_ops_per_s"] for phase, _ in PHASES if phase in row}
        for row in rows
    }


def run_ours(args, document, out):
    environment = dict(os.environ, BENCH_ONLY=document, BENCH_OURS_ONLY="1")
    subprocess.run(
        [args.bench, str(args.swift_workload), "--samples", str(args.samples), "--sample-ms", str(args.sample_ms), "--json", out],
        env=environment, cwd=HERE, check=True, stdout=subprocess.DEVNULL)
    return rates_from(out)[document]


def run_graphql_js(args, document, out):
    subprocess.run(
        ["node", str(args.workload / "bench_graphql_js.mjs"), "--root", str(args.workload), "--only", document,
         "--samples", str(args.samples), "--sample-ms", str(args.sample_ms), "--warmup-ms", str(args.sample_ms),
         "--json", out],
        check=True, stdout=subprocess.DEVNULL)
    return rates_from(out)[document]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", default=str(HERE.parent / ".build-bench/release/EngineBenchmarks"))
    parser.add_argument("--workload", type=Path, default=Path(os.environ.get("BENCH_WORKLOAD_DIR", HERE.parent.parent / "shared/bench-workload")))
    parser.add_argument("--swift-workload", type=Path, default=HERE / "Workload", help="our copy of the workload (same files)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--samples", type=int, default=3, help="timed samples per phase per run (the run reports their median)")
    parser.add_argument("--sample-ms", type=int, default=400, help="sample length and warm-up per phase (shorter runs underrate graphql-js: its JIT is still warming)")
    parser.add_argument("--only", default=",".join(DOCUMENTS))
    parser.add_argument("--json", help="also write every round's rates and ratios here")
    args = parser.parse_args()
    documents = [d for d in args.only.split(",") if d]
    unknown = [d for d in documents if d not in DOCUMENTS]
    if unknown:
        sys.exit(f"unknown documents: {unknown}")

    rounds = []  # per round: {document: {"ours": {phase: rate}, "graphql-js": {...}}}
    with tempfile.TemporaryDirectory() as scratch:
        ours_out, js_out = f"{scratch}/ours.json", f"{scratch}/js.json"
        for index in range(args.rounds):
            measured = {}
            for document in documents:
                runs = [("ours", run_ours), ("graphql-js", run_graphql_js)]
                if index % 2:
                    runs.reverse()
                measured[document] = {name: run(args, document, ours_out if name == "ours" else js_out) for name, run in runs}
            rounds.append(measured)
            print(f"round {index + 1}/{args.rounds} done", file=sys.stderr)

    print(f"Paired runs: {args.rounds} rounds; per round and document, one process of each engine back to back "
          f"(order alternating), {args.samples} samples x {args.sample_ms} ms per phase.")
    print()
    print("| document | phase | NileCare (ops/s, median) | graphql-js 16 (ops/s, median) | ratio: median of rounds | lowest | highest |")
    print("|---|---|---:|---:|---:|---:|---:|")
    summary = {}
    for document in documents:
        for js_phase, phase in PHASES:
            ours = [r[document]["ours"][js_phase] for r in rounds]
            theirs = [r[document]["graphql-js"][js_phase] for r in rounds]
            ratios = sorted(o / t for o, t in zip(ours, theirs))
            median_ratio = statistics.median(ratios)
            summary.setdefault(document, {})[phase] = {"ratio_median": median_ratio, "ratios": ratios, "ours": ours, "graphql_js": theirs}
            print(f"| {document} | {phase} | {statistics.median(ours):,.0f} | {statistics.median(theirs):,.0f} | "
                  f"**{median_ratio:.1f}×** | {ratios[0]:.1f}× | {ratios[-1]:.1f}× |")
    if args.json:
        Path(args.json).write_text(json.dumps({"rounds": args.rounds, "samples": args.samples, "sample_ms": args.sample_ms, "results": summary}, indent=2))


if __name__ == "__main__":
    main()
