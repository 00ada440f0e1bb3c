"""Live fuzz/soak of the gateway: seeded traffic (generated and mutated GraphQL, hostile variables,
REST with random parameters, valid/forged/odd tokens, mutations between reads) against real
gateways in the deployment configurations: the memory cache; two replicas sharing Redis with the
in-process L1; two replicas sharing a 3-master Redis Cluster. Downstream faults are switched at
run time through `/__faults`, and Redis is restarted once.

It asserts, and exits 1 on any violation: every gateway alive throughout; no 5xx but the
documented 502/504 of the REST facades; every GraphQL response well-formed per GraphQL over HTTP;
a mutation's effect visible to the next read through any replica sharing the cache; no patient
ever sees another patient's data.

    python3 Tests/soak/run.py --seconds 150 [--seed N] [--workers 6]
"""
import argparse
import collections
import json
import os
import random
import sys
import threading
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "interop"))
from gateways import Fixtures, Gateway, Redis, RedisCluster  # noqa: E402
from traffic import Traffic  # noqa: E402

SERVICES = ["clinical", "business", "medication", "lab", "insurance"]
FAULTS = [{"errorRate": 1.0}, {"errorRate": 0.3}, {"delayMs": 300}, {"answer": "garbage"}, {"answer": "wrongShape"},
          {"answer": "notObjects"}, {"answer": "hugeNumbers"}, {"answer": "leak"}, {"answer": "graphQLErrors"}, {}]


class Findings:
    """Violations and counts, shared by the workers."""

    def __init__(self):
        self.lock = threading.Lock()
        self.violations = []
        self.requests = 0
        self.statuses = collections.Counter()
        self.codes = collections.Counter()
        self.read_your_writes = 0

    def violation(self, text):
        with self.lock:
            if len(self.violations) < 200:
                self.violations.append(text)

    def count(self, status, codes):
        with self.lock:
            self.requests += 1
            self.statuses[status] += 1
            for code in codes:
                self.codes[code] += 1


class Target:
    """A gateway with its replica group (the gateways sharing its cache and downstream data)."""

    def __init__(self, gateway, name, group):
        self.gateway = gateway
        self.name = name
        self.group = group
        self.tokens = {}
        self.lock = threading.Lock()
        self.url = gateway.url
        self.secret = gateway.secret

    def cached_token(self, role, subject):
        with self.lock:
            if (role, subject) not in self.tokens:
                self.tokens[(role, subject)] = self.gateway.token(role, subject)
            return self.tokens[(role, subject)]


def foreign_patient_data(value, patient, path="data"):
    """Where `value` holds another patient's records than `patient`'s: a path, or None."""
    if isinstance(value, dict):
        owner = value.get("patientId")
        if owner is not None and str(owner) != patient:
            return f"{path}.patientId={owner}"
        for key, child in value.items():
            if key in ("patient",) and isinstance(child, dict) and "id" in child and str(child["id"]) != patient:
                return f"{path}.{key}.id={child['id']}"
            found = foreign_patient_data(child, patient, f"{path}.{key}")
            if found:
                return found
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found = foreign_patient_data(child, patient, f"{path}[{index}]")
            if found:
                return found
    return None


def check_graphql(findings, target, response, patient, label):
    if response.status_code >= 500:
        findings.violation(f"{target.name}: {label}: HTTP {response.status_code} on /graphql: {response.text[:200]}")
        return None
    try:
        body = response.json()
    except ValueError:
        findings.violation(f"{target.name}: {label}: not JSON (HTTP {response.status_code}): {response.text[:200]}")
        return None
    if not isinstance(body, dict) or not ({"data", "errors"} & set(body)) or set(body) - {"data", "errors", "extensions"}:
        findings.violation(f"{target.name}: {label}: not a GraphQL response: {str(body)[:200]}")
        return None
    errors = body.get("errors", [])
    if "errors" in body and (not isinstance(errors, list) or not errors or
                             not all(isinstance(error, dict) and isinstance(error.get("message"), str) for error in errors)):
        findings.violation(f"{target.name}: {label}: malformed errors: {str(errors)[:200]}")
    if "data" not in body and not errors:
        findings.violation(f"{target.name}: {label}: neither data nor errors")
    if response.status_code == 200 and "data" not in body and response.headers.get("content-type", "").startswith("application/graphql-response+json"):
        findings.violation(f"{target.name}: {label}: 200 without data under application/graphql-response+json")
    codes = [str((error.get("extensions") or {}).get("code", "NONE")) for error in errors if isinstance(error, dict)]
    findings.count(response.status_code, codes)
    if patient is not None:
        leak = foreign_patient_data(body.get("data"), patient)
        if leak:
            findings.violation(f"{target.name}: {label}: patient {patient} saw {leak}")
    return body


