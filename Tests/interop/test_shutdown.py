"""Shutdown: a gateway asked to stop (SIGTERM) while a request is stuck on a downstream call
stops within its shutdown timeout, instead of waiting for the call (Kubernetes would SIGKILL it)."""
import signal
import subprocess
import threading

import pytest
import requests

from gateways import Gateway


def active_requests(gateway):
    text = requests.get(f"{gateway.url}/metrics", timeout=10).text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith("http_server_active_requests"))


def test_sigterm_with_a_stuck_request_stops_within_the_shutdown_timeout():
    gateway = Gateway("--cache", "off", "--shutdown-timeout-seconds", "1", "--downstream-timeout-ms", "600000", name="shutdown")
    answers = []
    try:
        gateway.faults("clinical", latencyMs=600_000)
        token = gateway.token()

        def stuck_request():
            try:
                answers.append(gateway.graphql('{ patient(id: "42") { id } }', token=token).status_code)
            except requests.RequestException as error:
                answers.append(type(error).__name__)

        client = threading.Thread(target=stuck_request, daemon=True)
        client.start()
        # The request is in flight once two are active: it and this /metrics request.
        while active_requests(gateway) < 2:
            assert client.is_alive(), answers
        gateway.process.send_signal(signal.SIGTERM)
        try:
            status = gateway.process.wait(timeout=60)  # the stuck call alone would hold it 600 s
        except subprocess.TimeoutExpired:
            pytest.fail("the gateway did not stop within 60 s of SIGTERM with a request stuck downstream")
        assert status == 0, gateway.log_text()[-2000:]
        client.join(timeout=60)
        assert answers, "the stuck request never ended"
    finally:
        gateway.stop()
