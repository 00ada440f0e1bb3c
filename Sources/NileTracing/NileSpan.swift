import Synchronization
import Tracing

/// A span of `NileTracer`. A sampled span records under one lock and, when ended, hands a
/// `FinishedSpan` to the export buffer; an unsampled one only carries its context (so trace
/// context still reaches downstream services) and records nothing.
public final class NileSpan: Span {
    public let context: ServiceContext
    public let isRecording: Bool
    /// This span's ids (also in `context`; kept here so ending the span needs no lookup).
    private let spanContext: SpanContext
    private let parent: SpanContext?
    private let kind: SpanKind
    private let startNanoseconds: UInt64
    private let sink: SpanBuffer?
    private let state: Mutex<State>

    /// Events and links kept per span at most (the OpenTelemetry default limits).
    static let eventLimit = 128
    static let linkLimit = 128

    private struct State {
        var name: String
        var attributes: SpanAttributes = [:]
        var events: [SpanEvent] = []
        var links: [(context: SpanContext, attributes: SpanAttributes)] = []
        var status: SpanStatus?
        var droppedEvents = 0
        var droppedLinks = 0
        var ended = false
    }

    init(name: String, spanContext: SpanContext, context: ServiceContext, parent: SpanContext?, kind: SpanKind, startNanoseconds: UInt64, sink: SpanBuffer?) {
        self.spanContext = spanContext
        self.context = context
        self.isRecording = sink != nil
        self.parent = parent
        self.kind = kind
        self.startNanoseconds = startNanoseconds
        self.sink = sink
        var state = State(name: name)
        // Room for a request's attributes up front: no rehashing as they are set.
        if sink != nil { state.attributes.reserveCapacity(12) }
        self.state = Mutex(state)
    }

    public var operationName: String {
        get { self.state.withLock { $0.name } }
        set {
            guard self.isRecording else { return }
            self.state.withLock { $0.name = newValue }
        }
    }

    public var attributes: SpanAttributes {
        get { self.state.withLock { $0.attributes } }
        set {
            guard self.isRecording else { return }
            self.state.withLock { $0.attributes = newValue }
        }
    }

    public func updateAttributes(_ update: (inout SpanAttributes) -> Void) {
        guard self.isRecording else { return }
        self.state.withLock { update(&$0.attributes) }
    }

    public func setStatus(_ status: SpanStatus) {
        guard self.isRecording else { return }
        self.state.withLock { state in
            // OK is final; an error does not replace it (the OpenTelemetry rule).
            if state.status?.code != .ok { state.status = status }
        }
    }

    public func addEvent(_ event: SpanEvent) {
        guard self.isRecording else { return }
        self.state.withLock { state in
            if state.events.count < Self.eventLimit { state.events.append(event) } else { state.droppedEvents += 1 }
        }
    }

    /// An `exception` event (the OpenTelemetry semantic convention): the error's type and description.
    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        guard self.isRecording else { return }
        var eventAttributes = attributes
        eventAttributes["exception.type"] = String(reflecting: type(of: error))
        eventAttributes["exception.message"] = String(describing: error)
        self.addEvent(SpanEvent(name: "exception", at: instant(), attributes: eventAttributes))
    }

    public func addLink(_ link: SpanLink) {
        guard self.isRecording, let linked = link.context.spanContext else { return }
        self.state.withLock { state in
            if state.links.count < Self.linkLimit { state.links.append((linked, link.attributes)) } else { state.droppedLinks += 1 }
        }
    }

    /// Ends the span (the first call only) and queues it for export when sampled.
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        guard let sink = self.sink else { return }
        let spanContext = self.spanContext
        let end = instant().nanosecondsSinceEpoch
        let finished = self.state.withLock { state -> FinishedSpan? in
            guard !state.ended else { return nil }
            state.ended = true
            return FinishedSpan(
                context: spanContext, parentSpanID: self.parent?.spanID, parentIsRemote: self.parent?.isRemote ?? false, name: state.name, kind: self.kind,
                startNanoseconds: self.startNanoseconds, endNanoseconds: max(end, self.startNanoseconds),
                attributes: state.attributes, events: state.events, links: state.links, status: state.status,
                droppedEvents: state.droppedEvents, droppedLinks: state.droppedLinks)
        }
        if let finished { sink.append(finished) }
    }
}
