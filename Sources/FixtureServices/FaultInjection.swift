import Synchronization

/// How a fixture service misbehaves on purpose: extra latency, slow answers, errors, reordered
/// batches. Set at start (`nilecare fixtures serve --latency ...`) or at run time (`POST /__faults`).
public struct FaultSettings: Sendable, Equatable {
    /// Added to every request (simulates network and service time).
    public var latency: Duration = .zero
    /// Fraction of requests (0...1) answered with HTTP 503.
    public var errorRate: Double = 0
    /// A fixed extra delay (for timeouts), on top of `latency`.
    public var delay: Duration = .zero
    /// Answer batch look-ups in reverse order (the gateway must match items by key).
    public var reverseBatches = false
    /// What a misbehaving service answers in place of its data.
    public var answer: AnswerFault = .none

    /// Broken answers a real service has been seen to send.
    public enum AnswerFault: String, Sendable, Equatable, CaseIterable {
        case none
        /// HTTP 200 with a body that is not JSON.
        case garbage
        /// `{"data": {...}}`: an object where a list is due.
        case wrongShape
        /// `{"data": [1, "x", null]}`: items that are not objects.
        case notObjects
        /// The real rows with every field but `id` and `patientId` set to 1e19, plus a row whose ids are 1e19.
        case hugeNumbers
        /// HTTP 400 whose error envelope leaks internals (`java.sql.SQLException at db01…`).
        case leak
        /// HTTP 200 with GraphQL errors and no data, whose message leaks internals (a subgraph's failure).
        case graphQLErrors
    }

    public init(latency: Duration = .zero, errorRate: Double = 0, delay: Duration = .zero, reverseBatches: Bool = false) {
        self.latency = latency
        self.errorRate = errorRate
        self.delay = delay
        self.reverseBatches = reverseBatches
    }
}

/// Counts requests per endpoint (`GET /api/v1/patients?ids`), served at `GET /__stats`.
final class RequestStatistics: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func record(_ endpoint: String) { self.counts.withLock { $0[endpoint, default: 0] += 1 } }
    func reset() { self.counts.withLock { $0 = [:] } }
    var snapshot: [String: Int] { self.counts.withLock { $0 } }
}

/// Holds a service's requests until opened, announcing each as it arrives: a test can have a
/// request in flight, for as long as it needs, without timing anything.
public final class RequestGate: Sendable {
    private let state = Mutex<(isOpen: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))
    private let announce: AsyncStream<Void>.Continuation
    /// One element per request that reached the gate.
    public let arrivals: AsyncStream<Void>

    init() {
        (self.arrivals, self.announce) = AsyncStream<Void>.makeStream()
    }

    /// Lets every held request (and every later one) through.
    public func open() {
        let waiting = self.state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    func pass() async {
        self.announce.yield()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = self.state.withLock { state in
                if !state.isOpen { state.waiting.append(continuation) }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
    }
}
