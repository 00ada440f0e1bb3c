"""The load benchmarks' endpoints (`--benchmark-endpoints`): the ceiling `POST /__bench/fixed` and the
floor `POST /__bench/relay` (one downstream call, its answer relayed unread) answer what the benchmarks
divide by; a deployment without the flag does not serve them."""
import requests

from gateways import Gateway


def test_fixed_and_relay_answer_and_are_absent_without_the_flag():
    with_flag = Gateway("--benchmark-endpoints", name="bench")
    without = Gateway(name="no-bench")
    try:
        fixed = requests.post(f"{with_flag.url}/__bench/fixed", data="{}", timeout=10)
        assert fixed.status_code == 200
        assert fixed.json()["data"]["padding"] == "x" * 990

        relayed = requests.post(f"{with_flag.url}/__bench/relay", data="{}", timeout=10)
        direct = requests.get(f"{with_flag.fixtures[0]}/api/v1/patients?ids=42", headers={"Accept": "application/json"}, timeout=10)
        assert relayed.status_code == 200
        assert relayed.content == direct.content
        assert relayed.json()["data"][0]["id"] == "42"

        # The downstream failing: a 502, and the gateway keeps serving.
        with_flag.faults("clinical", errorRate=1)
        assert requests.post(f"{with_flag.url}/__bench/relay", data="{}", timeout=10).status_code == 502
        with_flag.faults("clinical", errorRate=0)
        assert requests.post(f"{with_flag.url}/__bench/relay", data="{}", timeout=10).status_code == 200

        for path in ("/__bench/fixed", "/__bench/relay"):
            assert requests.post(f"{without.url}{path}", data="{}", timeout=10).status_code == 404
        assert with_flag.alive() and without.alive()
    finally:
        with_flag.stop()
        without.stop()
