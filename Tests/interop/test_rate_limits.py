"""Rate limits: two gateways sharing Redis hold one limit together (a burst over it is refused on
both), with 429, Retry-After and the IETF RateLimit fields; query cost has its own quota; REST
answers 429 too; with Redis down the limits are kept in process and /ready says so."""
import os
import sys

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gateways import Gateway, Redis  # noqa: E402

# A long window: no request is replenished while the test runs.
LIMITS = ["--rate-limits", "on", "--rate-limit-window-seconds", "600", "--rate-limit-quotas", "clinician=10/100000,admin=1000/40"]


@pytest.fixture(scope="module")
def shared():
    redis = Redis()
    a = Gateway(*LIMITS, redis=redis, name="limits-a")
    b = Gateway(*LIMITS, redis=redis, share_fixtures=a, name="limits-b")
    yield redis, a, b
    b.stop()
    a.stop()
    redis.close()


def test_two_gateways_sharing_redis_hold_one_limit(shared):
    _, a, b = shared
    token = a.token("clinician", "burst")
    statuses = [(gateway.graphql("{ __typename }", token)) for gateway in [a, b] * 6]
    assert [response.status_code for response in statuses[:10]] == [200] * 10
    refused = statuses[10:]
    assert [response.status_code for response in refused] == [429, 429]
    for response in refused:
        assert int(response.headers["Retry-After"]) >= 1
        assert '"requests";q=10;w=600' in response.headers["RateLimit-Policy"]
        assert response.headers["RateLimit"].startswith('"requests";r=0')
        assert response.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    # Another caller is not affected; REST calls count for the caller too.
    other = a.token("clinician", "someone-else")
    assert a.graphql("{ __typename }", other).status_code == 200
    rest = requests.get(f"{b.url}/api/v2/patients/1", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert rest.status_code == 429 and rest.json()["error"]["code"] == "RATE_LIMITED" and "Retry-After" in rest.headers


def test_query_cost_has_its_own_quota(shared):
    _, a, _ = shared
    token = a.token("admin", "costly")
    cheap = a.graphql('{ patient(id: "1") { id } }', token)
    assert cheap.status_code == 200 and '"cost";q=40;w=600' in cheap.headers["RateLimit-Policy"]
    costly = a.graphql("{ patients(limit: 50) { id appointments { id } } }", token)
    assert costly.status_code == 429
    assert "cost" in costly.json()["errors"][0]["message"]


def test_redis_down_falls_back_to_in_process_limits_and_says_so(shared):
    redis, a, _ = shared
    redis.stop()
    try:
        token = a.token("clinician", "while-redis-is-down")
        answers = [a.graphql("{ __typename }", token).status_code for _ in range(12)]
        assert answers[:10] == [200] * 10 and answers[10:] == [429, 429]
        assert requests.get(f"{a.url}/ready", timeout=30).json()["rateLimits"] == "in-process (redis down)"
    finally:
        redis.start()


def test_the_explorers_live_validation_counts_against_the_limits():
    gateway = Gateway("--rate-limits", "on", "--rate-limit-window-seconds", "600", "--rate-limit-quotas", "anonymous=3/1000",
                      name="limits-explorer")
    try:
        answers = [requests.post(f"{gateway.url}/explorer/validate", json={"query": "{ patients { id } }"}, timeout=30) for _ in range(4)]
        assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
        assert int(answers[3].headers["Retry-After"]) >= 1 and '"requests";q=3;w=600' in answers[3].headers["RateLimit-Policy"]
        assert answers[3].json()["errors"][0]["message"].startswith("Too many requests")
    finally:
        gateway.stop()
