"""Hostile and odd requests against running gateways, in the configurations they were found in:
the memory cache (the default), Redis with the in-process L1 (the compose default) and the
production profile. Every case ends with the gateway alive; each class of input is tried with
several members, not one example."""
import gzip
import json
import os
import socket
import subprocess
import sys
import urllib.parse
import zlib

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Benchmarks", "hostile"))
from gateways import NILECARE, Gateway, Redis  # noqa: E402
from jwt_tokens import forged  # noqa: E402
from shapes import SHAPES  # noqa: E402

CONFIGURATIONS = ["memory", "redis-l1", "production"]


@pytest.fixture(scope="module")
def redis():
    server = Redis()
    yield server
    server.close()


@pytest.fixture(scope="module")
def gateways(redis):
    started = {}
    try:
        started["memory"] = Gateway(name="memory")
        started["redis-l1"] = Gateway(redis=redis, name="redis-l1")
        started["production"] = Gateway(production=True, name="production")
        yield started
    finally:
        for gateway in started.values():
            gateway.stop()


@pytest.fixture(params=CONFIGURATIONS)
def gateway(request, gateways):
    gateway = gateways[request.param]
    yield gateway
    for service in ["clinical", "business", "medication", "lab", "insurance"]:
        gateway.faults(service, answer="none")
    assert gateway.alive(), f"{request.param} gateway died; log:\n{gateway.log_text()[-3000:]}"


def errors_of(response):
    assert response.status_code in (200, 400), response.text[:500]
    body = response.json()
    return body.get("errors", [])


BIG_NUMBERS = [1e19, -1e19, 9223372036854775807, 9223372036854775808, -9223372036854775809, 18446744073709551616,
               1e300, -1e300, 1.5, 2147483648, -2147483649, 1e-300]


