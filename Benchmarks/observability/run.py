#!/usr/bin/env python3
"""Observability overhead (issue 7): cached-query throughput with metrics and tracing (100%
sampling, exported over OTLP/HTTP to a local sink) against both off, in one run.

Starts the fixture services and two gateways from the release build on loopback, warms the cache,
then alternates wrk runs (-t1 -c32) between the two, three rounds each, and prints a Markdown table
with the median throughput of each and their ratio. Usage:
    Benchmarks/observability/run.py [--binary .build/release/nilecare] [--seconds 8]
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from loopback import free_port, free_port_range, wait_ready  # noqa: E402

QUERY = '{"query":"{ patient(id: \\"42\\") { id firstName lastName appointments { id date } } }"}'


class Sink(BaseHTTPRequestHandler):
    """Accepts OTLP exports and drops them (counting bytes), so the exporter does its real work."""
    received = 0

    def do_POST(self):
        Sink.received += len(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def wrk(url, token, seconds, script):
    out = subprocess.run(["wrk", "-t1", "-c32", f"-d{seconds}s", "-s", script, url],
                         capture_output=True, text=True, env={**os.environ, "TOKEN": token}).stdout
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    sys.exit(f"wrk failed:\n{out}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/nilecare")
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    sink = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    token = subprocess.run([args.binary, "token"], capture_output=True, text=True, check=True).stdout.strip()
    fixtures = free_port_range(4)
    plain_port, observed_port = free_port(), free_port()
    services = [f"--service={name}=http://127.0.0.1:{fixtures + i}" for i, name in enumerate(["clinical", "business", "medication", "lab"])]
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write('wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n'
                 'wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")\n' % QUERY)
    script.close()
    processes = [subprocess.Popen([args.binary, "fixtures", "serve", "--base-port", str(fixtures)], stdout=subprocess.DEVNULL)]
    try:
        common = ["--audit-log", "off", *services]
        processes.append(subprocess.Popen([args.binary, "serve", "--port", str(plain_port), "--metrics", "off", "--tracing", "off", *common],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        environment = {**os.environ, "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{sink.server_address[1]}",
                       "OTEL_TRACES_SAMPLER": "always_on"}
        processes.append(subprocess.Popen([args.binary, "serve", "--port", str(observed_port), "--metrics", "on", "--tracing", "on", *common],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment))
        for port in (plain_port, observed_port):
            wait_ready(f"http://127.0.0.1:{port}/ready")
            wrk(f"http://127.0.0.1:{port}/graphql", token, 2, script.name)  # warm: cache, connections
        plain, observed = [], []
        for _ in range(3):
            plain.append(wrk(f"http://127.0.0.1:{plain_port}/graphql", token, args.seconds, script.name))
            observed.append(wrk(f"http://127.0.0.1:{observed_port}/graphql", token, args.seconds, script.name))
        metrics = requests.get(f"http://127.0.0.1:{observed_port}/metrics", timeout=5).text
        assert "graphql_operations_total" in metrics and Sink.received > 0, "the observed gateway exported nothing"
        p, o = statistics.median(plain), statistics.median(observed)
        print("| gateway (cached query, wrk -t1 -c32) | requests/s (median of 3) |")
        print("|---|---:|")
        print(f"| metrics and tracing off | {p:,.0f} |")
        print(f"| metrics on, tracing on (100% sampled, OTLP/HTTP export) | {o:,.0f} |")
        print(f"| cost of observability | {100 * (1 - o / p):.1f}% |")
        print(f"\nOTLP bytes exported: {Sink.received:,}")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
        os.unlink(script.name)


if __name__ == "__main__":
    main()
