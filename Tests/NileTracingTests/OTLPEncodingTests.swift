import Foundation
import Testing
import Tracing

@testable import NileTracing

/// The encoder's output decoded by opentelemetry-proto (Python, the reference definitions): every
/// field the tracer writes must come back as written.
@Suite struct OTLPEncodingTests {
    private func decode(_ bytes: [UInt8]) throws -> [String: Any] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("decode_otlp.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let json = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    }

    private let encoder = OTLPTraceEncoder(
        serviceName: "nilecare-gateway", resourceAttributes: [("deployment.environment", "test")], scopeName: "nilecare", scopeVersion: "1.0.0")

    @Test func aSpanRoundTripsThroughTheReferenceDecoder() throws {
        let traceID = try #require(TraceID(high: 0x4bf9_2f35_77b3_4da6, low: 0xa3ce_929d_0e0e_4736))
        let context = SpanContext(traceID: traceID, spanID: SpanID(nonZero: 0x00f0_67aa_0ba9_02b7), flags: 1, traceState: "rojo=1", isRemote: false)
        let linked = SpanContext(traceID: traceID, spanID: SpanID(nonZero: 5), flags: 0, traceState: nil, isRemote: true)
        var attributes: SpanAttributes = [:]
        attributes["http.route"] = "/graphql"
        attributes["http.status_code"] = 200
        attributes["zero"] = 0
        attributes["negative"] = SpanAttribute.int64(-42)
        attributes["ratio"] = 0.25
        attributes["cached"] = false
        attributes["names"] = SpanAttribute.stringArray(["a", "b"])
        attributes["counts"] = SpanAttribute.int64Array([1, 2, 3])
        let span = FinishedSpan(
            context: context, parentSpanID: SpanID(nonZero: 0x1122_3344_5566_7788), parentIsRemote: true, name: "HTTP POST", kind: .server,
            startNanoseconds: 1_700_000_000_000_000_000, endNanoseconds: 1_700_000_000_001_000_000, attributes: attributes,
            events: [SpanEvent(name: "exception", at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_500_000), attributes: ["exception.message": "boom"])],
            links: [(linked, ["reason": "retry"])], status: SpanStatus(code: .error, message: "failed"), droppedEvents: 3, droppedLinks: 0)
        let decoded = try decode(encoder.encode([span]))

        let resourceSpans = try #require((decoded["resource_spans"] as? [[String: Any]])?.first)
        let resource = try #require((resourceSpans["resource"] as? [String: Any])?["attributes"] as? [[String: Any]])
        #expect(stringAttributes(resource)["service.name"] == "nilecare-gateway")
        #expect(stringAttributes(resource)["deployment.environment"] == "test")
        #expect(stringAttributes(resource)["telemetry.sdk.language"] == "swift")
        let scopeSpans = try #require((resourceSpans["scope_spans"] as? [[String: Any]])?.first)
        #expect((scopeSpans["scope"] as? [String: Any])?["name"] as? String == "nilecare")
        let decodedSpan = try #require((scopeSpans["spans"] as? [[String: Any]])?.first)
        // JSON mapping: bytes are base64, 64-bit integers are strings.
        #expect(decodedSpan["trace_id"] as? String == base64(traceID.high, traceID.low))
        #expect(decodedSpan["span_id"] as? String == base64(context.spanID.value))
        #expect(decodedSpan["parent_span_id"] as? String == base64(0x1122_3344_5566_7788))
        #expect(decodedSpan["trace_state"] as? String == "rojo=1")
        #expect(decodedSpan["name"] as? String == "HTTP POST")
        #expect(decodedSpan["kind"] as? Int == 2)
        #expect(decodedSpan["start_time_unix_nano"] as? String == "1700000000000000000")
        #expect(decodedSpan["end_time_unix_nano"] as? String == "1700000000001000000")
        #expect(decodedSpan["flags"] as? Int == 0x301)
        #expect(decodedSpan["dropped_events_count"] as? Int == 3)
        let values = try #require(decodedSpan["attributes"] as? [[String: Any]])
        let byKey = Dictionary(uniqueKeysWithValues: values.compactMap { pair in (pair["key"] as? String).map { ($0, pair["value"] as? [String: Any] ?? [:]) } })
        #expect(byKey["http.route"]?["string_value"] as? String == "/graphql")
        #expect(byKey["http.status_code"]?["int_value"] as? String == "200")
        #expect(byKey["zero"]?["int_value"] as? String == "0")
        #expect(byKey["negative"]?["int_value"] as? String == "-42")
        #expect(byKey["ratio"]?["double_value"] as? Double == 0.25)
        #expect(byKey["cached"]?["bool_value"] as? Bool == false)
        #expect(((byKey["names"]?["array_value"] as? [String: Any])?["values"] as? [[String: Any]])?.compactMap { $0["string_value"] as? String } == ["a", "b"])
        #expect(((byKey["counts"]?["array_value"] as? [String: Any])?["values"] as? [[String: Any]])?.compactMap { $0["int_value"] as? String } == ["1", "2", "3"])
        let event = try #require((decodedSpan["events"] as? [[String: Any]])?.first)
        #expect(event["name"] as? String == "exception" && event["time_unix_nano"] as? String == "1700000000000500000")
        #expect(stringAttributes(event["attributes"] as? [[String: Any]] ?? [])["exception.message"] == "boom")
        let link = try #require((decodedSpan["links"] as? [[String: Any]])?.first)
        #expect(link["span_id"] as? String == base64(linked.spanID.value) && link["flags"] as? Int == 0x300)
        let status = try #require(decodedSpan["status"] as? [String: Any])
        #expect(status["code"] as? Int == 2 && status["message"] as? String == "failed")
    }