@pytest.mark.parametrize("number", BIG_NUMBERS)
def test_numbers_past_what_a_scalar_holds_are_coercion_errors(gateway, number):
    token = gateway.token("admin")
    raw = json.dumps({"query": "query($id: ID!, $n: Int){ patient(id: $id){ id } patients(limit: $n) { id } }",
                      "variables": {"id": number, "n": number}})
    response = requests.post(f"{gateway.url}/graphql", data=raw, timeout=30,
                             headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    errors = errors_of(response)
    # Every one of these is out of range for Int (and most for ID): a clear coercion error, no data.
    assert errors and all(error["message"].startswith('Variable "$') for error in errors), errors
    assert response.json().get("data") is None


def test_mutations_with_inline_input_and_with_variables_answer_and_are_read_back(gateway):
    token = gateway.token("patient", "17")
    inline = gateway.graphql(
        'mutation { createAppointment(input:{patientId:"17",providerId:"1",date:"2031-01-01",time:"09:00"}) { id } }', token)
    assert inline.status_code == 200, inline.text
    created = inline.json()["data"]["createAppointment"]["id"]
    with_variables = gateway.graphql(
        "mutation($input: AppointmentInput!) { createAppointment(input: $input) { id patientId } }", token,
        variables={"input": {"patientId": "17", "providerId": "2", "date": "2031-02-01", "time": "10:00"}})
    assert with_variables.json()["data"]["createAppointment"]["patientId"] == "17"
    read = gateway.graphql('{ patient(id: "17") { appointments { id } } }', token).json()
    ids = {appointment["id"] for appointment in read["data"]["patient"]["appointments"]}
    assert {created, with_variables.json()["data"]["createAppointment"]["id"]} <= ids


@pytest.mark.parametrize("query", [
    "page=9223372036854775807&limit=2", "page=2&limit=-9223372036854775808", "page=2147483647&limit=100",
    "page=99999999999999999999999&limit=2", "limit=2147483648", "offset=-1", "page=0", "page=1e3", "limit=1e2",
])
def test_rest_paging_out_of_range_is_400(gateway, query):
    response = requests.get(f"{gateway.url}/api/v2/patients?{query}", headers={"Authorization": f"Bearer {gateway.token('admin')}"},
                            timeout=30)
    assert response.status_code == 400, response.text
    assert response.json()["success"] is False


@pytest.mark.parametrize("claims", [
    {"sub": 9223372036854775807, "role": "patient"}, {"sub": 1e19, "role": "patient"}, {"sub": "1", "role": 1e19},
    {"sub": "1", "role": 9223372036854775807}, {"sub": [1e19], "role": ["admin", 1e300]}, {"sub": {"a": 1}, "role": None},
    {"sub": "1", "role": "patient", "exp": 1e300}, {"sub": "1", "role": "patient", "nbf": -1e300},
    {"sub": "1", "role": "patient", "exp": "tomorrow"}, {"sub": "x" * 100000, "role": "clinician"},
])
def test_validly_signed_tokens_with_odd_claims_are_refused_or_scoped(gateway, claims):
    token = forged(claims, gateway.secret)
    response = gateway.graphql('{ patient(id: "17") { id } }', token)
    assert response.status_code in (200, 401, 400, 431), response.text[:300]
    if response.status_code == 200:
        data = response.json().get("data") or {}
        assert (data.get("patient") or {}).get("id") in (None, "17")


@pytest.mark.parametrize("name", list(SHAPES))
def test_worst_document_shapes_are_answered_with_bounded_errors(gateway, name):
    response = gateway.graphql(SHAPES[name], gateway.token("admin"))
    assert response.status_code in (200, 400, 413)
    if response.status_code != 413:
        assert len(errors_of(response)) <= 101


@pytest.fixture(scope="module")
def unlimited():
    """Shape limits raised out of the way: the validation bounds alone must hold."""
    gateway = Gateway("--max-root-fields", "100000", "--max-aliases", "100000", "--max-cost", "1000000000", "--max-depth", "100",
                      name="unlimited")
    yield gateway
    gateway.stop()


@pytest.mark.parametrize("name", list(SHAPES))
def test_validation_is_bounded_without_shape_limits(unlimited, name):
    response = unlimited.graphql(SHAPES[name], unlimited.token("admin"))
    errors = errors_of(response)
    assert len(errors) <= 101
    assert unlimited.alive()


@pytest.mark.parametrize("answer", ["garbage", "wrongShape", "notObjects"])
def test_a_downstream_answer_of_the_wrong_shape_is_an_error_and_never_cached(gateway, answer):
    token = gateway.token("admin")
    patient = {"garbage": "31", "wrongShape": "32", "notObjects": "33"}[answer]
    query = '{ patient(id: "%s") { id medications { name } } }' % patient
    gateway.faults("medication", answer=answer)
    broken = gateway.graphql(query, token).json()
    assert broken["data"]["patient"]["id"] == patient
    assert broken["data"]["patient"]["medications"] is None
    assert [error["extensions"]["code"] for error in broken["errors"]] == ["DOWNSTREAM_BAD_RESPONSE"]
    assert "medication" in broken["errors"][0]["message"]
    gateway.faults("medication", answer="none")
    healed = gateway.graphql(query, token).json()
    assert "errors" not in healed, healed
    assert healed["data"]["patient"]["medications"]


def test_huge_numbers_from_a_downstream_are_served_or_field_errors_that_never_echo_them(gateway):
    gateway.faults("medication", answer="hugeNumbers")
    gateway.faults("business", answer="hugeNumbers")
    response = gateway.graphql('{ patient(id: "40") { id medications { id name } appointments { id status } } }', gateway.token("admin"))
    assert response.status_code == 200
    body = response.json()
    # Strings take the number's digits; an enum cannot hold a number: a field error naming its kind.
    assert body["data"]["patient"]["id"] == "40"
    # (Production masks unexpected field errors behind a reference.)
    assert body["errors"] and all("(a number)" in error["message"] or error["message"].startswith("Internal error")
                                  for error in body["errors"])
    assert all("10000000000000000000" not in error["message"] and "1e+19" not in error["message"] for error in body["errors"])


def test_past_the_request_deadline_resolved_fields_stay():
    gateway = Gateway("--request-timeout-ms", "1000", name="deadline")
    try:
        gateway.faults("medication", delayMs=4000)
        body = gateway.graphql('{ patient(id: "3") { id firstName medications { name } } }', gateway.token()).json()
        assert body["data"]["patient"]["id"] == "3" and body["data"]["patient"]["firstName"]
        assert body["data"]["patient"]["medications"] is None
        assert [(error["extensions"]["code"], error["path"]) for error in body["errors"]] == [("REQUEST_TIMEOUT", ["patient", "medications"])]
    finally:
        gateway.stop()


def test_cache_entries_written_by_anyone_with_redis_access_are_misses(gateways, redis):
    gateway = gateways["redis-l1"]
    token = gateway.token("clinician", "integrity")
    one = gateway.graphql('{ patient(id: "51") { firstName } }', token).json()
    two = gateway.graphql('{ patient(id: "52") { firstName } }', token).json()
    assert one != two

    def redis_cli(*arguments):
        return subprocess.run(["redis-cli", "-p", str(redis.port), "--no-raw", *arguments], capture_output=True, timeout=30).stdout

    key_one = subprocess.run(["redis-cli", "-p", str(redis.port), "--scan", "--pattern", "nc:*:Query.patient:51"],
                             capture_output=True, text=True, timeout=30).stdout.split()[0]
    key_two = key_one[: -len("51")] + "52"
    # COPY replaces patient 51's sealed value with patient 52's, byte for byte.
    assert redis_cli("COPY", key_two, key_one, "REPLACE").strip().endswith(b"1")
    assert gateway.graphql('{ patient(id: "51") { firstName } }', token).json() == one
    provider = gateway.graphql('{ provider(id: "3") { firstName } }').json()
    provider_key = subprocess.run(["redis-cli", "-p", str(redis.port), "--scan", "--pattern", "nc:*:public:Query.provider:3"],
                                  capture_output=True, text=True, timeout=30).stdout.split()[0]
    # A PUBLIC value framed as the gateway frames in-process values, with a freshness far ahead.
    injected = b"NCV2\x00" + (2**62).to_bytes(8, "big") + b'[{"id":"3","firstName":"<img src=x onerror=alert(1)>"}]'
    with socket.create_connection(("127.0.0.1", redis.port), timeout=30) as connection:
        parts = [b"SET", provider_key.encode(), injected]
        connection.sendall(b"*3\r\n" + b"".join(b"$%d\r\n%s\r\n" % (len(part), part) for part in parts))
        assert connection.recv(64).startswith(b"+OK")
    assert gateway.graphql('{ provider(id: "3") { firstName } }').json() == provider


def test_a_downstream_refusal_is_a_gateway_code_and_its_words_stay_in_the_log(gateway):
    gateway.faults("business", answer="leak")
    response = gateway.graphql('{ appointment(id: "5") { id } }', gateway.token("admin"))
    text = response.text
    assert "SQLException" not in text and "db01" not in text and "UNAUTHENTICATED" not in text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "DOWNSTREAM_BAD_REQUEST"
    assert "business" in error["message"]
    gateway.faults("business", answer="none")
    assert "SQLException" in gateway.log_text()


def test_a_patient_gets_the_same_answer_for_another_patient_whether_or_not_they_exist(gateway):
    token = gateway.token("patient", "17")
    existing = gateway.graphql('{ patient(id: "1") { id } }', token).json()
    missing = gateway.graphql('{ patient(id: "999999") { id } }', token).json()
    for body in (existing, missing):
        for error in body["errors"]:
            error.pop("locations", None)
    assert existing == missing
    rest = [requests.get(f"{gateway.url}/api/v2/patients/{patient}", headers={"Authorization": f"Bearer {token}"}, timeout=30)
            for patient in ("1", "999999")]
    assert rest[0].status_code == rest[1].status_code == 403
    assert rest[0].json()["error"] == rest[1].json()["error"]
    # The same for entities keyed by their own id: another patient's appointment, and none at all.
    others = gateway.graphql('{ patient(id: "1") { appointments { id } } }', gateway.token("admin")).json()
    foreign = others["data"]["patient"]["appointments"][0]["id"]
    answers = [gateway.graphql('{ appointment(id: "%s") { id } }' % appointment, token).json() for appointment in (foreign, "99999999")]
    for body in answers:
        for error in body["errors"]:
            error.pop("locations", None)
    assert answers[0] == answers[1] and answers[0]["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_subgraph_data_is_per_patient_through_every_cache(gateway):
    """The insurance subgraph's coverage and claims, cached per caller, in each deployment configuration:
    what one patient read (and the cache holds) never reaches another, whose request for it is refused
    exactly as for coverage that does not exist."""
    owner, other = gateway.token("patient", "13"), gateway.token("patient", "14")
    for _ in range(2):  # the second answers come from the cache where there is one
        own = gateway.graphql('{ patient(id: "13") { coverage { id patientId } claims { patientId } } }', owner).json()
        assert "errors" not in own, own
        items = own["data"]["patient"]["coverage"] + own["data"]["patient"]["claims"]
        assert len(items) == 4 and all(item["patientId"] == "13" for item in items)
        coverage = own["data"]["patient"]["coverage"][0]["id"]
        mine = gateway.graphql('{ coverage(id: "%s") { id payer claims { patientId } } }' % coverage, owner).json()
        assert "errors" not in mine and mine["data"]["coverage"]["id"] == coverage, mine
        answers = [gateway.graphql('{ coverage(id: "%s") { id payer claims { patientId } } }' % wanted, other).json()
                   for wanted in (coverage, "99999999")]
        for body in answers:
            for error in body["errors"]:
                error.pop("locations", None)
        assert answers[0] == answers[1] and answers[0]["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_a_subgraph_failure_is_a_gateway_code_and_its_words_stay_in_the_log(gateway):
    gateway.faults("insurance", answer="graphQLErrors")
    response = gateway.graphql('{ patient(id: "5") { id coverage { payer } } }', gateway.token("admin"))
    assert "SQLException" not in response.text and "db01" not in response.text
    body = response.json()
    assert body["data"]["patient"]["id"] == "5" and body["data"]["patient"]["coverage"] is None
    assert [error["extensions"]["code"] for error in body["errors"]] == ["DOWNSTREAM_ERROR"]
    gateway.faults("insurance", answer="none")
    assert "SQLException" in gateway.log_text()
    healed = gateway.graphql('{ patient(id: "5") { id coverage { payer } } }', gateway.token("admin")).json()
    assert "errors" not in healed, healed


def test_production_keeps_developer_surfaces_and_metrics_off_the_public_port(gateways):
    production = gateways["production"]
    for path in ["/schema.graphql", "/openapi/v1.json", "/openapi/v2.json", "/api/docs", "/explorer", "/explorer/assets/explorer.js", "/metrics"]:
        assert requests.get(production.url + path, timeout=30).status_code == 404, path
    assert requests.post(production.url + "/explorer/validate", json={"query": "{ patients { id } }"}, timeout=30).status_code == 404
    production.graphql("query PatientJaneDoe { __typename }", production.token())
    metrics = requests.get(f"http://127.0.0.1:{production.metrics_port}/metrics", timeout=30)
    assert metrics.status_code == 200
    assert "graphql_operations_total" in metrics.text
    assert "PatientJaneDoe" not in metrics.text
    development = gateways["memory"]
    for path in ["/schema.graphql", "/openapi/v2.json", "/api/docs", "/explorer", "/metrics"]:
        assert requests.get(development.url + path, timeout=30).status_code == 200, path


def test_production_refuses_the_development_secret():
    result = subprocess.run([NILECARE, "serve", "--profile", "production", "--jwt-secret", "nilecare-development-secret-change-me",
                             "--port", "1"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "development secret" in result.stderr


@pytest.mark.parametrize("arguments, message", [
    (["--cache", "redis"], "--cache redis needs --redis"),
    (["--redis", "redis://127.0.0.1:1", "--cache-keys", "1:zz"], "--cache-keys takes"),
    (["--redis", "http://127.0.0.1:1"], "--redis takes"),
    (["--cache-eviction", "nope"], "--cache-eviction takes"),
    (["--rate-limits", "on", "--rate-limit-quotas", "bad"], "--rate-limit-quotas takes"),
])
def test_unusable_settings_stop_start_up_with_a_clear_error_not_a_crash(arguments, message):
    result = subprocess.run([NILECARE, "serve", "--port", "1", "--fixtures-base-port", "1", *arguments],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode not in (0, -4, 132) and message in result.stderr
    assert "Fatal error" not in result.stderr and "crashed" not in result.stderr


def test_operation_names_become_metric_labels_only_after_validation(gateways):
    development = gateways["memory"]
    development.graphql("query NotValidName1 { nope }", development.token())
    development.graphql("query ValidName1 { __typename }", development.token())
    metrics = requests.get(f"{development.url}/metrics", timeout=30).text
    assert "ValidName1" in metrics
    assert "NotValidName1" not in metrics


def test_the_access_log_holds_routes_never_query_strings():
    gateway = Gateway("--access-log", "on", name="access-log")
    try:
        query = urllib.parse.quote('query($n: String) { __typename }')
        variables = urllib.parse.quote(json.dumps({"n": "Wanjiru Kamau"}))
        requests.get(f"{gateway.url}/graphql?query={query}&variables={variables}", timeout=30,
                     headers={"Accept": "application/json"})
        requests.get(f"{gateway.url}/api/v2/patients?limit=2&search=Kamau", timeout=30)
        log = gateway.log_text()
        assert "/graphql" in log and "/api/v2/patients" in log
        assert "Wanjiru" not in log and "Kamau" not in log and "limit=2" not in log
    finally:
        gateway.stop()


def post_raw(gateway, body, headers):
    all_headers = {"Content-Type": "application/json", "Accept": "application/json",
                   "Authorization": f"Bearer {gateway.token()}"}
    all_headers.update(headers)
    return requests.post(f"{gateway.url}/graphql", data=body, headers=all_headers, timeout=30)


def test_compressed_request_bodies_as_rfc_9110_means_them(gateway):
    body = json.dumps({"query": '{ patient(id: "2") { id } }'}).encode()
    raw_deflate = zlib.compressobj(wbits=-15)
    for encoded in [zlib.compress(body), raw_deflate.compress(body) + raw_deflate.flush()]:
        response = post_raw(gateway, encoded, {"Content-Encoding": "deflate"})
        assert response.status_code == 200 and response.json()["data"]["patient"]["id"] == "2"
    gzipped = gzip.compress(body)
    assert post_raw(gateway, gzipped, {"Content-Encoding": "gzip"}).status_code == 200
    for broken in [gzipped[:-8], gzipped[:-1], gzipped[: len(gzipped) // 2], gzipped + b"junk", b"\x1f\x8b\x08garbage"]:
        assert post_raw(gateway, broken, {"Content-Encoding": "gzip"}).status_code == 400


def test_a_bad_chunk_size_is_400(gateway):
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=30) as connection:
        connection.sendall(b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400"), answer[:100]


def test_plus_is_a_space_in_get_parameters(gateway):
    response = requests.get(f"{gateway.url}/graphql?query={{+__typename+}}", timeout=30,
                            headers={"Accept": "application/json", "X-NileCare-CSRF": "1"})
    assert response.json() == {"data": {"__typename": "Query"}}


def test_slow_headers_are_cut_off_by_the_header_read_timeout():
    gateway = Gateway("--header-read-timeout-seconds", "1", name="slow-headers")
    try:
        with socket.create_connection(("127.0.0.1", gateway.port), timeout=30) as connection:
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            # The gateway closes the connection (the event waited for): recv answers b"".
            assert connection.recv(4096) == b""
        assert gateway.alive()
    finally:
        gateway.stop()


def test_slow_headers_of_a_later_request_on_a_kept_alive_connection_are_cut_off_too():
    gateway = Gateway("--header-read-timeout-seconds", "1", name="slow-later-headers")
    try:
        with socket.create_connection(("127.0.0.1", gateway.port), timeout=30) as connection:
            reader = connection.makefile("rb")
            for _ in range(2):  # two whole requests answered on the connection
                connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                assert reader.readline().startswith(b"HTTP/1.1 200")
                length = 0
                while (line := reader.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                reader.read(length)
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # the third head never ends
            assert reader.read(1) == b""  # closed by the gateway (the event waited for)
        assert gateway.alive()
    finally:
        gateway.stop()


def test_a_service_that_is_down_fails_its_fields_only():
    live = Gateway(name="fixtures-for-down")
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    down_port = closed.getsockname()[1]
    closed.close()
    gateway = Gateway("--service", f"clinical={live.fixtures[0]}", "--service", f"business={live.fixtures[1]}",
                      "--service", f"medication=http://127.0.0.1:{down_port}", "--service", f"lab={live.fixtures[3]}",
                      "--service", f"insurance={live.fixtures[4]}", name="down")
    try:
        body = gateway.graphql('{ patient(id: "3") { id medications { name } labOrders { id } } }', gateway.token()).json()
        assert body["data"]["patient"]["id"] == "3" and body["data"]["patient"]["labOrders"]
        assert [error["extensions"]["code"] for error in body["errors"]] == ["DOWNSTREAM_UNAVAILABLE"]
    finally:
        gateway.stop()
        live.stop()
