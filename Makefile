# NileCare Gateway — developer entry points.
.PHONY: run dev test bench bench-load bench-peer bench-cache bench-observability bench-hostile validate-deploy fuzz soak

# Builds and runs the gateway on 127.0.0.1:4000 with embedded fixture services.
run:
	scripts/install-deps
	swift run nilecare serve $(ARGS)

# Redis, the fixture services and the gateway in watch mode, together (Ctrl-C stops all).
dev:
	scripts/dev $(ARGS)

# Installs what the tests need, builds once in debug, runs every test.
test:
	scripts/test

# Engine benchmarks (release) on the shared workload: ours vs GraphQLSwift 4.3.0 in one process,
# then ours vs graphql-js 16 (Node) in paired, alternating runs (Benchmarks/engine-paired.py).
bench:
	cd Benchmarks && swift build -c release --scratch-path ../.build-bench
	Benchmarks/graphql-js.sh --install
	cd Benchmarks && ../.build-bench/release/EngineBenchmarks Workload
	python3 Benchmarks/engine-paired.py

# End-to-end load (release build, wrk): cases against the fixed-body ceiling of the same binary.
bench-load:
	scripts/install-deps && swift build -c release --product nilecare && python3 Benchmarks/load/run.py --binary .build/release/nilecare

# The gateway against a Node peer (graphql-js, dataloaders) over the same fixtures: throughput and CPU per request.
bench-peer:
	scripts/install-deps && swift build -c release --scratch-path .build-release --product nilecare && python3 Benchmarks/peer/run.py --binary .build-release/release/nilecare

# The resolver-cache benchmark (release build, Redis, fixtures at 20 ms).
bench-cache:
	swift build -c release --product nilecare && python3 Benchmarks/cache/run.py --binary .build/release/nilecare

# Cost of metrics and tracing on cached-query throughput (release build, wrk).
bench-observability:
	swift build -c release --product nilecare && python3 Benchmarks/observability/run.py --binary .build/release/nilecare

# Validates deploy/ (yamllint, Kubernetes schemas, compose-spec schema, schema ConfigMap).
validate-deploy:
	scripts/validate-deploy

# Fuzzes the parser and validator for FUZZ_SECONDS (default 300) with libFuzzer.
fuzz:
	Fuzz/run $${FUZZ_SECONDS:-300}

# The live fuzz/soak for SOAK_SECONDS (default 1800) against memory, Redis+L1 and cluster gateways.
soak:
	scripts/install-deps && swift build --product nilecare && python3 Tests/soak/run.py --seconds $${SOAK_SECONDS:-1800}

# CPU per request of the worst document shapes (release build), with default and raised limits.
bench-hostile:
	swift build -c release --product nilecare && python3 Benchmarks/hostile/run.py --binary .build/release/nilecare
