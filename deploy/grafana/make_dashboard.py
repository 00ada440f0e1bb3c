"""Writes deploy/grafana/dashboards/nilecare.json: the NileCare gateway dashboard (Grafana 11),
one panel per question an operator asks. Edit the panels here and rerun; CI checks that every
PromQL expression parses and names only metrics a live gateway exports."""
import json
import os

PANELS = [
    ("Operations by name and type", "reqps", ['sum by (type, name) (rate(graphql_operations_total[$__rate_interval]))']),
    ("Operations failing, by outcome", "reqps", ['sum by (outcome) (rate(graphql_operations_total{outcome!="ok"}[$__rate_interval]))']),
    ("HTTP requests by route and status", "reqps", ['sum by (route, status) (rate(http_server_requests_total[$__rate_interval]))']),
    ("GraphQL latency percentiles", "s", [
        f'histogram_quantile({q}, sum by (le) (rate(http_server_request_duration_seconds_bucket{{route="/graphql"}}[$__rate_interval])))'
        for q in ("0.5", "0.95", "0.99")]),
    ("Time by phase (p95)", "s", ['histogram_quantile(0.95, sum by (le, phase) (rate(graphql_phase_duration_seconds_bucket[$__rate_interval])))']),
    ("Downstream latency by service (p95)", "s", [
        'histogram_quantile(0.95, sum by (le, service) (rate(downstream_request_duration_seconds_bucket[$__rate_interval])))']),
    ("Downstream failures by service and status", "reqps", [
        'sum by (service, status) (rate(downstream_requests_total{status!="2xx"}[$__rate_interval]))',
        'sum by (service) (rate(downstream_retries_total[$__rate_interval]))']),
    ("Circuit state by service (0 closed, 1 half-open, 2 open)", "none", [
        'max by (service) (downstream_circuit_state)', 'sum by (service, to) (increase(downstream_circuit_transitions_total[$__range]))']),
    ("Cache hit rate", "percentunit", [
        'sum(rate(cache_lookups_total{result="hit"}[$__rate_interval])) / clamp_min(sum(rate(cache_lookups_total[$__rate_interval])), 1e-9)']),
    ("Cache hits by tier", "ops", ['sum by (tier) (rate(cache_tier_hits_total[$__rate_interval]))']),
    ("Redis round trips by command (p99 and rate)", "s", [
        'histogram_quantile(0.99, sum by (le, command) (rate(redis_command_duration_seconds_bucket[$__rate_interval])))',
        'sum by (command) (rate(redis_command_duration_seconds_count[$__rate_interval]))']),
    ("Cache backend errors and integrity failures", "ops", [
        'sum by (store) (rate(cache_errors_total[$__rate_interval]))', 'sum by (kind) (rate(cache_integrity_failures_total[$__rate_interval]))']),
    ("Requests refused by limits", "reqps", ['sum by (reason) (rate(requests_rejected_total[$__rate_interval]))']),
    ("Rate-limit refusals by limit and role", "reqps", [
        'sum by (limit, role) (rate(rate_limited_total[$__rate_interval]))', 'max(rate_limiter_fallback)']),
    ("Process memory and CPU", "bytes", ['process_resident_memory_bytes', 'rate(process_cpu_seconds_total[$__rate_interval])']),
]


def panel(index, title, unit, expressions):
    return {
        "id": index + 1, "type": "timeseries", "title": title,
        "datasource": {"type": "prometheus", "uid": "prometheus"},
        "gridPos": {"h": 8, "w": 12, "x": 12 * (index % 2), "y": 8 * (index // 2)},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}, "tooltip": {"mode": "multi"}},
        "targets": [{"refId": chr(ord("A") + n), "expr": expression, "datasource": {"type": "prometheus", "uid": "prometheus"}}
                    for n, expression in enumerate(expressions)],
    }


def main():
    dashboard = {
        "uid": "nilecare-gateway", "title": "NileCare gateway", "tags": ["nilecare"], "timezone": "browser",
        "schemaVersion": 39, "version": 1, "refresh": "10s", "time": {"from": "now-1h", "to": "now"},
        "panels": [panel(index, *entry) for index, entry in enumerate(PANELS)],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dashboards", "nilecare.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(dashboard, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
