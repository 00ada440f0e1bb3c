import Foundation
import GraphQLEngine

/// Reading a downstream answer: the workload's data as JSON bytes through our reader (what the
/// gateway does with every downstream body: values made when read), the same with every value
/// made (as Foundation makes them), and through Foundation's `JSONSerialization`.
func benchmarkJSONRead(_ bytes: [UInt8]) async throws {
    let data = Data(bytes)
    let ours = try await measureSync { _ = try JSONReader.parse(bytes) }
    let oursOnly = ProcessInfo.processInfo.environment["BENCH_OURS_ONLY"] == "1"
    let oursWhole = oursOnly ? .nan : try await measureSync { _ = try JSONReader.parse(bytes).materialized }
    let foundation = oursOnly ? .nan : try await measureSync { _ = try JSONSerialization.jsonObject(with: data) }
    let megabytes = Double(bytes.count) / 1_000_000
    print()
    print("| reading \(bytes.count) bytes of JSON | reads/s | MB/s |")
    print("|---|---:|---:|")
    print("| JSONReader (ours) | \(format(ours)) | \(String(format: "%.0f", ours * megabytes)) |")
    print("| JSONReader (ours), every value made | \(format(oursWhole)) | \(String(format: "%.0f", oursWhole * megabytes)) |")
    print("| JSONSerialization (Foundation) | \(format(foundation)) | \(String(format: "%.0f", foundation * megabytes)) |")
}
