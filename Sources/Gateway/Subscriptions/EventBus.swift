import Foundation
import Synchronization

/// Carries events from where they happen (a mutation, a service's webhook) to the subscriptions of
/// this replica and, when shared, of every replica.
public protocol EventBus: Sendable {
    /// This replica's id, the `origin` of the events it publishes.
    var origin: String { get }
    /// Delivers `event` to this replica's subscribers at once and, when shared, to the others'.
    func publish(_ event: GatewayEvent) async
    /// The events of `topic` from now on; stops when the consumer stops iterating.
    func events(on topic: String) -> AsyncStream<GatewayEvent>
    /// Whether events of other replicas can arrive now (always for the in-process bus).
    var isConnected: Bool { get }
    /// How many times the bus has (re)connected to the other replicas (0 for the in-process bus).
    var connections: Int { get }
    /// Stops listening (subscribers' streams end).
    func shutdown() async
}

/// The in-process bus: the embedded default, and the local delivery of the Redis bus. A subscriber
/// that falls behind by more than `buffer` events loses the oldest (a slow client never holds the
/// others up, nor the memory).
public final class LocalEventBus: EventBus {
    public let origin: String
    private let buffer: Int
    private let subscribers = Mutex<[String: [UInt64: AsyncStream<GatewayEvent>.Continuation]]>([:])
    private let nextID = Atomic<UInt64>(0)

    public init(origin: String = UUID().uuidString, buffer: Int = 256) {
        self.origin = origin
        self.buffer = buffer
    }

    public func publish(_ event: GatewayEvent) async {
        self.deliver(event)
    }

    /// Hands `event` to every subscriber of its topic here.
    func deliver(_ event: GatewayEvent) {
        let continuations = self.subscribers.withLock { $0[event.topic].map { Array($0.values) } ?? [] }
        for continuation in continuations { continuation.yield(event) }
    }

    public func events(on topic: String) -> AsyncStream<GatewayEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: GatewayEvent.self, bufferingPolicy: .bufferingNewest(self.buffer))
        let id = self.nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        self.subscribers.withLock { $0[topic, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { subscribers in
                subscribers[topic]?[id] = nil
                if subscribers[topic]?.isEmpty == true { subscribers[topic] = nil }
            }
        }
        return stream
    }

    /// Subscribers listening now, over all topics.
    public var subscriberCount: Int { self.subscribers.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    public var isConnected: Bool { true }

    public var connections: Int { 0 }

    public func shutdown() async {
        let all = self.subscribers.withLock { subscribers in
            defer { subscribers = [:] }
            return subscribers.values.flatMap(\.values)
        }
        for continuation in all { continuation.finish() }
    }
}
