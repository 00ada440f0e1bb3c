"""graphql-transport-ws at /graphql: the `gql` client's WebSocket transport receives a booking as it
happens, a patient's socket receives only their own events, and the protocol's rules hold
(acknowledged init, ping/pong, close codes 4400/4401/4403/4408/4409/4429, `error` for a refused
operation, queries answered once)."""
import json
import os
import subprocess
import sys
import time

import pytest
import requests
import websocket

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gateways import Gateway  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_PYTHON = os.path.join(HERE, "..", "..", ".build", "strawberry-venv", "bin", "python")
BOOK = 'mutation ($p: ID!) { createAppointment(input: {patientId: $p, providerId: "1", date: "2026-12-03", time: "09:00"}) { id } }'


@pytest.fixture(scope="module")
def gateway():
    started = Gateway("--connection-init-timeout-seconds", "2", name="websocket")
    yield started
    started.stop()


def ws_url(gateway):
    return gateway.url.replace("http://", "ws://") + "/graphql"


def connect(gateway, token=None, init=True):
    ws = websocket.create_connection(ws_url(gateway), subprotocols=["graphql-transport-ws"], timeout=30)
    if init:
        ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token or gateway.token()}"}}))
        assert json.loads(ws.recv()) == {"type": "connection_ack"}
    return ws


def close_code(ws):
    """The close code the server ends the connection with."""
    while True:
        opcode, data = ws.recv_data(control_frame=True)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return int.from_bytes(data[:2], "big")


def open_subscriptions(gateway):
    return requests.get(f"{gateway.url}/ready", timeout=5).json()["subscriptions"]


def wait_open_subscriptions(gateway, count, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if open_subscriptions(gateway) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"{count} subscriptions never opened")


def book(gateway, patient):
    response = gateway.graphql(BOOK, token=gateway.token(), variables={"p": patient})
    assert "errors" not in response.json(), response.text
    return response.json()["data"]["createAppointment"]["id"]


