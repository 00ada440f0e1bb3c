"""Federation interoperability: the insurance subgraph written with Strawberry (a real Apollo
Federation subgraph library, Tests/interop/insurance_strawberry.py) behind the gateway, against
the gateway with its own fixture subgraph over the same data."""
import json
import os
import subprocess
import sys
import tempfile

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gateways import NILECARE, Gateway, free_port, free_port_range, wait_ready  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = os.environ.get("STRAWBERRY_PYTHON", os.path.join(HERE, "..", "..", ".build", "strawberry-venv", "bin", "python"))

QUERY = """
query ($paid: ClaimStatus) {
  patients(limit: 20) {
    id
    coverage { id payer plan: planName status validTo claims(status: $paid) { id amountCents appointment { id date } } patient { lastName } }
    claims { id status submittedAt }
  }
  coverage(id: "7") { memberId ...on Coverage { payer } }
  claim(id: "3") { status coverageId }
}
"""


@pytest.fixture(scope="module")
def strawberry():
    port = free_port()
    process = subprocess.Popen([PYTHON, os.path.join(HERE, "insurance_strawberry.py"), str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(f"{url}/__stats")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def gateways(strawberry):
    ours = Gateway(name="subgraph-ours")
    theirs = Gateway("--service", f"insurance={strawberry}", name="subgraph-strawberry")
    try:
        yield ours, theirs
    finally:
        ours.stop()
        theirs.stop()


def stats(url):
    return requests.get(f"{url}/__stats", timeout=10).json()["requests"]


def test_strawberry_subgraph_answers_as_ours(gateways, strawberry):
    ours, theirs = gateways
    before = stats(strawberry).get("_entities", 0)
    expected = ours.graphql(QUERY, ours.token(), variables={"paid": "PAID"}).json()
    answered = theirs.graphql(QUERY, theirs.token(), variables={"paid": "PAID"}).json()
    assert "errors" not in expected and "errors" not in answered, (expected.get("errors"), answered.get("errors"))
    assert answered["data"] == expected["data"]
    assert sum(len(patient["coverage"]) for patient in answered["data"]["patients"]) > 15
    # Patients' coverage and claims: one _entities call for the 20 parents, whatever the library.
    assert stats(strawberry).get("_entities", 0) - before == 1


def test_schema_checked_against_strawberry_sdl(gateways):
    _, theirs = gateways
    assert "not checked" not in theirs.log_text()


def test_start_refused_when_the_subgraph_lost_a_field(strawberry):
    sdl = requests.post(f"{strawberry}/graphql", json={"query": "{ _service { sdl } }"}, timeout=10).json()["data"]["_service"]["sdl"]
    assert "memberId: String!" in sdl
    with tempfile.NamedTemporaryFile("w", suffix=".graphql", delete=False) as handle:
        handle.write(sdl.replace("memberId: String!", ""))
    try:
        result = subprocess.run([NILECARE, "serve", "--port", str(free_port()), "--fixtures-base-port", str(free_port_range(5)),
                                 "--audit-log", "off", "--service", f"insurance={strawberry}", "--subgraph-sdl", f"insurance={handle.name}"],
                                capture_output=True, text=True, timeout=60)
    finally:
        os.unlink(handle.name)
    assert result.returncode == 1
    assert "the insurance subgraph has no field Coverage.memberId" in result.stderr
    assert "nilecare.graphql:" in result.stderr


def test_schema_diff_reports_subgraph_changes_that_break_the_gateway(strawberry, tmp_path):
    sdl = requests.post(f"{strawberry}/graphql", json={"query": "{ _service { sdl } }"}, timeout=10).json()["data"]["_service"]["sdl"]
    old, added, broken = tmp_path / "old.graphql", tmp_path / "added.graphql", tmp_path / "broken.graphql"
    old.write_text(sdl)
    # A new field: nothing of ours breaks.
    added.write_text(sdl.replace("  memberId: String!", "  memberId: String!\n  groupNumber: String"))
    broken.write_text(sdl.replace("  payer: String!", "  payer: String").replace('type Patient @key(fields: "id")', "type Patient"))

    def diff(new):
        return subprocess.run([NILECARE, "schema", "diff", str(old), str(new), "--subgraph", "insurance", "--format", "json"],
                              capture_output=True, text=True, timeout=60)

    fine = diff(added)
    assert fine.returncode == 0 and json.loads(fine.stdout)["breaking"] == 0, fine.stdout + fine.stderr
    refused = diff(broken)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    messages = [change["message"] for change in json.loads(refused.stdout)["changes"]]
    assert any("Coverage.payer is String, which Coverage.payer: String! cannot take" in message for message in messages)
    assert any("Patient has no @key(fields: \"id\")" in message for message in messages)