def graphql_call(findings, session, target, traffic):
    token, patient = traffic.token(target)
    body = traffic.graphql_request()
    headers = {"Content-Type": "application/json", "Accept": traffic.rng.choice(
        ["application/graphql-response+json", "application/json", "application/graphql-response+json, application/json"])}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = session.post(f"{target.url}/graphql", data=json.dumps(body), headers=headers, timeout=60)
    check_graphql(findings, target, response, patient, "graphql")


def rest_call(findings, session, target, traffic):
    token, patient = traffic.token(target)
    path, params = traffic.rest_request(traffic.rng.choice(["v1", "v2"]))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = session.get(f"{target.url}{path}", params=params, headers=headers, timeout=60)
    if response.status_code >= 500 and response.status_code not in (502, 504):
        findings.violation(f"{target.name}: REST {path}: HTTP {response.status_code}: {response.text[:200]}")
    try:
        body = response.json()
    except ValueError:
        findings.violation(f"{target.name}: REST {path}: not JSON (HTTP {response.status_code})")
        return
    findings.count(response.status_code, [str(body.get("error", {}).get("code", "OK")) if isinstance(body, dict) else "?"])
    if patient is not None and isinstance(body, dict):
        data = body.get("data")
        # /patients/{id} answers the patient itself: its id is the owner.
        if path.count("/") == 4 and path.split("/")[3] == "patients":
            data = {"patient": data}
        leak = foreign_patient_data(data, patient)
        if leak:
            findings.violation(f"{target.name}: REST {path}: patient {patient} saw {leak}")


def write_then_read(findings, session, target, traffic):
    """A mutation through one replica, then a read through another replica of its group: the new
    appointment must be there (unless the write itself failed)."""
    patient = traffic.patient_id()
    writer = target
    reader = traffic.rng.choice(target.group)
    token = writer.cached_token("patient", patient)
    response = session.post(f"{writer.url}/graphql", timeout=60, headers={"Authorization": f"Bearer {token}"}, json={
        "query": "mutation($input: AppointmentInput!) { createAppointment(input: $input) { id patientId } }",
        "variables": {"input": traffic.appointment_input(patient)}})
    body = check_graphql(findings, writer, response, patient, "mutation")
    created = ((body or {}).get("data") or {}).get("createAppointment")
    if not created:
        return
    read = session.post(f"{reader.url}/graphql", timeout=60, headers={"Authorization": f"Bearer {reader.cached_token('patient', patient)}"},
                        json={"query": '{ patient(id: "%s") { appointments { id } } }' % patient})
    body = check_graphql(findings, reader, read, patient, "read after write")
    appointments = (((body or {}).get("data") or {}).get("patient") or {}).get("appointments")
    if appointments is None:
        return  # the business service failed (a fault): nothing to compare
    with findings.lock:
        findings.read_your_writes += 1
    if created["id"] not in {appointment["id"] for appointment in appointments}:
        findings.violation(f"{writer.name} -> {reader.name}: appointment {created['id']} of patient {patient} not read back")


def worker(index, seed, deadline, targets, findings, faults_enabled):
    traffic = Traffic(random.Random(seed * 1000 + index), SDL)
    session = requests.Session()
    while time.time() < deadline:
        target = traffic.rng.choice(targets)
        roll = traffic.rng.random()
        try:
            if roll < 0.6:
                graphql_call(findings, session, target, traffic)
            elif roll < 0.85:
                rest_call(findings, session, target, traffic)
            else:
                write_then_read(findings, session, target, traffic)
        except requests.RequestException as error:
            if target.gateway.process.poll() is not None:
                findings.violation(f"{target.name}: died ({error})")
                return
            findings.violation(f"{target.name}: request failed: {error}")


def fault_switcher(seed, deadline, fixture_urls, findings, stop):
    """Switches downstream faults at run time (each a few seconds), with quiet spells between."""
    rng = random.Random(seed * 7919)
    while time.time() < deadline and not stop.is_set():
        urls = rng.choice(fixture_urls)
        service = rng.randrange(len(urls))  # the four REST services and the insurance subgraph
        fault = rng.choice(FAULTS)
        try:
            requests.post(f"{urls[service]}/__faults", json=fault, timeout=10)
            stop.wait(rng.uniform(1, 4))
            requests.post(f"{urls[service]}/__faults", json={}, timeout=10)
        except requests.RequestException as error:
            findings.violation(f"fault switch failed: {error}")
        stop.wait(rng.uniform(0.5, 3))


