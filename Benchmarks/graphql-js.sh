#!/usr/bin/env bash
# graphql-js 16 (Debian's nodejs + node-graphql, installed here when missing) on the shared engine
# workload. Usage: Benchmarks/graphql-js.sh --install   (installs only, for engine-paired.py)
#                  Benchmarks/graphql-js.sh OUT.json    (one run, as JSON for EngineBenchmarks' --graphql-js)
set -euo pipefail
out="${1:?usage: graphql-js.sh --install | OUT.json}"
workload="${BENCH_WORKLOAD_DIR:-$(dirname "$0")/../../shared/bench-workload}"
if ! command -v node >/dev/null || [ ! -f /usr/share/nodejs/graphql/index.mjs ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq nodejs node-graphql >/dev/null
fi
[ "$out" = "--install" ] && exit 0
node "$workload/bench_graphql_js.mjs" --root "$workload" --json "$out" > /dev/null
