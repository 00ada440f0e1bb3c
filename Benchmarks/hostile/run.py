"""CPU each of the worst document shapes costs a release gateway, from request to answer: the
process's user+system time (from /proc) over N sends of a shape, divided by N. Run twice: with
the default limits (what shape limits refuse before validation) and with the limits raised out of
the way (what validation's own bounds hold). Target: every shape under 100 ms of CPU.

    make bench-hostile            (python3 Benchmarks/hostile/run.py --binary .build/release/nilecare)
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "Tests", "interop"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
from process_cpu import cpu_seconds  # noqa: E402
from shapes import SHAPES  # noqa: E402


def measure(gateway, repeats):
    token = gateway.token("admin")
    rows = []
    for name, query in SHAPES.items():
        gateway.graphql(query, token)  # warm: the first send parses and validates, later ones may hit the document cache
        started_cpu = cpu_seconds(gateway.process.pid)
        started = time.time()
        for _ in range(repeats):
            response = gateway.graphql(query + " " * (_ % 2), token)  # two texts: half the sends miss the document cache
        wall = (time.time() - started) / repeats
        cpu = (cpu_seconds(gateway.process.pid) - started_cpu) / repeats
        errors = response.json().get("errors", [])
        outcome = errors[-1]["message"][:70] if errors else "data"
        rows.append((name, len(query), cpu * 1000, wall * 1000, len(errors), outcome))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/nilecare")
    parser.add_argument("--repeats", type=int, default=20)
    arguments = parser.parse_args()
    os.environ["NILECARE"] = arguments.binary
    from gateways import Gateway  # noqa: E402 (reads NILECARE)
    for label, flags in [("default limits", []), ("limits raised", ["--max-root-fields", "100000", "--max-aliases", "100000",
                                                                     "--max-cost", "1000000000", "--max-depth", "100"])]:
        gateway = Gateway(*flags, name="bench-hostile")
        try:
            print(f"\n{label}: CPU per request (ms), wall per request (ms), errors, outcome")
            print("| shape | bytes | CPU ms | wall ms | errors | answer |\n|---|---|---|---|---|---|")
            for name, size, cpu, wall, errors, outcome in measure(gateway, arguments.repeats):
                print(f"| {name} | {size} | {cpu:.1f} | {wall:.1f} | {errors} | {outcome} |")
        finally:
            gateway.stop()


if __name__ == "__main__":
    main()
