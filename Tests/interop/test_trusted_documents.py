"""Trusted documents: `nilecare operations extract` builds a manifest from .graphql files (every
operation validated, exit 1 on failure); `serve --operations FILE` runs its documents by id, and in
production (or with `--only-trusted-documents on`) refuses anything else; REST routes stay open;
the manifest reloads with `--watch`; metrics count by operation id."""
import hashlib
import json
import os
import subprocess
import sys
import time

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gateways import NILECARE, Gateway  # noqa: E402

OPERATIONS = """
query PatientCard($id: ID!) { patient(id: $id) { ...Names appointments { date } } }
mutation Book($input: AppointmentInput!) { createAppointment(input: $input) { id } }
"""
FRAGMENTS = "fragment Names on Patient { firstName lastName }\n"


def extract(*folders):
    return subprocess.run([NILECARE, "operations", "extract", *folders], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    folder = tmp_path_factory.mktemp("operations")
    (folder / "app.graphql").write_text(OPERATIONS)
    (folder / "fragments").mkdir()
    (folder / "fragments" / "names.graphql").write_text(FRAGMENTS)
    result = extract(str(folder))
    assert result.returncode == 0, result.stderr
    path = tmp_path_factory.mktemp("manifest") / "operations.json"
    path.write_text(result.stdout)
    return path


def operation(manifest, name):
    return next(entry for entry in json.loads(manifest.read_text())["operations"] if entry["name"] == name)


def test_extract_writes_an_apollo_manifest_with_fragments_and_sha256_ids(manifest):
    document = json.loads(manifest.read_text())
    assert document["format"] == "apollo-persisted-query-manifest" and document["version"] == 1
    card = operation(manifest, "PatientCard")
    assert card["type"] == "query" and "fragment Names on Patient" in card["body"]
    assert card["id"] == hashlib.sha256(card["body"].encode()).hexdigest()
    assert operation(manifest, "Book")["type"] == "mutation"


def test_extract_refuses_an_invalid_operation_naming_its_file_and_place(tmp_path):
    (tmp_path / "ok.graphql").write_text("query Fine { __typename }\n")
    (tmp_path / "broken.graphql").write_text('\n\nquery Broken { patient(id: "1") { nope } }\n')
    result = extract(str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path}/broken.graphql:3:1: Broken: Cannot query field \"nope\" on type \"Patient\"." in result.stderr


@pytest.fixture(scope="module")
def production(manifest):
    gateway = Gateway("--operations", str(manifest), production=True, name="trusted-production")
    yield gateway
    gateway.stop()


def test_production_runs_only_the_manifest(production, manifest):
    token = production.token("clinician")
    card = operation(manifest, "PatientCard")
    free = production.graphql('{ patient(id: "1") { firstName } }', token)
    assert free.json()["errors"][0]["extensions"]["code"] == "TRUSTED_DOCUMENTS_ONLY"
    headers = {"Authorization": f"Bearer {token}"}
    by_id = requests.post(f"{production.url}/graphql", json={"documentId": card["id"], "variables": {"id": "1"}}, headers=headers, timeout=30)
    assert by_id.json()["data"]["patient"]["firstName"]
    by_hash = requests.post(f"{production.url}/graphql", headers=headers, timeout=30, json={
        "variables": {"id": "2"}, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": card["id"]}}})
    assert by_hash.json()["data"]["patient"]["lastName"]
    by_text = production.graphql(card["body"], token, variables={"id": "3"})
    assert by_text.json()["data"]["patient"]["firstName"]
    unknown = requests.post(f"{production.url}/graphql", json={"documentId": "0" * 64}, headers=headers, timeout=30)
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
    # An APQ registration of a new text is a free-form query too.
    text = "{ __typename }"
    registration = requests.post(f"{production.url}/graphql", headers=headers, timeout=30, json={
        "query": text, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(text.encode()).hexdigest()}}})
    assert registration.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
    # REST routes are the gateway's own operations: trusted.
    rest = requests.get(f"{production.url}/api/v2/patients/1", headers=headers, timeout=30)
    assert rest.status_code == 200
    metrics = requests.get(f"http://127.0.0.1:{production.metrics_port}/metrics", timeout=30).text
    assert f'graphql_trusted_documents_total{{id="{card["id"]}",outcome="run"}}' in metrics.replace(" ", "")
    assert 'id="unlisted",outcome="refused"' in metrics


def test_development_runs_free_form_queries_and_manifest_ids(manifest):
    gateway = Gateway("--operations", str(manifest), name="trusted-dev")
    try:
        token = gateway.token()
        assert gateway.graphql('{ patient(id: "1") { id } }', token).json()["data"]["patient"]["id"] == "1"
        card = operation(manifest, "PatientCard")
        by_id = requests.post(f"{gateway.url}/graphql", json={"documentId": card["id"], "variables": {"id": "4"}},
                              headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert by_id.json()["data"]["patient"]["firstName"]
    finally:
        gateway.stop()


def test_the_manifest_reloads_with_watch_and_a_broken_one_keeps_the_old(tmp_path):
    path = tmp_path / "operations.json"
    first = "query One { __typename }"
    path.write_text(json.dumps({hashlib.sha256(first.encode()).hexdigest(): first}))
    gateway = Gateway("--operations", str(path), "--only-trusted-documents", "on", "--watch", name="trusted-watch")
    try:
        second = 'query Two { provider(id: "1") { id } }'
        second_id = hashlib.sha256(second.encode()).hexdigest()

        def run_second():
            return requests.post(f"{gateway.url}/graphql", json={"documentId": second_id}, timeout=30).json()

        assert run_second()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
        path.write_text(json.dumps({hashlib.sha256(first.encode()).hexdigest(): first, second_id: second}))
        deadline = time.time() + 20
        while time.time() < deadline and "data" not in run_second():
            time.sleep(0.2)
        assert run_second()["data"]["provider"]["id"] == "1"
        path.write_text("{ not json")
        # The event: the watcher has read the broken file (and said it keeps the manifest in force).
        deadline = time.time() + 20
        while time.time() < deadline and "trusted documents not reloaded" not in gateway.log_text():
            time.sleep(0.1)
        assert "trusted documents not reloaded" in gateway.log_text()
        assert run_second()["data"]["provider"]["id"] == "1"
    finally:
        gateway.stop()