def peak_memory_mb(process):
    try:
        with open(f"/proc/{process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=150)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workers", type=int, default=6)
    arguments = parser.parse_args()
    seed = arguments.seed if arguments.seed is not None else random.SystemRandom().randrange(1, 10**9)
    print(f"soak: seed {seed} (replay with --seed {seed}), {arguments.seconds:.0f} s, {arguments.workers} workers", flush=True)

    redis = Redis()
    cluster = RedisCluster()
    shared_redis_fixtures = Fixtures()
    shared_cluster_fixtures = Fixtures()
    started = []
    try:
        memory = Gateway(name="soak-memory")
        started.append(memory)
        redis_a = Gateway(redis=redis, share_fixtures=shared_redis_fixtures, name="soak-redis-a")
        started.append(redis_a)
        redis_b = Gateway(redis=redis, share_fixtures=shared_redis_fixtures, name="soak-redis-b")
        started.append(redis_b)
        cluster_a = Gateway(redis=cluster, share_fixtures=shared_cluster_fixtures, name="soak-cluster-a")
        started.append(cluster_a)
        cluster_b = Gateway(redis=cluster, share_fixtures=shared_cluster_fixtures, name="soak-cluster-b")
        started.append(cluster_b)
        global SDL
        SDL = requests.get(f"{memory.url}/schema.graphql", timeout=30).text
        targets = [Target(memory, "memory", None)]
        targets[0].group = [targets[0]]
        redis_group = [Target(redis_a, "redis+l1 A", None), Target(redis_b, "redis+l1 B", None)]
        cluster_group = [Target(cluster_a, "cluster A", None), Target(cluster_b, "cluster B", None)]
        for group in (redis_group, cluster_group):
            for target in group:
                target.group = group
        targets += redis_group + cluster_group

        findings = Findings()
        deadline = time.time() + arguments.seconds
        stop = threading.Event()
        fixture_urls = [memory.fixtures, shared_redis_fixtures.fixtures, shared_cluster_fixtures.fixtures]
        threads = [threading.Thread(target=worker, args=(index, seed, deadline, targets, findings, True), daemon=True)
                   for index in range(arguments.workers)]
        threads.append(threading.Thread(target=fault_switcher, args=(seed, deadline, fixture_urls, findings, stop), daemon=True))
        for thread in threads:
            thread.start()
        # Redis restarted once, a third of the way in; liveness checked every few seconds.
        restart_at = time.time() + arguments.seconds / 3
        restarted = False
        while time.time() < deadline:
            time.sleep(min(2.0, max(0.0, deadline - time.time())))
            if not restarted and time.time() >= restart_at:
                redis.restart()
                restarted = True
                print("soak: redis restarted", flush=True)
            for target in targets:
                if not target.gateway.alive():
                    findings.violation(f"{target.name}: not alive (health check failed)")
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        for target in targets:
            if not target.gateway.alive():
                findings.violation(f"{target.name}: not alive at the end")

        print(f"soak: {findings.requests} requests; {findings.read_your_writes} writes read back through a replica")
        print("soak: HTTP statuses " + ", ".join(f"{status}: {count}" for status, count in sorted(findings.statuses.items())))
        print("soak: error codes " + ", ".join(f"{code}: {count}" for code, count in findings.codes.most_common()))
        print("soak: peak memory " + ", ".join(f"{target.name} {peak_memory_mb(target.gateway.process) or 0:.0f} MB" for target in targets))
        for violation in findings.violations:
            print(f"soak: VIOLATION {violation}")
        if findings.violations:
            for gateway in started:
                text = gateway.log_text()
                # The cache's own lines first (outages, failed or pending invalidations): the tail is
                # mostly the hostile traffic's warnings.
                cache_lines = [line for line in text.splitlines() if "nilecare.cache" in line or "L1 invalidation" in line]
                print(f"--- {gateway.log_path} (cache lines, last 40 of {len(cache_lines)}) ---\n" + "\n".join(cache_lines[-40:]))
                print(f"--- {gateway.log_path} (tail) ---\n{text[-1500:]}")
            print(f"soak: {len(findings.violations)} violations (seed {seed})")
            return 1
        print(f"soak: no violations (seed {seed})")
        return 0
    finally:
        for gateway in started:
            gateway.stop()
        shared_redis_fixtures.stop()
        shared_cluster_fixtures.stop()
        cluster.close()
        redis.close()


SDL = ""

if __name__ == "__main__":
    sys.exit(main())
