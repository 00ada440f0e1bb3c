#!/usr/bin/env python3
"""Resolver-cache benchmark (issue 4): one run, loopback only, bounded.

Starts two redis-servers, the fixture services with 20 ms latency, and three gateways from the
release build: cache off, Redis only, and Redis behind the in-process L1 (kept coherent by Redis
client tracking). Measures, for a three-level patient query:
- latency of uncached vs cached answers (median and p99 over sequential requests);
- the hit rate over a Zipf-distributed mix of patients (s = 1.1, seeded), from the receipts;
- Redis round trips per query (MGET calls, from INFO commandstats) against loader batches.
Prints a Markdown table. Usage: Benchmarks/cache/run.py [--binary .build/release/nilecare]
"""
import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from loopback import free_port, free_port_range, wait_ready  # noqa: E402

QUERY = """query ($id: ID!) { patient(id: $id) { id firstName
  appointments { date status provider { lastName } } medications { name dosage } labOrders { test } } }"""


def redis_info(port):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"INFO commandstats\r\n")
        data = b""
        while not data.endswith(b"\r\n") or data.count(b"\r\n") < 3:
            data += s.recv(65536)
            if data.startswith(b"$"):
                length = int(data[1:data.index(b"\r\n")])
                if len(data) >= data.index(b"\r\n") + 2 + length:
                    break
    stats = {}
    for line in data.decode().splitlines():
        if line.startswith("cmdstat_"):
            name, rest = line[len("cmdstat_"):].split(":", 1)
            stats[name] = int(rest.split(",")[0].split("=")[1])
    return stats


TOKEN = None  # a development clinician token, from `nilecare token`


def timed(session, url, variables, receipts=None):
    started = time.perf_counter()
    response = session.post(url, json={"query": QUERY, "variables": variables},
                            headers={"X-NileCare-Receipt": "1", "Authorization": f"Bearer {TOKEN}"}, timeout=10)
    elapsed = (time.perf_counter() - started) * 1000
    body = response.json()
    assert "errors" not in body, body["errors"]
    if receipts is not None:
        receipts.append(body["extensions"]["receipt"])
    return elapsed


def p99(values):
    return sorted(values)[max(0, int(len(values) * 0.99) - 1)]


def zipf_mix(session, url, redis_port, count):
    """Hit rate, latency and Redis MGETs over a seeded Zipf mix of patients, on a cold cache."""
    rng = random.Random(7)
    weights = [1 / (k ** 1.1) for k in range(1, 1001)]
    ids = rng.choices(range(1, 1001), weights=weights, k=count)
    before = redis_info(redis_port)
    receipts = []
    mix_ms = [timed(session, url, {"id": str(i)}, receipts) for i in ids]
    after = redis_info(redis_port)
    hits = sum(r["cache"]["hits"] for r in receipts)
    misses = sum(r["cache"]["misses"] for r in receipts)
    batches = sum(r["batches"] for r in receipts)
    mgets = after.get("mget", 0) - before.get("mget", 0)
    return hits / max(1, hits + misses), statistics.median(mix_ms), mgets / count, batches / count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/nilecare")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    global TOKEN
    TOKEN = subprocess.run([args.binary, "token", "--role", "clinician", "--subject", "dr-bench"],
                           capture_output=True, text=True, check=True).stdout.strip()
    redis_port, redis_l1_port, fixtures_port = free_port(), free_port(), free_port_range(5)
    plain_port, cached_port, tiered_port = free_port(), free_port(), free_port()
    processes = []
    try:
        for port in (redis_port, redis_l1_port):
            processes.append(subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                               "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL))
        processes.append(subprocess.Popen([args.binary, "fixtures", "serve", "--base-port", str(fixtures_port),
                                           "--latency-ms", "20"], stdout=subprocess.DEVNULL))
        services = [f"--service={name}=http://127.0.0.1:{fixtures_port + i}"
                    for i, name in enumerate(["clinical", "business", "medication", "lab", "insurance"])]
        processes.append(subprocess.Popen([args.binary, "serve", "--port", str(plain_port), "--cache", "off",
                                           "--audit-log", "off", *services],
                                          stdout=subprocess.DEVNULL))
        # Redis only, and Redis with the in-process L1 kept coherent by client tracking (the default).
        processes.append(subprocess.Popen([args.binary, "serve", "--port", str(cached_port), "--cache-l1-entries", "0", "--audit-log", "off",
                                           "--redis", f"redis://127.0.0.1:{redis_port}", *services], stdout=subprocess.DEVNULL))
        processes.append(subprocess.Popen([args.binary, "serve", "--port", str(tiered_port), "--audit-log", "off",
                                           "--redis", f"redis://127.0.0.1:{redis_l1_port}", *services], stdout=subprocess.DEVNULL))
        for port in (plain_port, cached_port, tiered_port):
            wait_ready(f"http://127.0.0.1:{port}/ready")
        session = requests.Session()
        plain, cached, tiered = (f"http://127.0.0.1:{port}/graphql" for port in (plain_port, cached_port, tiered_port))
        # Latency: the same patient, uncached vs cached (after warming requests).
        uncached_ms = [timed(session, plain, {"id": "42"}) for _ in range(60)]
        for url in (cached, tiered):
            for _ in range(3):
                timed(session, url, {"id": "42"})
        cached_ms = [timed(session, cached, {"id": "42"}) for _ in range(300)]
        tiered_ms = [timed(session, tiered, {"id": "42"}) for _ in range(300)]
        redis_mix = zipf_mix(session, cached, redis_port, args.requests)
        tiered_mix = zipf_mix(session, tiered, redis_l1_port, args.requests)
        um, cm, tm = statistics.median(uncached_ms), statistics.median(cached_ms), statistics.median(tiered_ms)
        print("| measure | Redis only | Redis + L1 |")
        print("|---|---:|---:|")
        print(f"| uncached latency, median / p99 (ms) | {um:.2f} / {p99(uncached_ms):.2f} | (same) |")
        print(f"| cached latency, median / p99 (ms) | {cm:.2f} / {p99(cached_ms):.2f} | {tm:.2f} / {p99(tiered_ms):.2f} |")
        print(f"| cached below uncached (median) | {100 * (1 - cm / um):.1f}% | {100 * (1 - tm / um):.1f}% |")
        print(f"| Zipf mix ({args.requests} requests, s=1.1 over 1,000 patients): key hit rate "
              f"| {100 * redis_mix[0]:.1f}% | {100 * tiered_mix[0]:.1f}% |")
        print(f"| Zipf mix: median latency (ms) | {redis_mix[1]:.2f} | {tiered_mix[1]:.2f} |")
        print(f"| Redis MGET round trips per query / loader batches per query "
              f"| {redis_mix[2]:.2f} / {redis_mix[3]:.2f} | {tiered_mix[2]:.2f} / {tiered_mix[3]:.2f} |")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