def test_gql_websocket_client_receives_a_booking(gateway):
    before = open_subscriptions(gateway)
    client = subprocess.Popen(
        [CLIENT_PYTHON, os.path.join(HERE, "gql_subscriber.py"), ws_url(gateway), gateway.token(), "1",
         "subscription { appointmentChanged { id patientId provider { lastName } } }"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert json.loads(client.stdout.readline()) == {"connected": True}
        wait_open_subscriptions(gateway, before + 1)
        booked = book(gateway, "5")
        line = json.loads(client.stdout.readline())
        assert line == {"data": {"appointmentChanged": {"id": booked, "patientId": "5", "provider": {"lastName": "Okafor"}}}}
        assert client.wait(timeout=30) == 0
    finally:
        if client.poll() is None:
            client.kill()


def test_a_patient_socket_receives_only_their_own_events(gateway):
    ws = connect(gateway, gateway.token("patient", "1"))
    before = open_subscriptions(gateway)
    ws.send(json.dumps({"id": "own", "type": "subscribe", "payload": {"query": "subscription { appointmentChanged { id patientId } }"}}))
    wait_open_subscriptions(gateway, before + 1)
    book(gateway, "2")
    own = book(gateway, "1")
    assert json.loads(ws.recv()) == {"type": "next", "id": "own", "payload": {"data": {"appointmentChanged": {"id": own, "patientId": "1"}}}}
    # Another patient's id: refused with `error` for that operation; the connection stays.
    ws.send(json.dumps({"id": "other", "type": "subscribe", "payload": {"query": 'subscription { appointmentChanged(patientId: "2") { id } }'}}))
    refused = json.loads(ws.recv())
    assert refused["type"] == "error" and refused["id"] == "other"
    assert refused["payload"][0]["extensions"]["code"] == "FORBIDDEN"
    ws.send(json.dumps({"id": "own", "type": "complete"}))
    ws.send(json.dumps({"type": "ping"}))
    assert json.loads(ws.recv()) == {"type": "pong"}
    ws.close()


def test_queries_run_once_and_invalid_documents_get_error(gateway):
    ws = connect(gateway)
    ws.send(json.dumps({"id": "q", "type": "subscribe", "payload": {"query": '{ patient(id: "1") { id } }'}}))
    assert json.loads(ws.recv()) == {"type": "next", "id": "q", "payload": {"data": {"patient": {"id": "1"}}}}
    assert json.loads(ws.recv()) == {"type": "complete", "id": "q"}
    ws.send(json.dumps({"id": "bad", "type": "subscribe", "payload": {"query": "subscription { nope }"}}))
    error = json.loads(ws.recv())
    assert error["type"] == "error" and error["id"] == "bad" and "nope" in error["payload"][0]["message"]
    ws.close()


def test_protocol_violations_close_with_the_protocols_codes(gateway):
    ws = connect(gateway, init=False)
    ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": "subscription { appointmentChanged { id } }"}}))
    assert close_code(ws) == 4401
    ws = connect(gateway, init=False)
    ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer not.a.token"}}))
    assert close_code(ws) == 4403
    ws = connect(gateway)
    ws.send(json.dumps({"type": "connection_init"}))
    assert close_code(ws) == 4429
    ws = connect(gateway)
    ws.send("not json")
    assert close_code(ws) == 4400
    ws = connect(gateway)
    subscribe = {"id": "same", "type": "subscribe", "payload": {"query": "subscription { appointmentChanged { id } }"}}
    ws.send(json.dumps(subscribe))
    ws.send(json.dumps(subscribe))
    assert close_code(ws) == 4409
    ws = connect(gateway, init=False)
    assert close_code(ws) == 4408  # no connection_init within the gateway's 2 s
    # The server is still there, and nothing was left open.
    assert requests.get(f"{gateway.url}/health", timeout=5).status_code == 200


def test_a_websocket_without_the_subprotocol_is_refused(gateway):
    with pytest.raises(websocket.WebSocketBadStatusException):
        websocket.create_connection(ws_url(gateway), timeout=10)


def test_shutdown_completes_subscriptions_and_closes_sockets():
    gateway = Gateway(name="websocket-shutdown")
    try:
        ws = connect(gateway)
        ws.send(json.dumps({"id": "s", "type": "subscribe", "payload": {"query": "subscription { appointmentChanged { id } }"}}))
        wait_open_subscriptions(gateway, 1)
        gateway.process.terminate()
        last = json.loads(ws.recv())
        assert last["type"] == "next" and last["payload"]["errors"][0]["extensions"]["code"] == "SHUTTING_DOWN"
        assert json.loads(ws.recv()) == {"type": "complete", "id": "s"}
        assert close_code(ws) in (1000, 1001)  # the server closes the socket
        assert gateway.process.wait(timeout=20) == 0
    finally:
        gateway.stop()


def test_operations_and_connections_past_their_limits_are_refused():
    gateway = Gateway("--max-websocket-connections", "1", "--max-subscriptions-per-connection", "1", name="websocket-limit")
    try:
        first = connect(gateway)
        # One operation per connection here: a second is refused with `error`, the socket stays.
        first.send(json.dumps({"id": "a", "type": "subscribe", "payload": {"query": "subscription { appointmentChanged { id } }"}}))
        first.send(json.dumps({"id": "b", "type": "subscribe", "payload": {"query": "subscription { labOrderResulted { id } }"}}))
        refused = json.loads(first.recv())
        assert refused["type"] == "error" and refused["id"] == "b"
        assert refused["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
        with pytest.raises(websocket.WebSocketBadStatusException):
            connect(gateway, init=False)
        first.close()
        deadline = time.time() + 30
        while True:
            try:
                second = connect(gateway)
                break
            except websocket.WebSocketBadStatusException:
                assert time.time() < deadline, "the closed connection was never released"
                time.sleep(0.05)
        second.send(json.dumps({"type": "ping"}))
        assert json.loads(second.recv()) == {"type": "pong"}
        second.close()
    finally:
        gateway.stop()
