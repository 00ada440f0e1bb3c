import Gateway
import GraphQLEngine
import Hummingbird
import NIOCore

/// A subscription's results interleaved with keep-alive ticks; ends when the subscription does.
enum SubscriptionItems: Sendable {
    case result(ExecutionResult)
    case keepAlive

    static func merge(_ subscription: GatewaySubscription, keepAlive: Duration) -> AsyncStream<SubscriptionItems> {
        AsyncStream { continuation in
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: keepAlive)
                    if Task.isCancelled { break }
                    continuation.yield(.keepAlive)
                }
            }
            let forwarder = Task {
                for await result in subscription.results { continuation.yield(.result(result)) }
                ticker.cancel()
                continuation.finish()
            }
            continuation.onTermination = { _ in
                ticker.cancel()
                forwarder.cancel()
            }
        }
    }

    /// A streamed response body for `subscription`: `keepAlive` at once (it sends the headers: the
    /// client knows it is subscribed) and whenever it has been quiet for `interval`, each result as
    /// `encode` frames it, and `closing` when the subscription ends. A client that goes away ends it.
    static func body(
        _ subscription: GatewaySubscription, interval: Duration, keepAlive: ByteBuffer, closing: ByteBuffer,
        encode: @escaping @Sendable (ExecutionResult) -> ByteBuffer
    ) -> ResponseBody {
        ResponseBody { writer in
            let items = Self.merge(subscription, keepAlive: interval)
            do {
                try await writer.write(keepAlive)
                for await item in items {
                    switch item {
                    case .result(let result): try await writer.write(encode(result))
                    case .keepAlive: try await writer.write(keepAlive)
                    }
                }
                try await writer.write(closing)
                try await writer.finish(nil)
            } catch {
                subscription.cancel()  // the client went away
                throw error
            }
        }
    }
}
