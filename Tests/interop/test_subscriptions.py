"""Subscriptions across replicas: two gateways sharing Redis, a mutation or a signed webhook on one
reaching subscribers on the other over GraphQL over SSE; a patient never receives another
patient's event; a replayed webhook is refused by every replica; Redis restarted mid-subscription
and the subscribers keep receiving once it is back."""
import base64
import json
import os
import sys
import time

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gateways import Fixtures, Gateway, Redis, RedisCluster  # noqa: E402
from sse_client import EventStream  # noqa: E402

# The same sealing key on both replicas: events carry PHI and go through Redis sealed.
KEYS = ["--cache-keys", "1:" + base64.b64encode(bytes(range(32))).decode()]
WEBHOOK_SECRET = "nilecare-development-webhook-secret"
BOOK = 'mutation ($p: ID!) { createAppointment(input: {patientId: $p, providerId: "1", date: "2026-12-03", time: "09:00"}) { id } }'


@pytest.fixture(scope="module")
def replicas():
    redis = Redis()
    fixtures = Fixtures()
    a = Gateway(*KEYS, redis=redis, share_fixtures=fixtures, name="subs-a")
    b = Gateway(*KEYS, redis=redis, share_fixtures=fixtures, name="subs-b")
    for gateway in (a, b):
        wait_events_up(gateway)
    yield redis, a, b
    a.stop()
    b.stop()
    fixtures.stop()
    redis.close()


def ready_report(gateway):
    return requests.get(f"{gateway.url}/ready", timeout=5).json()


