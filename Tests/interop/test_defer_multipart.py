"""@defer and @stream over HTTP read by an independent multipart reader (Python's email parser):
the response is well-formed multipart/mixed, each part JSON, in graphql-js 17's shape and in
Apollo's deferSpec=20220824 shape, and the parts merge to what the same query returns at once."""
import email
import email.policy
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gateways import Gateway  # noqa: E402

QUERY = '{ patients(limit: 3) @stream(initialCount: 1, label: "more") { id ... @defer(label: "meds") { medications { name } } } }'


@pytest.fixture(scope="module")
def gateway():
    started = Gateway(name="defer-multipart")
    yield started
    started.stop()


def parts(response):
    """The JSON parts of a multipart/mixed response, read by the standard library's MIME parser."""
    message = email.message_from_bytes(
        f"Content-Type: {response.headers['Content-Type']}\r\n\r\n".encode() + response.content, policy=email.policy.HTTP)
    assert message.is_multipart()
    bodies = []
    for part in message.iter_parts():
        assert part.get_content_type() == "application/json"
        bodies.append(json.loads(part.get_payload(decode=True)))
    return bodies


def test_graphql_js_format_merges_to_the_whole_result(gateway):
    token = gateway.token()
    response = gateway.graphql(QUERY, token=token, headers={"Accept": "multipart/mixed, application/json"})
    assert response.headers["Content-Type"] == 'multipart/mixed; boundary="-"'
    received = parts(response)
    assert received[0]["hasNext"] is True and received[-1]["hasNext"] is False
    patients = received[0]["data"]["patients"]
    pending = {entry["id"]: entry for part in received for entry in part.get("pending", [])}
    for part in received[1:]:
        for entry in part.get("incremental", []):
            path = pending[entry["id"]]["path"]
            if "items" in entry:
                patients.extend(entry["items"])
            else:
                target = patients[path[1]]
                target.update(entry["data"])
    whole = gateway.graphql(QUERY.replace('@stream(initialCount: 1, label: "more") ', "").replace('@defer(label: "meds") ', ""), token=token).json()
    # Streamed items get their deferred medications in a later part too: compare what each patient has.
    assert sorted(p["id"] for p in patients) == sorted(p["id"] for p in whole["data"]["patients"])
    for patient in whole["data"]["patients"]:
        merged = next(p for p in patients if p["id"] == patient["id"])
        assert merged.get("medications") == patient["medications"]


def test_apollo_format_has_paths_and_labels(gateway):
    response = gateway.graphql('{ patient(id: "3") { id ... @defer(label: "meds") { medications { name } } } }', token=gateway.token(),
                               headers={"Accept": "multipart/mixed;deferSpec=20220824, application/json"})
    assert response.headers["Content-Type"] == 'multipart/mixed; boundary="-"; deferSpec=20220824'
    first, *rest = parts(response)
    assert first == {"data": {"patient": {"id": "3"}}, "hasNext": True}
    incremental = [entry for part in rest for entry in part.get("incremental", [])]
    assert incremental[0]["path"] == ["patient"] and incremental[0]["label"] == "meds"
    assert "medications" in incremental[0]["data"]