    @Test func manySpansAndLargeValuesKeepTheirLengths() throws {
        let context = SpanContext(traceID: TraceID(nonZeroHigh: 1, low: 2), spanID: SpanID(nonZero: 3), flags: 1, traceState: nil, isRemote: false)
        let long = String(repeating: "é", count: 20_000)
        var attributes: SpanAttributes = [:]
        for index in 0..<200 { attributes["key\(index)"] = SpanAttribute.string(long.prefix(index * 10).description) }
        let spans = (0..<300).map { index in
            FinishedSpan(
                context: context, parentSpanID: nil, parentIsRemote: false, name: "span \(index) \(long)", kind: .client, startNanoseconds: 1,
                endNanoseconds: 2, attributes: index == 0 ? attributes : [:], events: [], links: [], status: nil, droppedEvents: 0, droppedLinks: 0)
        }
        let decoded = try decode(encoder.encode(spans))
        let scopeSpans = try #require(((decoded["resource_spans"] as? [[String: Any]])?.first?["scope_spans"] as? [[String: Any]])?.first)
        let decodedSpans = try #require(scopeSpans["spans"] as? [[String: Any]])
        #expect(decodedSpans.count == 300)
        #expect(decodedSpans.last?["name"] as? String == "span 299 \(long)")
        // At most 128 attributes per span; the rest counted as dropped.
        #expect((decodedSpans.first?["attributes"] as? [Any])?.count == 128)
        #expect(decodedSpans.first?["dropped_attributes_count"] as? Int == 72)
        #expect(decodedSpans.first?["parent_span_id"] == nil)
    }

    /// What the JSON mapping shows for an id: its big-endian bytes in base64.
    private func base64(_ values: UInt64...) -> String {
        Data(values.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - $0 * 8)) } }).base64EncodedString()
    }

    private func stringAttributes(_ list: [[String: Any]]) -> [String: String] {
        Dictionary(
            list.compactMap { pair in
                guard let key = pair["key"] as? String, let value = (pair["value"] as? [String: Any])?["string_value"] as? String else { return nil }
                return (key, value)
            }, uniquingKeysWith: { first, _ in first })
    }
}
