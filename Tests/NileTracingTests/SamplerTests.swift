import Testing

@testable import NileTracing

@Suite struct SamplerTests {
    private func trace(_ low: UInt64) -> TraceID {
        TraceID(nonZeroHigh: 1, low: low)
    }

    private func parent(sampled: Bool) -> SpanContext {
        SpanContext(traceID: trace(1), spanID: SpanID(nonZero: 7), flags: sampled ? 1 : 0, traceState: nil, isRemote: true)
    }

    @Test func parentBasedFollowsTheParent() {
        for root in [Sampler.Root.alwaysOn, .alwaysOff, .traceIDRatio(0.5)] {
            let sampler = Sampler(root: root, parentBased: true)
            #expect(sampler.shouldSample(traceID: trace(1), parent: parent(sampled: true)))
            #expect(!sampler.shouldSample(traceID: trace(1), parent: parent(sampled: false)))
        }
    }

    @Test func nonParentBasedSamplersIgnoreTheParent() {
        #expect(Sampler(root: .alwaysOn, parentBased: false).shouldSample(traceID: trace(1), parent: parent(sampled: false)))
        #expect(!Sampler(root: .alwaysOff, parentBased: false).shouldSample(traceID: trace(1), parent: parent(sampled: true)))
    }

    @Test func ratioSamplesThatShareOfTraceIDs() {
        // Trace ids spread evenly over the 63 bits the rule reads: exactly the ratio's share is sampled.
        let step = UInt64(1) << 63 / 1000
        let ids = (0..<1000).map { trace(UInt64($0) * step + step / 2) }
        for (ratio, expected) in [(0.0, 0), (0.1, 100), (0.25, 250), (1.0, 1000)] {
            let sampler = Sampler(root: .traceIDRatio(ratio), parentBased: true)
            #expect(ids.filter { sampler.shouldSample(traceID: $0, parent: nil) }.count == expected, "ratio \(ratio)")
        }
        // The top bit is not read, so processes agree whatever they do with it.
        #expect(Sampler.ratioSamples(trace(1 << 63 | 5), 0.1) == Sampler.ratioSamples(trace(5), 0.1))
    }

    @Test func theDefaultIsParentBasedAlwaysOn() {
        #expect(Sampler.default.description == "parentbased_always_on")
        #expect(Sampler.default.shouldSample(traceID: trace(9), parent: nil))
    }
}
