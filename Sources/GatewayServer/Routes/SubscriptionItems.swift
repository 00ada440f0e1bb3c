import Gateway
import GraphQLEngine

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
}
