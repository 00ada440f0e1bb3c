import GraphQLEngine
import Synchronization

/// One running subscription: its results, one per delivered event, until the client cancels, its
/// token expires, the schema is reloaded or the gateway shuts down (the last three send a final
/// result with an error saying so before the stream ends).
public final class GatewaySubscription: Sendable {
    /// The subscription's results in order; ends when the subscription does.
    public let results: AsyncStream<ExecutionResult>
    private let continuation: AsyncStream<ExecutionResult>.Continuation
    private let work = Mutex<[Task<Void, Never>]>([])
    private let ended = Mutex(false)
    private let onEnd = Mutex<(@Sendable () -> Void)?>(nil)

    init(buffer: Int) {
        (self.results, self.continuation) = AsyncStream.makeStream(of: ExecutionResult.self, bufferingPolicy: .bufferingNewest(buffer))
    }

    /// Runs `body` for this subscription (cancelled when it ends).
    func run(_ body: @escaping @Sendable () async -> Void) {
        let task = Task { await body() }
        let isEnded = self.work.withLock { tasks in
            tasks.append(task)
            return self.ended.withLock { $0 }
        }
        if isEnded { task.cancel() }
    }

    /// What to do once it has ended (the hub's count).
    func whenEnded(_ action: @escaping @Sendable () -> Void) {
        self.onEnd.withLock { $0 = action }
    }

    /// Sends `result` unless it has ended.
    func yield(_ result: ExecutionResult) {
        guard !self.ended.withLock({ $0 }) else { return }
        self.continuation.yield(result)
    }

    /// Ends it with a last result holding one error (`code` in its extensions).
    public func end(message: String, code: String) {
        guard !self.ended.withLock({ $0 }) else { return }
        self.continuation.yield(ExecutionResult(requestErrors: [GraphQLError(message, extensions: ["code": .string(code)])]))
        self.cancel()
    }

    /// Ends it without a word (the client asked, or went away).
    public func cancel() {
        let first = self.ended.withLock { ended in
            defer { ended = true }
            return !ended
        }
        guard first else { return }
        self.continuation.finish()
        for task in self.work.withLock({ $0 }) { task.cancel() }
        self.onEnd.withLock { $0 }?()
    }

    deinit { self.continuation.finish() }
}
