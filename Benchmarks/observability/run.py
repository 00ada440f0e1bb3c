#!/usr/bin/env python3
"""Observability overhead (issues 7, 18): cached-query throughput of one release build in eight
configurations, in one run: everything off; metrics only; and metrics with tracing at each
sampler (`always_off`, `parentbased_traceidratio` 0.1, `always_on`), spans exported over OTLP/HTTP
to a local sink; and `always_on` with the receiver down and with a receiver that never answers.

Starts the fixture services and eight gateways (the first configuration twice: the second copy
shows the noise floor) on loopback, the gateways pinned to one core and everything else to the
other, warms each cache, then runs wrk
(-t1 -c32) against each in turn, rounds in rotating order, and prints a Markdown table with each
configuration's median requests/s, the gateway's CPU per request (user+system from /proc over the
run), and its costs: CPU per request and throughput against everything off (each the median over
rounds of the figure against the mean of both all-off copies measured in that round, so drift of
the shared machine between rounds cancels out) and throughput against metrics only. Usage:
    Benchmarks/observability/run.py [--binary .build/release/nilecare] [--seconds 4] [--rounds 11]
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from loopback import free_port, free_port_range, wait_ready  # noqa: E402
from process_cpu import cpu_seconds  # noqa: E402

QUERY = '{"query":"{ patient(id: \\"42\\") { id firstName lastName appointments { id date } } }"}'
# The gateways on one core, wrk, the fixtures and the OTLP sink on the other: a gateway's
# throughput is then bounded by its own CPU, not by how the scheduler shares two cores.
GATEWAY_CPU = ["taskset", "-c", "1"]
LOAD_CPU = ["taskset", "-c", "0"]

# (label, serve flags, sampler environment)
CONFIGURATIONS = [
    ("metrics and tracing off", ["--metrics", "off", "--tracing", "off"], {}),
    # The same configuration again: how far apart two identical gateways measure (the noise floor).
    ("control: metrics and tracing off again", ["--metrics", "off", "--tracing", "off"], {}),
    ("metrics on, tracing off", ["--metrics", "on", "--tracing", "off"], {}),
    ("metrics on, tracing on, sampler `always_off`", ["--metrics", "on", "--tracing", "on"], {"OTEL_TRACES_SAMPLER": "always_off"}),
    ("metrics on, tracing on, `parentbased_traceidratio` 0.1", ["--metrics", "on", "--tracing", "on"],
     {"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.1"}),
    ("metrics on, tracing on, `always_on` (100% sampled)", ["--metrics", "on", "--tracing", "on"], {"OTEL_TRACES_SAMPLER": "always_on"}),
    # A receiver that is down (nothing listens) or hangs (accepts, never answers) must not slow requests.
    ("`always_on`, receiver down", ["--metrics", "on", "--tracing", "on"], {"OTEL_TRACES_SAMPLER": "always_on", "ENDPOINT": "down"}),
    ("`always_on`, receiver hangs", ["--metrics", "on", "--tracing", "on"], {"OTEL_TRACES_SAMPLER": "always_on", "ENDPOINT": "hangs"}),
]


class Sink(BaseHTTPRequestHandler):
    """Accepts OTLP exports and drops them (counting bytes), so the exporter does its real work."""
    received = 0
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        Sink.received += len(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def wrk(url, token, seconds, script):
    out = subprocess.run([*LOAD_CPU, "wrk", "-t1", "-c32", f"-d{seconds}s", "-s", script, url],
                         capture_output=True, text=True, env={**os.environ, "TOKEN": token}).stdout
    requests_total = None
    rate = None
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            rate = float(line.split()[1])
        if "requests in" in line:
            requests_total = int(line.split()[0])
    if rate is None or requests_total is None:
        sys.exit(f"wrk failed:\n{out}")
    return rate, requests_total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/nilecare")
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    sink = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    token = subprocess.run([args.binary, "token"], capture_output=True, text=True, check=True).stdout.strip()
    fixtures = free_port_range(5)
    services = [f"--service={name}=http://127.0.0.1:{fixtures + i}" for i, name in enumerate(["clinical", "business", "medication", "lab", "insurance"])]
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write('wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n'
                 'wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")\n' % QUERY)
    script.close()
    os.sched_setaffinity(0, {0})  # this script and its OTLP sink
    processes = [subprocess.Popen([*LOAD_CPU, args.binary, "fixtures", "serve", "--base-port", str(fixtures)], stdout=subprocess.DEVNULL)]
    gateways = []
    try:
        hanging = socket.socket()
        hanging.bind(("127.0.0.1", 0))
        hanging.listen(1024)  # connections complete in the kernel; nothing is ever read or answered
        endpoints = {None: f"http://127.0.0.1:{sink.server_address[1]}", "down": f"http://127.0.0.1:{free_port()}",
                     "hangs": f"http://127.0.0.1:{hanging.getsockname()[1]}"}
        for label, flags, sampler in CONFIGURATIONS:
            port = free_port()
            sampler = dict(sampler)
            environment = {**os.environ, "OTEL_EXPORTER_OTLP_ENDPOINT": endpoints[sampler.pop("ENDPOINT", None)], **sampler}
            process = subprocess.Popen([*GATEWAY_CPU, args.binary, "serve", "--port", str(port), "--audit-log", "off", *flags, *services],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
            processes.append(process)
            gateways.append((label, port, process))
        for _, port, _ in gateways:
            wait_ready(f"http://127.0.0.1:{port}/ready")
            wrk(f"http://127.0.0.1:{port}/graphql", token, 2, script.name)  # warm: cache, connections
        rates = {label: [] for label, _, _ in gateways}
        # Each round's rate against the two all-off copies measured in the same round: drift of the
        # shared machine between rounds cancels out of these ratios.
        ratios = {label: [] for label, _, _ in gateways}
        cpu_ratios = {label: [] for label, _, _ in gateways}
        cpu = {label: [0.0, 0] for label, _, _ in gateways}
        for round_index in range(args.rounds):
            order = gateways[round_index % len(gateways):] + gateways[:round_index % len(gateways)]
            round_cpu = {}
            for label, port, process in order:
                before = cpu_seconds(process.pid)
                rate, total = wrk(f"http://127.0.0.1:{port}/graphql", token, args.seconds, script.name)
                used = cpu_seconds(process.pid) - before
                cpu[label][0] += used
                cpu[label][1] += total
                round_cpu[label] = used / max(total, 1)
                rates[label].append(rate)
            reference = (rates[CONFIGURATIONS[0][0]][-1] + rates[CONFIGURATIONS[1][0]][-1]) / 2
            cpu_reference = (round_cpu[CONFIGURATIONS[0][0]] + round_cpu[CONFIGURATIONS[1][0]]) / 2
            for label, _, _ in gateways:
                ratios[label].append(rates[label][-1] / reference)
                cpu_ratios[label].append(round_cpu[label] / cpu_reference)
        observed = gateways[-3][1]
        metrics = requests.get(f"http://127.0.0.1:{observed}/metrics", timeout=5).text
        assert "graphql_operations_total" in metrics and Sink.received > 0, "the traced gateway exported nothing"
        def dropped(port):
            text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
            return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith("tracing_spans_dropped_total"))
        metrics_only = statistics.median(rates[CONFIGURATIONS[2][0]])
        print(f"| gateway (cached query, wrk -t1 -c32, {args.rounds} rounds of {args.seconds} s) | requests/s (median) | range | CPU µs/request | CPU cost vs all off | throughput cost vs all off | throughput cost vs metrics only |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for label, _, _ in gateways:
            rate = statistics.median(rates[label])
            seconds, total = cpu[label]
            spread = f"{min(rates[label]):,.0f}–{max(rates[label]):,.0f}"
            print(f"| {label} | {rate:,.0f} | {spread} | {1e6 * seconds / max(total, 1):.1f} | {100 * (statistics.median(cpu_ratios[label]) - 1):.1f}% | {100 * (1 - statistics.median(ratios[label])):.1f}% | {100 * (1 - rate / metrics_only):.1f}% |")
        print(f"\nOTLP bytes exported: {Sink.received:,}; spans dropped: always_on {dropped(observed):,.0f}, "
              f"receiver down {dropped(gateways[-2][1]):,.0f}, receiver hangs {dropped(gateways[-1][1]):,.0f}")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
        os.unlink(script.name)


if __name__ == "__main__":
    main()
