"""The gateway's own tracer, from outside: samplers from the standard environment variables,
W3C context and baggage carried to the fixture services, the OTLP export retried on 503, and
a receiver that hangs or is down never holding a request (spans are dropped and counted)."""
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from loopback import free_port, free_port_range, wait_ready  # noqa: E402

from otlp_receiver import Receiver
from test_observability import metrics, start_stack, stop, token, value

NILECARE = os.environ.get("NILECARE", ".build/debug/nilecare")
QUERY = {"query": '{ patient(id: "4") { id appointments { id } } }'}
SPAN_KIND_SERVER = 2  # OTLP's Span.SpanKind


def traceparent(trace_id, sampled):
    return f"00-{trace_id}-00f067aa0ba902b7-{'01' if sampled else '00'}"


def attributes(span):
    """A span's attributes as a dict of plain values."""
    def plain(value):
        kind = value.WhichOneof("value")
        return getattr(value, kind) if kind else None
    return {attribute.key: plain(attribute.value) for attribute in span.attributes}


def of_trace(spans, trace_id):
    return [(service, span) for service, span in spans if span.trace_id.hex() == trace_id]


def test_parent_based_ratio_sampling_follows_the_caller():
    receiver = Receiver()
    url, processes = start_stack({"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{receiver.port}", "OTEL_BSP_SCHEDULE_DELAY": "100",
                                  "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"})
    try:
        headers = {"Authorization": f"Bearer {token()}"}
        unsampled = [f"{index:032x}" for index in range(1, 6)]
        for trace_id in unsampled:
            requests.post(f"{url}/graphql", json=QUERY, headers={**headers, "traceparent": traceparent(trace_id, False)},
                          timeout=10).raise_for_status()
        for _ in range(5):  # no caller: the ratio (0) decides
            requests.post(f"{url}/graphql", json=QUERY, headers=headers, timeout=10).raise_for_status()
        sampled = "4bf92f3577b34da6a3ce929d0e0e4736"
        requests.post(f"{url}/graphql", json={"query": '{ patient(id: "5") { id appointments { id } } }'},
                      headers={**headers, "traceparent": traceparent(sampled, True), "baggage": "tenant=clinic-7"},
                      timeout=10).raise_for_status()
        # A sampled caller is followed in both processes; spans end (and are exported) in order. The
        # gateway's server span ends last, after its downstream calls' spans, which may be exported in
        # a later batch than the fixtures' own spans: once the server span is here, every span of the
        # gateway's earlier requests would be too.
        def complete(spans):
            trace = of_trace(spans, sampled)
            gateway_done = any(service == "nilecare-gateway" and span.kind == SPAN_KIND_SERVER for service, span in trace)
            return gateway_done and "nilecare-fixtures" in {service for service, _ in trace}
        spans = receiver.wait_for(complete)
        assert {s for s, _ in of_trace(spans, sampled)} >= {"nilecare-gateway", "nilecare-fixtures"}
        assert {span.trace_id.hex() for _, span in spans} == {sampled}, "unsampled requests were exported"
        # The sampled trace's spans carry their attributes (set only on spans that record).
        gateway = {span.name: attributes(span) for service, span in of_trace(spans, sampled) if service == "nilecare-gateway"}
        calls = [attrs for name, attrs in gateway.items() if name.startswith("GET /api/v1/")]
        assert calls and all(attrs.get("http.request.method") == "GET" and attrs.get("url.path", "").startswith("/api/v1/")
                             and attrs.get("peer.service") in {"clinical", "business"} and attrs.get("http.response.status_code") == 200
                             for attrs in calls), gateway
        loaders = [attrs for name, attrs in gateway.items() if name.startswith("loader ")]
        assert loaders and all(attrs.get("nilecare.loader.service") in {"clinical", "business"} for attrs in loaders), gateway
    finally:
        stop(processes)
        receiver.close()


