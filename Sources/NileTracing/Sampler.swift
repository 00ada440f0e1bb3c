/// Which new spans are recorded and exported: the OpenTelemetry samplers that `OTEL_TRACES_SAMPLER`
/// names (`always_on`, `always_off`, `traceidratio`, and their `parentbased_` forms).
public struct Sampler: Sendable, Equatable, CustomStringConvertible {
    /// What decides for a span without a parent (and, unless parent-based, for every span).
    public enum Root: Sendable, Equatable {
        case alwaysOn
        case alwaysOff
        /// A fraction of traces, chosen by trace id, so every process of a trace agrees.
        case traceIDRatio(Double)
    }

    public let root: Root
    /// A span with a parent follows the parent's sampled flag (local or remote).
    public let isParentBased: Bool

    public init(root: Root, parentBased: Bool) {
        self.root = root
        self.isParentBased = parentBased
    }

    /// The OpenTelemetry default: `parentbased_always_on`.
    public static let `default` = Sampler(root: .alwaysOn, parentBased: true)

    /// Whether a span in `traceID` whose parent is `parent` is sampled.
    public func shouldSample(traceID: TraceID, parent: SpanContext?) -> Bool {
        if self.isParentBased, let parent { return parent.isSampled }
        switch self.root {
        case .alwaysOn: return true
        case .alwaysOff: return false
        case .traceIDRatio(let ratio): return Self.ratioSamples(traceID, ratio)
        }
    }

    /// The ratio sampler's rule: the trace id's last 63 bits, read as a number, below `ratio`·2⁶³
    /// (the trace id's random part; the same rule as the OpenTelemetry SDKs).
    static func ratioSamples(_ traceID: TraceID, _ ratio: Double) -> Bool {
        guard ratio > 0 else { return false }
        guard ratio < 1 else { return true }
        let bound = UInt64(ratio * 9_223_372_036_854_775_808.0)
        return traceID.low & 0x7FFF_FFFF_FFFF_FFFF < bound
    }

    public var description: String {
        let root: String
        switch self.root {
        case .alwaysOn: root = "always_on"
        case .alwaysOff: root = "always_off"
        case .traceIDRatio(let ratio): root = "traceidratio(\(ratio))"
        }
        return self.isParentBased ? "parentbased_\(root)" : root
    }
}
