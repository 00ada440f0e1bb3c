import GraphQLEngine

/// Runs declared hot queries so their downstream data is in the cache before users ask for it.
public struct CacheWarmer: Sendable {
    /// What one warmed operation did.
    public struct Outcome: Sendable, Equatable {
        public let operation: String
        /// Entries fetched downstream and written (keys the cache did not have).
        public let entriesWritten: Int
        /// Keys already cached.
        public let entriesPresent: Int
        public let errors: [String]
        /// Some error came from a downstream service (worth retrying once it is up).
        public var isTransient = false
    }

    public let executor: GatewayExecutor

    public init(executor: GatewayExecutor) {
        self.executor = executor
    }

    /// Runs every named query of `document` (variables take their defaults) as `principal`, forwarding
    /// `authorization` downstream. A document that does not parse or validate is one failed outcome.
    public func warm(document text: String, principal: Principal = .anonymous, authorization: String? = nil) async -> [Outcome] {
        let entry = self.executor.prepare(text)
        guard let document = entry.document, entry.errors.isEmpty else {
            return [Outcome(operation: "(document)", entriesWritten: 0, entriesPresent: 0, errors: entry.errors.map(\.message))]
        }
        var outcomes: [Outcome] = []
        for operation in document.operations where operation.operation == .query {
            let name = operation.name?.value
            let response = await self.executor.execute(
                GatewayRequest(query: text, operationName: name, headers: ForwardedHeaders(authorization: authorization), principal: principal))
            var outcome = Outcome(
                operation: name ?? "(anonymous)", entriesWritten: response.statistics.cacheMisses,
                entriesPresent: response.statistics.cacheHits, errors: response.result.errors.map(\.message))
            outcome.isTransient = response.result.errors.contains {
                if case .string(let code)? = $0.extensions["code"] { code.hasPrefix("DOWNSTREAM") } else { false }
            }
            outcomes.append(outcome)
        }
        return outcomes
    }
}
