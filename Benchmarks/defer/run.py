#!/usr/bin/env python3
"""@defer: time to the first part against the whole response, with the medication service at 500 ms
(issue 16's example). Starts the fixture services and a gateway (release build, cache off) on loopback,
sets the medication service's latency, and times ten requests of each kind, one at a time.

    python3 Benchmarks/defer/run.py [--binary .build-release/release/nilecare] [--latency-ms 500]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from loopback import free_port, free_port_range, wait_ready  # noqa: E402

QUERY = '{ patient(id: "42") { id firstName lastName ... @defer { medications { name dosage } } } }'


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build-release/release/nilecare")
    parser.add_argument("--latency-ms", type=int, default=500)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    fixtures, port = free_port_range(5), free_port()
    names = ["clinical", "business", "medication", "lab", "insurance"]
    processes = [subprocess.Popen([args.binary, "fixtures", "serve", "--base-port", str(fixtures)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)]
    try:
        for offset in range(5):
            wait_ready(f"http://127.0.0.1:{fixtures + offset}/__stats")
        services = [f"--service={name}=http://127.0.0.1:{fixtures + i}" for i, name in enumerate(names)]
        processes.append(subprocess.Popen([args.binary, "serve", "--port", str(port), "--audit-log", "off", "--cache", "off", *services],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        url = f"http://127.0.0.1:{port}/graphql"
        wait_ready(f"http://127.0.0.1:{port}/ready")
        requests.post(f"http://127.0.0.1:{fixtures + 2}/__faults", json={"latencyMs": args.latency_ms}, timeout=5).raise_for_status()
        token = subprocess.run([args.binary, "token"], capture_output=True, text=True, check=True).stdout.strip()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        first, whole_deferred, whole_plain = [], [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            with requests.post(url, json={"query": QUERY}, headers={**headers, "Accept": "multipart/mixed"}, stream=True, timeout=30) as response:
                seen, first_seen = b"", None
                for chunk in response.iter_content(chunk_size=None):
                    seen += chunk
                    if first_seen is None and b'"hasNext":true' in seen:
                        first_seen = time.perf_counter() - started
                first.append(first_seen)
                assert seen.endswith(b"\r\n-----\r\n"), seen[-200:]
            whole_deferred.append(time.perf_counter() - started)
            started = time.perf_counter()
            plain = requests.post(url, json={"query": QUERY}, headers={**headers, "Accept": "application/json"}, timeout=30).json()
            assert plain["data"]["patient"]["medications"], plain
            whole_plain.append(time.perf_counter() - started)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
    ms = lambda values: statistics.median(values) * 1000  # noqa: E731
    print(f"medication service at {args.latency_ms} ms; median of {args.runs} requests, one at a time\n")
    print("| response | median (ms) |\n|---|---:|")
    print(f"| first part (patient, without the deferred medications) | {ms(first):.1f} |")
    print(f"| all parts (the deferred medications delivered) | {ms(whole_deferred):.1f} |")
    print(f"| the same query without multipart (everything at once) | {ms(whole_plain):.1f} |")


if __name__ == "__main__":
    main()
