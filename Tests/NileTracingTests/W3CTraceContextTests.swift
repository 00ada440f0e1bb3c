import Testing

@testable import NileTracing

@Suite struct W3CTraceContextTests {
    let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func readsAValidTraceparent() throws {
        let context = try #require(W3CTraceContext.parse(traceparent: " \(valid)\t", tracestate: "congo=t61rcWkgMzE, rojo=00f067aa0ba902b7"))
        #expect(context.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context.spanID.hex == "00f067aa0ba902b7")
        #expect(context.isSampled && context.isRemote)
        #expect(context.traceState == "congo=t61rcWkgMzE, rojo=00f067aa0ba902b7")
        #expect(W3CTraceContext.format(context) == valid)
    }

    @Test(arguments: [
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // uppercase
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 has nothing after the flags
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",  // short
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // separator
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",  // not hex
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // a later version appends after a dash only
        "", "00", String(repeating: "0", count: 4096), "00-é",
    ])
    func refusesMalformedTraceparents(_ value: String) {
        #expect(W3CTraceContext.parse(traceparent: value, tracestate: nil) == nil)
    }

    @Test func acceptsALaterVersionWithMoreFields() throws {
        let context = try #require(W3CTraceContext.parse(traceparent: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-what-the-future-holds", tracestate: nil))
        // Only the sampled bit is understood and passed on.
        #expect(context.flags == 0x01)
        #expect(W3CTraceContext.format(context).hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
    }

    @Test(arguments: [
        "", "novalue", "=v", "k=", "UPPER=v", "k=v,=w", "k=a=b", "k=\u{7F}",
        (0..<33).map { "k\($0)=v" }.joined(separator: ","),
        "k=" + String(repeating: "v", count: 600),
    ])
    func dropsAMalformedTracestate(_ value: String) {
        #expect(W3CTraceContext.checkedTraceState(value) == nil)
        // The trace itself is kept.
        #expect(W3CTraceContext.parse(traceparent: valid, tracestate: value)?.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test func keepsAWellFormedTracestate() {
        #expect(W3CTraceContext.checkedTraceState("vendor@tenant=a b,other/x=1") == "vendor@tenant=a b,other/x=1")
        #expect(W3CTraceContext.checkedTraceState((0..<32).map { "k\($0)=v" }.joined(separator: ",")) != nil)
    }

    @Test func boundsBaggage() {
        #expect(W3CTraceContext.checkedBaggage("userId=alice,isProduction=false") == "userId=alice,isProduction=false")
        #expect(W3CTraceContext.checkedBaggage(String(repeating: "a", count: 8193)) == nil)
        #expect(W3CTraceContext.checkedBaggage("k=v\r\nX-Injected: 1") == nil)
    }
}
