"""Black-box checks of a running `nilecare serve` (NILECARE_URL, started by scripts/test).

A real client rebuilds the schema from introspection over HTTP and prints the same SDL as
`/schema.graphql`; the README's quick-start query answers with nested data.
"""
import os

import pytest
import requests
from graphql import build_client_schema, build_schema, get_introspection_query, print_schema

URL = os.environ.get("NILECARE_URL")
pytestmark = pytest.mark.skipif(not URL, reason="needs a running gateway (NILECARE_URL)")


def token(role="clinician", subject="dr-interop"):
    """A development token from `nilecare token` (the gateway runs with the development secret)."""
    import subprocess
    nilecare = os.environ.get("NILECARE", ".build/debug/nilecare")
    return subprocess.run([nilecare, "token", "--role", role, "--subject", subject],
                          capture_output=True, text=True, check=True, timeout=30).stdout.strip()


def post(query, bearer=None, **extra):
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    response = requests.post(f"{URL}/graphql", json={"query": query, **extra}, headers=headers, timeout=10)
    response.raise_for_status()
    return response.json()


def test_client_schema_from_introspection_matches_schema_graphql():
    result = post(get_introspection_query(descriptions=True, specified_by_url=True, directive_is_repeatable=True,
                                          schema_description=True, input_value_deprecation=True))
    assert "errors" not in result, result.get("errors")
    client_schema = build_client_schema(result["data"])
    public_sdl = requests.get(f"{URL}/schema.graphql", timeout=10).text
    assert "directive @fetch" not in public_sdl
    assert print_schema(client_schema) == print_schema(build_schema(public_sdl))


def test_readme_quick_start_query():
    result = post("{ patients(limit: 2) { id firstName appointments { date status } medications { name } } }", bearer=token())
    assert "errors" not in result
    patients = result["data"]["patients"]
    assert [p["id"] for p in patients] == ["1", "2"]
    assert all(p["appointments"] and p["medications"] for p in patients)


def test_cache_warm_cli_fills_the_gateways_cache():
    import subprocess
    nilecare = os.environ.get("NILECARE", ".build/debug/nilecare")
    command = [nilecare, "cache", "warm", "--url", URL, "--file", "deploy/hot-queries.graphql",
               "--authorization", f"Bearer {token()}"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    second = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    lines = dict(line.split(": ", 1) for line in second.stdout.strip().splitlines())
    assert set(lines) == {"WarmProviders", "WarmFirstPatientPage"}
    # The second run finds everything the first one fetched.
    assert all("written 0," in line and "errors 0" in line for line in lines.values()), second.stdout


def test_get_responses_carry_cache_control_and_etag():
    url = f"{URL}/graphql?query=" + requests.utils.quote('{ provider(id: "1") { lastName } }')
    first = requests.get(url, headers={"Accept": "application/json"}, timeout=10)
    assert first.headers["Cache-Control"] == "public, max-age=3600"
    again = requests.get(url, headers={"Accept": "application/json", "If-None-Match": first.headers["ETag"]}, timeout=10)
    assert again.status_code == 304


def test_patient_token_reads_only_own_record():
    own = post('{ patient(id: "7") { id firstName } }', bearer=token("patient", "7"))
    assert own["data"]["patient"]["id"] == "7"
    other = post('{ patient(id: "8") { id firstName } }', bearer=token("patient", "7"))
    assert other["data"]["patient"] is None
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_invalid_token_is_401_not_anonymous():
    response = requests.post(f"{URL}/graphql", json={"query": "{ __typename }"},
                             headers={"Authorization": "Bearer not.a.jwt"}, timeout=10)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
