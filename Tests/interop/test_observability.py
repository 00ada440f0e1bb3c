"""Metrics and tracing of real `nilecare` processes: `/metrics` parses with prometheus-client and
its series move; one GraphQL request yields the spans of the gateway and of the fixture services
(a separate process), all in the client's trace, with correct parent links."""
import re
import os
import sys
import socket
import subprocess
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from loopback import free_port, free_port_range, wait_ready  # noqa: E402
from prometheus_client.parser import text_string_to_metric_families

from otlp_receiver import Receiver

NILECARE = os.environ.get("NILECARE", ".build/debug/nilecare")


def token():
    return subprocess.run([NILECARE, "token", "--role", "clinician"], capture_output=True, text=True, check=True).stdout.strip()


def start_stack(environment):
    fixtures_port = free_port_range(5)
    gateway_port = free_port()
    env = {**os.environ, **environment}
    fixtures = subprocess.Popen([NILECARE, "fixtures", "serve", "--base-port", str(fixtures_port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    services = [f"--service={name}=http://127.0.0.1:{fixtures_port + i}"
                for i, name in enumerate(["clinical", "business", "medication", "lab", "insurance"])]
    gateway = subprocess.Popen([NILECARE, "serve", "--port", str(gateway_port), "--audit-log", "off", *services], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(f"http://127.0.0.1:{gateway_port}/ready")
    return f"http://127.0.0.1:{gateway_port}", [gateway, fixtures]




def stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=15)


def metrics(url):
    families = text_string_to_metric_families(requests.get(f"{url}/metrics", timeout=5).text)
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value for family in families for sample in family.samples}


def value(samples, metric, **labels):
    return sum(v for (n, l), v in samples.items() if n == metric and all(dict(l).get(k) == str(x) for k, x in labels.items()))


def test_metrics_parse_and_move():
    url, processes = start_stack({})
    try:
        headers = {"Authorization": f"Bearer {token()}"}
        query = {"query": 'query Chart { patient(id: "4") { id appointments { id } medications { name } } }'}
        before = metrics(url)
        requests.post(f"{url}/graphql", json=query, headers=headers, timeout=10).raise_for_status()
        middle = metrics(url)
        requests.post(f"{url}/graphql", json=query, headers=headers, timeout=10).raise_for_status()
        after = metrics(url)
        for service in ("clinical", "business", "medication"):
            assert value(middle, "downstream_requests_total", service=service) == value(before, "downstream_requests_total", service=service) + 1
        # The repeated query is served from the cache: hits move, downstream calls do not.
        assert value(after, "cache_lookups_total", result="hit") >= value(middle, "cache_lookups_total", result="hit") + 3
        assert value(after, "downstream_requests_total") == value(middle, "downstream_requests_total")
        assert value(after, "graphql_operations_total", name="Chart", outcome="ok") == 2
        assert value(after, "http_server_requests_total", route="/graphql", status="200") >= 2
        assert value(after, "http_server_request_duration_seconds_count", route="/graphql") >= 2
        assert value(after, "graphql_phase_duration_seconds_count", phase="execute") >= 2
        assert value(after, "loader_batch_keys_count", service="clinical") >= 1
        assert value(after, "process_resident_memory_bytes") > 0
        assert value(after, "process_open_fds") > 0
        requests.post(f"{url}/graphql", json={"query": "{ patients(limit: 1) { " + "appointments { patient { " * 9 + "id" + " } }" * 9 + " } }"},
                      headers=headers, timeout=10)
        assert value(metrics(url), "requests_rejected_total", reason="depth") == 1
    finally:
        stop(processes)


def test_one_trace_across_gateway_and_fixture_services():
    receiver = Receiver()
    environment = {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{receiver.port}", "OTEL_BSP_SCHEDULE_DELAY": "200",
                   "OTEL_TRACES_SAMPLER": "always_on"}
    url, processes = start_stack(environment)
    try:
        trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
        headers = {"Authorization": f"Bearer {token()}", "traceparent": f"00-{trace_id}-{parent_id}-01"}
        response = requests.post(f"{url}/graphql", json={"query": '{ patient(id: "4") { id appointments { id } } }'},
                                 headers=headers, timeout=10)
        response.raise_for_status()
        deadline = time.time() + 20
        spans = []
        while time.time() < deadline:
            spans = [(service, span) for service, span in receiver.snapshot() if span.trace_id.hex() == trace_id]
            if {s for s, _ in spans} >= {"nilecare-gateway", "nilecare-fixtures"} and len(spans) >= 6:
                break
            time.sleep(0.2)
        by_id = {span.span_id.hex(): (service, span) for service, span in spans}
        services = {service for service, _ in spans}
        assert services >= {"nilecare-gateway", "nilecare-fixtures"}, [(s, sp.name) for s, sp in receiver.snapshot()]
        server = [span for service, span in spans if service == "nilecare-gateway" and span.parent_span_id.hex() == parent_id]
        assert len(server) == 1, [(s, sp.name, sp.parent_span_id.hex()) for s, sp in spans]
        clients = [span for service, span in spans if service == "nilecare-gateway" and span.name.startswith("GET /api/v1/")]
        assert len(clients) == 2
        fixture_spans = [span for service, span in spans if service == "nilecare-fixtures"]
        assert len(fixture_spans) == 2
        # Each fixture span's parent is one of the gateway's downstream client spans.
        client_ids = {span.span_id.hex() for span in clients}
        assert all(span.parent_span_id.hex() in client_ids for span in fixture_spans)
        # Every gateway span hangs from the server span, through known parents.
        for service, span in spans:
            if service != "nilecare-gateway" or span in server:
                continue
            parent = span.parent_span_id.hex()
            while parent != server[0].span_id.hex():
                assert parent in by_id, f"{span.name} has an unknown parent"
                parent = by_id[parent][1].parent_span_id.hex()
        # The work that left the process hangs from one execute span.
        execute = [span for service, span in spans if span.name == "GraphQL execute"]
        assert len(execute) == 1 and execute[0].parent_span_id == server[0].span_id
        loaders = [span for service, span in spans if span.name.startswith("loader ")]
        assert loaders and all(span.parent_span_id == execute[0].span_id for span in loaders)

        # The same query again is answered from the in-process cache: one span, the work as attributes.
        cached_trace = "5bf92f3577b34da6a3ce929d0e0e4737"
        headers["traceparent"] = f"00-{cached_trace}-{parent_id}-01"
        requests.post(f"{url}/graphql", json={"query": '{ patient(id: "4") { id appointments { id } } }'},
                      headers=headers, timeout=10).raise_for_status()
        deadline = time.time() + 20
        cached = []
        while time.time() < deadline and not cached:
            cached = [span for service, span in receiver.snapshot() if span.trace_id.hex() == cached_trace]
            time.sleep(0.2)
        time.sleep(0.5)
        cached = [span for service, span in receiver.snapshot() if span.trace_id.hex() == cached_trace]
        assert len(cached) == 1, [span.name for span in cached]
        attributes = {kv.key: kv.value for kv in cached[0].attributes}
        assert attributes["nilecare.loader.keys_in_process"].int_value == 2
        assert attributes["graphql.execute.duration_ms"].double_value > 0
    finally:
        stop(processes)
        receiver.close()


def test_json_logs_carry_request_and_trace_ids():
    port = free_port()
    log_path = f".build/json-log-test-{port}.log"
    with open(log_path, "w") as log:
        gateway = subprocess.Popen([NILECARE, "serve", "--port", str(port), "--fixtures-base-port", str(free_port_range(5)),
                                    "--log-format", "json", "--access-log", "on", "--audit-log", "off"],
                                   stdout=subprocess.DEVNULL, stderr=log)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(f"{url}/ready")
        trace_id = "0af7651916cd43dd8448eb211c80319c"
        response = requests.get(f"{url}/health", headers={"X-Request-Id": "req-42",
                                                          "traceparent": f"00-{trace_id}-b7ad6b7169203331-01"}, timeout=5)
        assert response.headers["X-Request-Id"] == "req-42"
        made_up = requests.get(f"{url}/health", timeout=5).headers["X-Request-Id"]  # made up when not given
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", made_up), made_up
        time.sleep(0.5)
    finally:
        stop([gateway])
    import json
    lines = [json.loads(line) for line in open(log_path) if line.startswith("{")]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    mine = [line for line in lines if line.get("request_id") == "req-42"]
    assert mine and all(line.get("trace_id") == trace_id for line in mine)
