"""The Grafana dashboard and the Prometheus alerting rules in `deploy/` speak of metrics that exist:
every PromQL expression parses (promql-parser), and every metric it names is exported by a live
gateway (Redis with L1) once it has seen the events the panels watch: queries, cache hits in both
tiers, a refused request, a failing service (retries, its circuit opening), a tampered cache entry,
Redis going away."""
import json
import os
import re
import socket
import sys

import promql_parser
import pytest
import requests
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gateways import Gateway, Redis  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def expressions():
    with open(os.path.join(ROOT, "deploy", "grafana", "dashboards", "nilecare.json"), encoding="utf-8") as handle:
        dashboard = json.load(handle)
    found = [(f"panel {panel['title']!r}", target["expr"]) for panel in dashboard["panels"] for target in panel["targets"]]
    with open(os.path.join(ROOT, "deploy", "prometheus", "alerts.yml"), encoding="utf-8") as handle:
        rules = yaml.safe_load(handle)
    found += [(f"alert {rule['alert']}", rule["expr"]) for group in rules["groups"] for rule in group["rules"]]
    # Grafana's own variables stand for durations.
    return [(where, re.sub(r"\$__(rate_interval|range|interval)", "5m", expression)) for where, expression in found]


def metric_names(node):
    kind = type(node).__name__
    if kind == "VectorSelector":
        yield node.name
        return
    for attribute in ("args", "expr", "lhs", "rhs", "vector_selector", "param"):
        value = getattr(node, attribute, None)
        for child in value if isinstance(value, list) else ([value] if value is not None else []):
            yield from metric_names(child)


@pytest.mark.parametrize("where,expression", expressions())
def test_every_expression_parses(where, expression):
    assert list(metric_names(promql_parser.parse(expression))), f"{where}: names no metric"


def test_every_metric_named_is_exported_by_a_live_gateway():
    redis = Redis()
    gateway = Gateway("--rate-limits", "on", "--rate-limit-quotas", "admin=20/1000000", "--rate-limit-window-seconds", "600",
                      redis=redis, name="dashboards")
    try:
        token = gateway.token("admin")
        for _ in range(3):
            gateway.graphql('{ patient(id: "2") { id appointments { id } medications { name } } provider(id: "2") { id } }', token)
        deep = '{ patient(id: "1") { ' + "appointments { patient { " * 10 + "id" + " } }" * 10 + " } }"
        assert gateway.graphql(deep, token).json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"
        gateway.faults("lab", errorRate=1)
        for _ in range(3):
            gateway.graphql('{ patient(id: "2") { labOrders { id } } }', token)
        key = next(iter(os.popen(f"redis-cli -p {redis.port} --scan --pattern 'nc:*:public:Query.provider:2'").read().split()), None)
        assert key, "the provider entry was cached"
        with socket.create_connection(("127.0.0.1", redis.port), timeout=30) as connection:
            parts = [b"SET", key.encode(), b"NCV2\x00" + (2**62).to_bytes(8, "big") + b'[{"id":"2"}]']
            connection.sendall(b"*3\r\n" + b"".join(b"$%d\r\n%s\r\n" % (len(part), part) for part in parts))
            connection.recv(64)
        gateway.graphql('{ provider(id: "2") { id } }', token)
        # Spend the quota: one refusal.
        assert any(gateway.graphql("{ __typename }", token).status_code == 429 for _ in range(100))
        redis.stop()
        gateway.graphql('{ provider(id: "3") { id } }', token)
        exported = set()
        for line in requests.get(f"{gateway.url}/metrics", timeout=30).text.splitlines():
            if line and not line.startswith("#"):
                exported.add(re.split(r"[{ ]", line, maxsplit=1)[0])
        missing = {(where, name) for where, expression in expressions()
                   for name in metric_names(promql_parser.parse(expression)) if name not in exported}
        assert not missing, sorted(missing)
    finally:
        gateway.stop()
        redis.close()
