"""Helpers shared by the Python benchmarks and interop tests that start `nilecare` processes on
loopback: a free port, and waiting for an HTTP endpoint to answer 200."""
import random
import socket
import time


# Below Linux's ephemeral range (32768-60999): a port handed out here cannot be taken by an
# outgoing connection between this check and the server's bind.
PORTS = range(20000, 32000)


_handed_out = set()


def free_port():
    """A free port, never the same one twice in this process."""
    for _ in range(1000):
        port = random.choice(PORTS)
        if port not in _handed_out and _bindable(port):
            _handed_out.add(port)
            return port
    raise SystemExit("no free port")


def free_port_range(count):
    """The first of `count` consecutive free ports (the embedded fixture services take four)."""
    for _ in range(200):
        base = free_port()
        if base + count < PORTS.stop and all(base + i not in _handed_out and _bindable(base + i) for i in range(1, count)):
            _handed_out.update(range(base, base + count))
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
    import requests  # here: scripts without requests (the client venv) use the port helpers

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit(f"not ready: {url}")
