import CMalloc
import Foundation
import GraphQL
import GraphQLEngine

// Usage: EngineBenchmarks [WORKLOAD_DIR] [--sample-ms N] [--samples N] [--graphql-js RESULTS.json] [--json OUT]
// Prints a Markdown table: per document and phase, the median throughput (operations/s) of our
// engine and of GraphQLSwift 4.3.0, measured in the same run, and their ratio; with --graphql-js,
// also graphql-js's figures for the same work (`bench_graphql_js.mjs --json`, run just before).
// With --json, our four phases' medians are also written to OUT in the shape graphql-js's harness
// writes (`results[].{query, parse, validate, execute, graphql}.median_ops_per_s`), for
// `Benchmarks/engine-paired.py`, which alternates the two engines' runs; the extra rows are skipped.

// The allocator settings the gateway runs with (`MallocTuning` in Sources/nilecare: blocks under
// 4 MiB from the heap, 8 MiB of free heap kept), so that the engine is measured as it is deployed
// rather than paying a page fault for every large block glibc would map afresh. Both Swift engines
// run under them; BENCH_MALLOC=default measures with glibc's defaults.
if ProcessInfo.processInfo.environment["BENCH_MALLOC"] != "default" && ProcessInfo.processInfo.environment["GLIBC_TUNABLES"] == nil {
    mallopt(M_MMAP_THRESHOLD, 4 << 20)
    mallopt(M_TRIM_THRESHOLD, 8 << 20)
}

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return Int(arguments[index + 1]) ?? fallback
}
let directory = arguments.count > 1 && !arguments[1].hasPrefix("--") ? arguments[1] : "Workload"
let sampleMilliseconds = option("--sample-ms", 200)
let sampleCount = option("--samples", 5)

let workload = try Workload(directory: URL(fileURLWithPath: directory))
/// graphql-js's median ops/s by document and phase (its `graphql` phase is our `full`).
let graphQLJS: [String: [String: Double]] = {
    guard let index = arguments.firstIndex(of: "--graphql-js"), index + 1 < arguments.count,
        let data = FileManager.default.contents(atPath: arguments[index + 1]),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let rows = object["results"] as? [[String: Any]]
    else { return [:] }
    var rates: [String: [String: Double]] = [:]
    for row in rows {
        guard let query = row["query"] as? String else { continue }
        for (phase, ours) in [("parse", "parse"), ("validate", "validate"), ("execute", "execute"), ("graphql", "full")] {
            if let measured = row[phase] as? [String: Any], let rate = measured["median_ops_per_s"] as? Double { rates[query, default: [:]][ours] = rate }
        }
    }
    return rates
}()
let jsonOutput: String? = arguments.firstIndex(of: "--json").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
let ours = try OurEngine(workload)
let theirs = try SwiftGraphQLEngine(workload)

/// Runs `body` repeatedly for a warm-up, then `sampleCount` samples; returns the median rate per second.
func measure(_ body: () async throws -> Void) async rethrows -> Double {
    // BENCH_ITERATIONS=N runs the body exactly N times (for `perf stat` instruction counts, which
    // a noisy machine does not move as it moves times).
    if let iterations = fixedIterations {
        for _ in 0..<iterations { try await body() }
        return Double(iterations)
    }
    return try await medianRate { start in
        var count = 0
        repeat {
            try await body()
            count += 1
        } while ContinuousClock.now - start < sampleDuration
        return count
    }
}

/// `measure` for a synchronous body (parse, validate), called directly as graphql-js's harness
/// calls its functions: through an async closure each call would also pay a task frame.
func measureSync(_ body: () throws -> Void) async rethrows -> Double {
    if let iterations = fixedIterations {
        for _ in 0..<iterations { try body() }
        return Double(iterations)
    }
    return try await medianRate { start in
        var count = 0
        repeat {
            try body()
            count += 1
        } while ContinuousClock.now - start < sampleDuration
        return count
    }
}

/// The median rate of `sampleCount` samples after one of warm-up; `sample` runs the body until
/// `sampleDuration` has passed since the instant it is given, and returns how many times it ran.
func medianRate(_ sample: (ContinuousClock.Instant) async throws -> Int) async rethrows -> Double {
    var rates: [Double] = []
    for index in 0...sampleCount {
        let start = ContinuousClock.now
        let count = try await sample(start)
        if index > 0 { rates.append(rate(count, since: start)) }  // sample 0 is the warm-up
    }
    return rates.sorted()[rates.count / 2]
}

