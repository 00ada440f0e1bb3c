"""Helpers shared by the Python benchmarks and interop tests that start `nilecare` processes on
loopback: a free port, and waiting for an HTTP endpoint to answer 200."""
import socket
import time

import requests


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_range(count):
    """The first of `count` consecutive free ports (the embedded fixture services take four)."""
    for _ in range(200):
        base = free_port()
        if base + count < 65536 and all(_bindable(base + i) for i in range(count)):
            return base
    raise SystemExit(f"no {count} consecutive free ports")


def _bindable(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


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