def test_an_export_answered_503_is_retried_with_the_same_batch():
    receiver = Receiver(answers=[503, 503])
    url, processes = start_stack({"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{receiver.port}", "OTEL_BSP_SCHEDULE_DELAY": "100",
                                  "OTEL_TRACES_SAMPLER": "always_on", "OTEL_EXPORTER_OTLP_HEADERS": "x-api-key=s%3Dcret"})
    try:
        trace_id = "6bf92f3577b34da6a3ce929d0e0e4736"
        requests.post(f"{url}/graphql", json=QUERY, headers={"Authorization": f"Bearer {token()}", "traceparent": traceparent(trace_id, True)},
                      timeout=10).raise_for_status()
        spans = receiver.wait_for(lambda spans: any(s == "nilecare-gateway" for s, _ in of_trace(spans, trace_id)))
        assert any(s == "nilecare-gateway" for s, _ in of_trace(spans, trace_id))

        # The refused batch is sent again, not lost: a later accepted body is the first one. (Gateway and
        # fixtures both export: the refused batch may be either's, and its retry may come after the
        # batch holding the trace above — so wait for it, by event.)
        def retried(requests):
            return len(requests) > 2 and any(body == requests[0][1] for status, body, _ in requests[2:] if status == 200)

        requests_seen = receiver.wait_for_requests(retried)
        statuses = [status for status, _, _ in requests_seen]
        assert statuses[:2] == [503, 503] and 200 in statuses[2:]
        assert retried(requests_seen)
        assert all(headers.get("x-api-key") == "s=cret" and headers.get("Content-Type") == "application/x-protobuf"
                   for _, _, headers in requests_seen)
    finally:
        stop(processes)
        receiver.close()


def test_a_receiver_that_hangs_never_holds_requests():
    hold = threading.Event()
    receiver = Receiver(hold=hold)
    url, processes = start_stack({"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{receiver.port}", "OTEL_BSP_SCHEDULE_DELAY": "50",
                                  "OTEL_TRACES_SAMPLER": "always_on", "OTEL_BSP_MAX_QUEUE_SIZE": "64",
                                  "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "16", "OTEL_EXPORTER_OTLP_TIMEOUT": "600000"})
    try:
        headers = {"Authorization": f"Bearer {token()}"}
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: requests.post(f"{url}/graphql", json=QUERY, headers=headers, timeout=30).status_code,
                                     range(400)))
        # Every request was answered while no export could finish; spans past the queue were dropped, counted.
        assert statuses == [200] * 400
        samples = metrics(url)
        assert value(samples, "tracing_spans_dropped_total", reason="queue_full") > 0
        assert value(samples, "graphql_operations_total", outcome="ok") >= 400
    finally:
        hold.set()
        stop(processes)
        receiver.close()


def test_a_receiver_that_is_down_costs_requests_nothing():
    closed = free_port()  # nothing listens here
    url, processes = start_stack({"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{closed}", "OTEL_BSP_SCHEDULE_DELAY": "50",
                                  "OTEL_TRACES_SAMPLER": "always_on"})
    try:
        headers = {"Authorization": f"Bearer {token()}"}
        for _ in range(50):
            response = requests.post(f"{url}/graphql", json=QUERY, headers=headers, timeout=10)
            assert response.status_code == 200 and response.json()["data"]["patient"]["id"] == "4"
        assert requests.get(f"{url}/health", timeout=5).status_code == 200
    finally:
        stop(processes)


def test_unusable_tracing_settings_are_named_and_the_gateway_starts():
    port = free_port()
    log_path = f".build/tracing-settings-{port}.log"
    environment = {**os.environ, "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9", "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
                   "OTEL_TRACES_SAMPLER_ARG": "lots", "OTEL_BSP_MAX_QUEUE_SIZE": "-1"}
    with open(log_path, "w") as log:
        gateway = subprocess.Popen([NILECARE, "serve", "--port", str(port), "--fixtures-base-port", str(free_port_range(5)), "--audit-log", "off"],
                                   stdout=log, stderr=log, env=environment)
    try:
        wait_ready(f"http://127.0.0.1:{port}/ready")
        assert requests.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200
    finally:
        stop([gateway])
    text = open(log_path).read()
    assert "OTEL_TRACES_SAMPLER_ARG=lots is not a ratio" in text
    assert "OTEL_BSP_MAX_QUEUE_SIZE=-1 is not an integer from 1 to 1000000" in text
    assert "parentbased_traceidratio(1.0)" in text
