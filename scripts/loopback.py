"""Helpers shared by the Python benchmarks and interop tests that start `nilecare` processes on
loopback: a free port, and waiting for an HTTP endpoint to answer 200."""
import socket
import time

import requests


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit(f"not ready: {url}")