let fixedIterations = ProcessInfo.processInfo.environment["BENCH_ITERATIONS"].flatMap(Int.init)
let sampleDuration = Duration.milliseconds(sampleMilliseconds)

func rate(_ count: Int, since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

func format(_ rate: Double) -> String {
    rate >= 100 ? String(Int(rate.rounded())) : String(format: "%.1f", rate)
}

/// The timed loops run in a nonisolated function: closures made in top-level code would be
/// main-actor isolated, and every call would hop executors (a futex wake-up per iteration).
func runAll(workload: Workload, ours: OurEngine, theirs: SwiftGraphQLEngine) async throws {
    let withJS = !graphQLJS.isEmpty
    print("| document | phase | NileCare engine (ops/s) | GraphQLSwift 4.3.0 (ops/s) | ratio |" + (withJS ? " graphql-js 16 (ops/s) | ratio to graphql-js |" : ""))
    print("|---|---|---:|---:|---:|" + (withJS ? "---:|---:|" : ""))
    // BENCH_ONLY=a_small restricts the run to one document, BENCH_PHASE=parse to one phase
    // (parse, validate, execute, full, or serialize: JSON bytes of an executed result);
    // BENCH_OURS_ONLY=1 skips GraphQLSwift (for profiling).
    let only = ProcessInfo.processInfo.environment["BENCH_ONLY"]
    let onlyPhase = ProcessInfo.processInfo.environment["BENCH_PHASE"]
    let oursOnly = ProcessInfo.processInfo.environment["BENCH_OURS_ONLY"] == "1"
    // Ours first for every document, then GraphQLSwift's: measured in turn per document, our later
    // documents ran on the heap GraphQLSwift's runs had grown and fragmented (up to 30% slower than
    // in a process of their own). graphql-js runs in a process of its own.
    let documents = workload.documents.filter { only == nil || $0.id == only }
    let passes = (oursOnly ? [true] : [true, false]).flatMap { measuringOurs in documents.map { (measuringOurs, $0) } }
    var rates: [String: [String: (ours: Double, theirs: Double)]] = [:]
    var extraRows: [String: [String]] = [:]
    for (measuringOurs, document) in passes {
        let source = GraphQLEngine.Source(document.text)
        let ourDocument = try GraphQLEngine.Parser.parse(source)
        let ourVariables = ours.variables(document)
        let theirDocument = try GraphQL.parse(source: document.text)
        let theirVariables = theirs.variables(document)
        let planCache = PlanCache()

        // Sanity: each engine answers without errors before it is timed.
        if measuringOurs {
            let check = await GraphQLEngine.execute(
                ExecutionRequest(schema: ours.schema, document: ourDocument, operationName: document.operationName, variables: ourVariables, source: source))
            precondition(check.errors.isEmpty, "our engine failed on \(document.id): \(check.errors)")
        } else {
            let theirCheck = try await GraphQL.execute(
                schema: theirs.schema, documentAST: theirDocument, rootValue: (), context: (), variableValues: theirVariables,
                operationName: document.operationName)
            precondition(theirCheck.errors.isEmpty, "GraphQLSwift failed on \(document.id): \(theirCheck.errors)")
        }

        /// A phase's two bodies: synchronous ones (parse, validate) are timed by `measureSync`.
        enum Bodies {
            case sync(() throws -> Void, () throws -> Void)
            case async(() async throws -> Void, () async throws -> Void)
        }
        let phases: [(String, Bodies)] = [
            ("parse", .sync({ _ = try GraphQLEngine.Parser.parse(source) }, { _ = try GraphQL.parse(source: document.text) })),
            (
                "validate",
                .sync(
                    { _ = GraphQLEngine.validate(schema: ours.schema, document: ourDocument, source: source) },
                    { _ = GraphQL.validate(schema: theirs.schema, ast: theirDocument) })
            ),
            (
                "execute",
                .async(
                    {
                        // A parsed and validated document, as a host's document cache holds it with its compiled plans.
                        _ = await GraphQLEngine.execute(
                            ExecutionRequest(
                                schema: ours.schema, document: ourDocument, operationName: document.operationName,
                                variables: ourVariables, source: source, plans: planCache))
                    },
                    {
                        _ = try await GraphQL.execute(
                            schema: theirs.schema, documentAST: theirDocument, rootValue: (), context: (),
                            variableValues: theirVariables, operationName: document.operationName)
                    })
            ),
            (
                // Diagnostic (BENCH_PHASE=compile+execute only): execute with the plans compiled per run.
                "compile+execute",
                .async(
                    {
                        _ = await GraphQLEngine.execute(
                            ExecutionRequest(
                                schema: ours.schema, document: ourDocument, operationName: document.operationName,
                                variables: ourVariables, source: source))
                    },
                    {})
            ),
            (
                "full",
                .async(
                    {
                        let parsed = try GraphQLEngine.Parser.parse(source)
                        let errors = GraphQLEngine.validate(schema: ours.schema, document: parsed, source: source)
                        precondition(errors.isEmpty)
                        _ = await GraphQLEngine.execute(
                            ExecutionRequest(
                                schema: ours.schema, document: parsed, operationName: document.operationName,
                                variables: ourVariables, source: source))
                    },
                    {
                        _ = try await GraphQL.graphql(
                            schema: theirs.schema, request: document.text, variableValues: theirVariables,
                            operationName: document.operationName)
                    })
            ),
        ]
        for (phase, bodies) in phases where onlyPhase == phase || (onlyPhase == nil && phase != "compile+execute") {
            let measured: Double
            switch bodies {
            case .sync(let ourBody, let theirBody): measured = try await measureSync(measuringOurs ? ourBody : theirBody)
            case .async(let ourBody, let theirBody): measured = try await measure(measuringOurs ? ourBody : theirBody)
            }
            if measuringOurs {
                rates[document.id, default: [:]][phase] = (measured, .nan)
            } else {
                rates[document.id, default: [:]][phase]?.theirs = measured
            }
        }
        if !measuringOurs || jsonOutput != nil || (onlyPhase != nil && onlyPhase != "serialize") { continue }
        // Ours only: serializing an executed result to JSON bytes (BENCH_PHASE=serialize: this alone).
        let executed = await GraphQLEngine.execute(
            ExecutionRequest(
                schema: ours.schema, document: ourDocument, operationName: document.operationName, variables: ourVariables,
                source: source))
        let serialize = await measureSync { _ = executed.jsonBytes() }
        if onlyPhase == "serialize" {
            print("| \(document.id) | JSON bytes only | \(format(serialize)) | — | — |")
            continue
        }
        // Ours only: the full pipeline including JSON serialization of the response.
        let withJSON = try await measure {
            let parsed = try GraphQLEngine.Parser.parse(source)
            _ = GraphQLEngine.validate(schema: ours.schema, document: parsed, source: source)
            let result = await GraphQLEngine.execute(
                ExecutionRequest(
                    schema: ours.schema, document: parsed, operationName: document.operationName, variables: ourVariables,
                    source: source))
            _ = result.jsonBytes()
        }
        extraRows[document.id, default: []].append("| \(document.id) | full + JSON bytes | \(format(withJSON)) | — | — |" + (withJS ? " — | — |" : ""))
        extraRows[document.id, default: []].append("| \(document.id) | JSON bytes only | \(format(serialize)) | — | — |" + (withJS ? " — | — |" : ""))
    }
    for document in documents {
        for phase in ["parse", "validate", "execute", "compile+execute", "full"] {
            guard let (ourRate, theirRate) = rates[document.id]?[phase] else { continue }
            var row = "| \(document.id) | \(phase) | \(format(ourRate)) | \(format(theirRate)) | \(String(format: "%.1f", ourRate / theirRate))× |"
            if withJS {
                let js = graphQLJS[document.id]?[phase]
                row += js.map { " \(format($0)) | \(String(format: "%.1f", ourRate / $0))× |" } ?? " — | — |"
            }
            print(row)
        }
        for row in extraRows[document.id] ?? [] { print(row) }
    }
    if let jsonOutput { try writeRates(rates.mapValues { $0.mapValues(\.ours) }, to: jsonOutput) }
}

/// Writes our median rates as graphql-js's harness writes its own (its `graphql` phase is our `full`).
func writeRates(_ rates: [String: [String: Double]], to path: String) throws {
    let results: [[String: Any]] = rates.keys.sorted().map { query in
        var row: [String: Any] = ["query": query]
        for (phase, rate) in rates[query] ?? [:] { row[phase == "full" ? "graphql" : phase] = ["median_ops_per_s": rate] }
        return row
    }
    let data = try JSONSerialization.data(withJSONObject: ["engine": "nilecare", "results": results], options: [.sortedKeys])
    try data.write(to: URL(fileURLWithPath: path))
}

try await runAll(workload: workload, ours: ours, theirs: theirs)
if ProcessInfo.processInfo.environment["BENCH_ONLY"] == nil || ProcessInfo.processInfo.environment["BENCH_PHASE"] == "read" {
    try await benchmarkJSONRead(ours.dataJSON)
}
