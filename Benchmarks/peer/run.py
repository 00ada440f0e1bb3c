#!/usr/bin/env python3
"""The gateway against a Node peer (`../shared/peer-gateway`: graphql-js with per-request
dataloader-style loaders), same fixture services at 0 ms, same wrk settings, in one run.

Starts the fixture services, the gateway (release build) uncached (`--cache off`) and cached, and
the peer; loads each case with wrk -t1 -c32; reports requests/s and each server's CPU per request
(user+system time of its process from /proc over the run, divided by the requests), then stops
everything. A floor row loads the uncached gateway's `POST /__bench/relay` (the same server making
the small query's one downstream call through the same HTTP client, the answer relayed unread): what
the small query costs before any GraphQL, JSON or gateway work. Installs Debian's nodejs and node-graphql when they are missing (the peer needs them).

This machine's speed drifts by tens of percent within minutes (the same binary's CPU per request
moved 30-40% between two runs back to back), so one pass compares cases measured a minute apart.
Every case therefore runs once per round (`--rounds`, 3 by default), the peer right before the
gateway on each query; each ratio is taken within its round, and the summary gives each ratio's
median with its lowest and highest round. The table gives each case's median over the rounds.
Usage: Benchmarks/peer/run.py [--binary .build-release/release/nilecare] [--seconds 6] [--rounds 3] [--peer DIR]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
from loopback import free_port, free_port_range, wait_ready  # noqa: E402
from process_cpu import cpu_seconds  # noqa: E402

SMALL = '{ patient(id: "42") { id firstName lastName email } }'
NESTED = ('{ patients(limit: 50) { id firstName appointments { date status provider { lastName } } '
          'medications { name dosage } labOrders { test } } }')
# The 50 patients with their coverage and claims from the insurance subgraph (issue 20): the gateway
# only (the peer has no subgraph sources), against the same query without them.
WITH_COVERAGE = NESTED.replace("labOrders { test }", "labOrders { test } coverage { payer planName status } claims { status amountCents }")
def ensure_node():
    if shutil.which("node") and os.path.exists("/usr/share/nodejs/graphql/index.mjs"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "nodejs", "node-graphql"], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, stdout=subprocess.DEVNULL)


def wait_answering(url, timeout=60):
    """Waits until a GraphQL endpoint answers a POST (the peer serves no readiness endpoint)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.post(url, json={"query": "{ __typename }"}, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit(f"not answering: {url}")


def wrk(url, body, token, seconds, connections=32):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
    if token:
        script.write(f'wrk.headers["Authorization"] = "Bearer {token}"\n')
    script.write("wrk.body = [[%s]]\n" % body)
    script.close()
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script.name, url],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    requests_done = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} failed responses\n{out}")
    return requests_done, requests_done / seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build-release/release/nilecare")
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--peer", default=os.path.join(HERE, "..", "..", "..", "shared", "peer-gateway"))
    args = parser.parse_args()
    ensure_node()
    token = subprocess.run([args.binary, "token", "--role", "clinician"], capture_output=True, text=True, check=True).stdout.strip()
    fixtures = free_port_range(5)
    names = ["clinical", "business", "medication", "lab", "insurance"]
    processes = []

    def start(command, env=None):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        processes.append(process)
        return process

    def gateway(*extra, env=None):
        port = free_port()
        services = [f"--service={name}=http://127.0.0.1:{fixtures + i}" for i, name in enumerate(names)]
        process = start([args.binary, "serve", "--port", str(port), "--audit-log", "off", "--max-downstream-calls", "500",
                         "--max-cost", "10000000", *services, *extra], env=env)
        wait_ready(f"http://127.0.0.1:{port}/ready")
        return f"http://127.0.0.1:{port}/graphql", process

    labels = []  # in the order first measured
    rounds = []  # per round: {key: (label, requests/s, CPU µs per request)}
    try:
        start([args.binary, "fixtures", "serve", "--base-port", str(fixtures)])
        uncached = gateway("--cache", "off", "--benchmark-endpoints")
        cached = gateway()
        # The same binary with Swift's default executor (tasks off NIO's event loops), for comparison.
        swift_pool = gateway("--cache", "off", env={**os.environ, "NILECARE_EXECUTOR": "swift"})
        peer_port = free_port()
        peer_command = ["node", os.path.join(args.peer, "peer_gateway.mjs"), "--port", str(peer_port)]
        for i, name in enumerate(names):
            peer_command += ["--service", f"{name}=http://127.0.0.1:{fixtures + i}"]
        peer_process = start(peer_command)
        peer = (f"http://127.0.0.1:{peer_port}/graphql", peer_process)
        wait_answering(f"http://127.0.0.1:{peer_port}/graphql")
        for query in (SMALL, NESTED):  # the same data from both
            ours = requests.post(uncached[0], json={"query": query}, headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
            theirs = requests.post(peer[0], json={"query": query}, timeout=30).json()
            assert ours.get("data") == theirs.get("data") and ours["data"], (query, ours, theirs)

        def case(results, key, label, server, query, token_needed, warm):
            url, process = server
            body = '{"query":"%s"}' % query.replace('"', '\\"')
            if warm:
                wrk(url, body, token if token_needed else None, 2)  # warm up (connections, caches, JIT)
            before = cpu_seconds(process.pid)
            done, rate = wrk(url, body, token if token_needed else None, args.seconds)
            cpu_us = (cpu_seconds(process.pid) - before) / done * 1e6
            if label not in labels:
                labels.append(label)
            results[key] = (label, rate, cpu_us)

        # The floor under the small query: the same server and its one downstream call through the
        # same HTTP client, the answer relayed unread (no GraphQL, no JSON, no cache, no auth).
        relay = (uncached[0].replace("/graphql", "/__bench/relay"), uncached[1])
        for round_number in range(args.rounds):
            results = {}
            warm = round_number == 0
            for name, query in (("small", SMALL), ("50 patients", NESTED)):
                case(results, (name, "peer"), f"{name}: Node peer (graphql-js, dataloaders, no cache)", peer, query, False, warm)
                case(results, (name, "uncached"), f"{name}: gateway, --cache off", uncached, query, True, warm)
                case(results, (name, "cached"), f"{name}: gateway, cached (in memory)", cached, query, True, warm)
                case(results, (name, "swift pool"), f"{name}: gateway, --cache off, NILECARE_EXECUTOR=swift", swift_pool, query, True, warm)
                if name == "small":
                    case(results, "floor", "floor: the gateway's server and one downstream call, relayed (POST /__bench/relay)",
                         relay, "", False, warm)
            case(results, ("coverage", "uncached"), "50 patients + coverage and claims (subgraph): gateway, --cache off",
                 uncached, WITH_COVERAGE, True, warm)
            case(results, ("coverage", "cached"), "50 patients + coverage and claims (subgraph): gateway, cached",
                 cached, WITH_COVERAGE, True, warm)
            rounds.append(results)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    print(f"wrk -t1 -c32, {args.seconds} s per case (a 2 s warm-up before the first); fixtures at 0 ms; "
          f"{args.rounds} rounds in one run, 2 cores shared by all; medians over the rounds.\n")
    print("| case | requests/s | CPU per request |")
    print("|---|---:|---:|")
    for label in labels:
        measured = [row for results in rounds for row in results.values() if row[0] == label]
        rate = statistics.median(row[1] for row in measured)
        cpu_us = statistics.median(row[2] for row in measured)
        print(f"| {label} | {rate:,.0f} | {cpu_us:,.0f} µs |")
    print()

    def ratio(numerator, denominator, field):
        """A ratio taken within each round: its median, lowest and highest, as text."""
        values = sorted(results[numerator][field] / results[denominator][field] for results in rounds)
        return f"{statistics.median(values):.2f}× ({values[0]:.2f}–{values[-1]:.2f})"

    for name in ("small", "50 patients"):
        print(f"{name}, uncached vs peer: throughput {ratio((name, 'uncached'), (name, 'peer'), 1)}, "
              f"CPU per request {ratio((name, 'uncached'), (name, 'peer'), 2)} the peer's")
    above_floor = statistics.median(results["small", "uncached"][2] - results["floor"][2] for results in rounds)
    print(f"floor (server and one downstream call, no GraphQL) vs the peer's small query: CPU per request "
          f"{ratio('floor', ('small', 'peer'), 2)} the peer's; the small query uncached spends "
          f"{above_floor:,.0f} µs above the floor")
    for mode in ("uncached", "cached"):
        extra = statistics.median(results["coverage", mode][2] - results["50 patients", mode][2] for results in rounds)
        print(f"coverage and claims for 50 patients, {mode}: +{extra:,.0f} µs of gateway CPU per request "
              f"({ratio(('coverage', mode), ('50 patients', mode), 2)} the query without them)")


if __name__ == "__main__":
    main()
