# NileCare Gateway — developer entry points.
.PHONY: run test bench fuzz

# Builds and runs the gateway on 127.0.0.1:4000 with embedded fixture services.
run:
	scripts/install-deps
	swift run nilecare serve $(ARGS)

# Installs what the tests need, builds once in debug, runs every test.
test:
	scripts/test

# Engine benchmarks (release), ours vs GraphQLSwift 4.3.0, on the shared workload.
bench:
	cd Benchmarks && swift build -c release --scratch-path ../.build-bench && ../.build-bench/release/EngineBenchmarks Workload

# Fuzzes the parser and validator for FUZZ_SECONDS (default 300) with libFuzzer.
fuzz:
	Fuzz/run $${FUZZ_SECONDS:-300}