def wait_events_up(gateway, after=0, timeout=30):
    """Until the replica's /ready says its event bus hears the others (its PSUBSCRIBE in place)
    on a connection made after the `after`-th."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        ready = ready_report(gateway)
        if ready.get("events") == "up" and ready.get("eventConnections", 0) > after:
            return
        time.sleep(0.05)
    raise AssertionError(f"{gateway.url}: event bus not up")


def book(gateway, patient):
    response = gateway.graphql(BOOK, token=gateway.token(), variables={"p": patient})
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    return response.json()["data"]["createAppointment"]["id"]


def signed(body, secret=WEBHOOK_SECRET):
    import hashlib
    import hmac
    timestamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-NileCare-Timestamp": timestamp, "X-NileCare-Signature": f"v1={signature}"}


def test_a_booking_on_one_replica_reaches_a_subscriber_on_the_other(replicas):
    _, a, b = replicas
    stream = EventStream(b.url, "subscription { appointmentChanged { id patientId provider { lastName } } }", token=b.token())
    assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
    stream.wait_subscribed()
    booked = book(a, "6")
    name, payload = stream.next_event()
    assert name == "next"
    assert payload == {"data": {"appointmentChanged": {"id": booked, "patientId": "6", "provider": {"lastName": "Okafor"}}}}
    stream.close()


def test_a_patient_never_receives_another_patients_event(replicas):
    _, a, b = replicas
    patient = EventStream(b.url, "subscription { appointmentChanged { id patientId } }", token=b.token("patient", "1"))
    patient.wait_subscribed()
    book(a, "2")
    own = book(a, "1")
    # The first event the patient receives is their own booking; patient 2's was not delivered.
    assert patient.next_event() == ("next", {"data": {"appointmentChanged": {"id": own, "patientId": "1"}}})
    patient.close()
    refused = EventStream(b.url, 'subscription { appointmentChanged(patientId: "2") { id } }', token=b.token("patient", "1"))
    assert refused.status == 403
    assert refused.response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_a_signed_webhook_reaches_every_replica_and_a_replay_is_refused_by_each(replicas):
    _, a, b = replicas
    stream = EventStream(b.url, 'subscription { labOrderResulted(patientId: "3") { id test status } }', token=b.token())
    stream.wait_subscribed()
    event_id = f"lab-{time.time_ns()}"
    body = json.dumps({"id": event_id, "topic": "lab-order.resulted",
                       "entity": {"id": "77", "patientId": "3", "test": "HbA1c", "status": "RESULTED", "orderedAt": "2026-12-01T08:00:00Z"}}).encode()
    accepted = requests.post(f"{a.url}/webhooks/events", data=body, headers=signed(body), timeout=10)
    assert accepted.status_code == 202, accepted.text
    assert stream.next_event() == ("next", {"data": {"labOrderResulted": {"id": "77", "test": "HbA1c", "status": "RESULTED"}}})
    stream.close()
    for gateway in (a, b):
        replay = requests.post(f"{gateway.url}/webhooks/events", data=body, headers=signed(body), timeout=10)
        assert replay.status_code == 409, replay.text
    forged = requests.post(f"{a.url}/webhooks/events", data=body, headers=signed(body, secret="not-the-secret"), timeout=10)
    assert forged.status_code == 401


def test_subscribers_keep_receiving_after_redis_restarts(replicas):
    redis, a, b = replicas
    stream = EventStream(b.url, "subscription { appointmentChanged { id patientId } }", token=b.token())
    stream.wait_subscribed()
    before = ready_report(b)["eventConnections"]
    redis.restart()
    # Events published while B's connection is down are lost to B (pub/sub); once it is back, they flow.
    wait_events_up(b, after=before)
    booked = book(a, "8")
    while True:
        name, payload = stream.next_event()
        assert name == "next"
        if payload["data"]["appointmentChanged"]["id"] == booked:
            break
    stream.close()


def test_sse_serves_queries_once_and_refuses_subscriptions_without_a_stream(replicas):
    _, a, _ = replicas
    query = EventStream(a.url, '{ patient(id: "1") { id } }', token=a.token())
    assert query.next_event() == ("next", {"data": {"patient": {"id": "1"}}})
    assert query.next_event() == ("complete", None)
    anonymous = EventStream(a.url, "subscription { appointmentChanged { id } }")
    assert anonymous.status == 401
    plain = a.graphql("subscription { appointmentChanged { id } }", token=a.token())
    assert plain.json()["errors"][0]["extensions"]["code"] == "SUBSCRIPTION_NEEDS_STREAM"


def test_shutdown_ends_open_subscriptions_with_a_last_message():
    gateway = Gateway(name="subs-shutdown")
    try:
        stream = EventStream(gateway.url, "subscription { appointmentChanged { id } }", token=gateway.token())
        stream.wait_subscribed()
        gateway.process.terminate()
        name, payload = stream.next_event()
        assert name == "next" and payload["errors"][0]["extensions"]["code"] == "SHUTTING_DOWN"
        assert stream.next_event() == ("complete", None)
        # The open stream did not hold the graceful shutdown.
        assert gateway.process.wait(timeout=20) == 0
    finally:
        gateway.stop()


def test_multipart_http_subscription_as_apollo_speaks_it(replicas):
    _, a, b = replicas
    response = requests.post(f"{b.url}/graphql", json={"query": "subscription { appointmentChanged { id patientId } }"}, stream=True, timeout=(5, 60),
                             headers={"Authorization": f"Bearer {b.token()}", "Accept": 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0", application/json'})
    assert response.headers["Content-Type"] == 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"'
    chunks = response.iter_content(chunk_size=None)
    buffer = b""

    def next_part():
        nonlocal buffer
        while True:
            start = buffer.find(b"\r\n--graphql\r\n")
            end = buffer.find(b"\r\n--graphql", start + 1) if start >= 0 else -1
            if end >= 0:
                part, buffer = buffer[start + 2:end], buffer[end:]
                headers, _, body = part.partition(b"\r\n\r\n")
                assert b"content-type: application/json" in headers
                return json.loads(body)
            buffer += next(chunks)

    assert next_part() == {}  # subscribed: the first heartbeat
    booked = book(a, "5")
    while True:
        part = next_part()
        if part != {}:
            break
    assert part == {"payload": {"data": {"appointmentChanged": {"id": booked, "patientId": "5"}}}}
    response.close()


def test_replicas_on_a_redis_cluster_share_events():
    cluster = RedisCluster()
    fixtures = Fixtures()
    a = Gateway(*KEYS, redis=cluster, share_fixtures=fixtures, name="subs-cluster-a")
    b = Gateway(*KEYS, redis=cluster, share_fixtures=fixtures, name="subs-cluster-b")
    try:
        wait_events_up(b)
        stream = EventStream(b.url, 'subscription { appointmentChanged(patientId: "12") { id patientId } }', token=b.token())
        stream.wait_subscribed()
        booked = book(a, "12")
        assert stream.next_event() == ("next", {"data": {"appointmentChanged": {"id": booked, "patientId": "12"}}})
        stream.close()
    finally:
        a.stop()
        b.stop()
        fixtures.stop()
        cluster.close()


def test_production_profile_serves_subscriptions_and_keeps_the_webhook_off_without_a_secret():
    gateway = Gateway(production=True, name="subs-production")
    try:
        stream = EventStream(gateway.url, 'subscription { appointmentChanged(patientId: "4") { id } }', token=gateway.token())
        stream.wait_subscribed()
        booked = book(gateway, "4")
        assert stream.next_event() == ("next", {"data": {"appointmentChanged": {"id": booked}}})
        stream.close()
        body = b'{"id":"e","topic":"lab-order.resulted","entity":{}}'
        refused = requests.post(f"{gateway.url}/webhooks/events", data=body, headers=signed(body), timeout=10)
        assert refused.status_code == 404
    finally:
        gateway.stop()
