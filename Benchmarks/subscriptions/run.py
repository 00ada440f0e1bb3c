#!/usr/bin/env python3
"""Subscriptions at scale on one gateway (release build, in-process event bus): memory per idle
subscription, and events delivered per second to 1,000 graphql-transport-ws subscribers.

Opens N WebSocket connections (one subscription each: `labOrderResulted { id status }`, no
downstream call per event), reads the gateway's resident memory before and after, then posts E
signed events to the webhook and times until every subscriber has received every event. The
clients are one asyncio process on the same 2 cores, so the rate is a floor for the gateway; its
CPU time per delivery is reported beside it. Runs in the client venv (websockets):

    .build/strawberry-venv/bin/python Benchmarks/subscriptions/run.py [--binary .build-release/release/nilecare] [--subscribers 1000] [--events 50]
"""
import argparse
import asyncio
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import urllib.request

import websockets

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from loopback import free_port, free_port_range  # noqa: E402
from process_cpu import cpu_seconds  # noqa: E402

SECRET = "nilecare-development-webhook-secret"
QUERY = "subscription { labOrderResulted { id status } }"


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def wait_ready(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            get_json(url)
            return
        except Exception:
            time.sleep(0.1)
    raise SystemExit(f"not ready: {url}")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def post_event(base, index):
    body = json.dumps({"id": f"bench-{time.time_ns()}-{index}", "topic": "lab-order.resulted",
                       "entity": {"id": str(index), "patientId": "3", "test": "CBC", "status": "RESULTED", "orderedAt": "2026-12-01T08:00:00Z"}}).encode()
    timestamp = str(int(time.time()))
    signature = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(f"{base}/webhooks/events", data=body, method="POST", headers={
        "Content-Type": "application/json", "X-NileCare-Timestamp": timestamp, "X-NileCare-Signature": f"v1={signature}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 202


async def subscriber(url, token, events, received, all_done):
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"], max_queue=None) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": QUERY}}))
        count = 0
        async for message in ws:
            if json.loads(message).get("type") == "next":
                count += 1
                received[0] += 1
                if count == events:
                    break
        if received[0] == all_done[1]:
            all_done[0].set()


async def run(args, base, pid, token):
    url = base.replace("http://", "ws://") + "/graphql"
    received = [0]
    done = (asyncio.Event(), args.subscribers * args.events)
    before = rss_kib(pid)
    tasks = [asyncio.create_task(subscriber(url, token, args.events, received, done)) for _ in range(args.subscribers)]
    while get_json(f"{base}/ready")["subscriptions"] < args.subscribers:
        await asyncio.sleep(0.05)
    after = rss_kib(pid)
    cpu_before = cpu_seconds(pid)
    started = time.perf_counter()
    loop = asyncio.get_running_loop()
    for index in range(args.events):
        await loop.run_in_executor(None, post_event, base, index)
    await done[0].wait()
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu_before
    await asyncio.gather(*tasks)
    deliveries = args.subscribers * args.events
    print(f"subscribers {args.subscribers}, events {args.events}: {deliveries} deliveries in {elapsed:.2f} s")
    print(f"  delivered per second: {deliveries / elapsed:,.0f} ({args.events / elapsed:.1f} events/s to each subscriber)")
    print(f"  gateway CPU per delivery: {cpu / deliveries * 1e6:.1f} µs")
    print(f"  gateway memory: {before / 1024:.1f} MiB before, {after / 1024:.1f} MiB with the subscriptions open: "
          f"{(after - before) / args.subscribers:.1f} KiB per idle subscription (connection included)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build-release/release/nilecare")
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--events", type=int, default=50)
    args = parser.parse_args()
    port, fixtures = free_port(), free_port_range(5)
    gateway = subprocess.Popen([args.binary, "serve", "--port", str(port), "--fixtures-base-port", str(fixtures), "--audit-log", "off",
                                "--max-subscriptions-per-principal", str(args.subscribers)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(f"{base}/health")
        token = subprocess.run([args.binary, "token"], capture_output=True, text=True, check=True).stdout.strip()
        asyncio.run(run(args, base, gateway.pid, token))
    finally:
        gateway.terminate()
        gateway.wait(timeout=20)


if __name__ == "__main__":
    main()
