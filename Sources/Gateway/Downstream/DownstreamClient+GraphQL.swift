import GraphQLEngine
import Logging
import NIOHTTP1

/// What a GraphQL service answered: its `data` and the paths of its errors (their messages are
/// logged, never passed on: they may name internals or data).
struct SubgraphAnswer: Sendable {
    /// `data`, or `nil` when the service sent none (a request error).
    let data: Value?
    /// Each error's `path` (empty for errors without one).
    let errorPaths: [[Value]]
}

extension DownstreamClient {
    /// POSTs a GraphQL query (`{"query", "variables"}`) to `service`'s `/graphql`. Retried like a
    /// GET: a query changes nothing. An answer that is not a GraphQL response is `undecodable`.
    func graphQL(_ service: String, query: String, variables: [String: Value], headers: ForwardedHeaders) async throws(DownstreamError)
        -> SubgraphAnswer
    {
        let body: Value = ["query": .string(query), "variables": .object(variables)]
        let answer = try await self.retrying(service) { () async throws(DownstreamError) -> Value in
            try await self.guarded(service, .POST, "/graphql", endpoint: "/graphql", body: body, headers: headers)
        }
        guard case .object(let fields) = answer else { throw .undecodable(service) }
        var paths: [[Value]] = []
        if case .list(let errors)? = fields["errors"] {
            for error in errors {
                if case .list(let path)? = error["path"] { paths.append(path) } else { paths.append([]) }
            }
            self.logSubgraphErrors(service, errors)
        }
        let data: Value?
        switch fields["data"] {
        case .object?: data = fields["data"]
        case .null?, nil:
            guard !paths.isEmpty else { throw .undecodable(service) }
            data = nil
        default: throw .undecodable(service)
        }
        return SubgraphAnswer(data: data, errorPaths: paths)
    }

    private func logSubgraphErrors(_ service: String, _ errors: [Value]) {
        let messages = errors.prefix(3).map { String(($0["message"]?.stringValue ?? "-").prefix(300)) }
        self.logger.warning(
            "subgraph answered with errors",
            metadata: ["service": "\(service)", "errors": "\(errors.count)", "messages": "\(messages.joined(separator: " | "))"])
    }
}

extension DownstreamClient {
    /// A Federation subgraph's SDL (`{ _service { sdl } }`); `nil` when it does not answer one.
    public func subgraphSDL(_ service: String) async -> String? {
        do {
            let answer = try await self.graphQL(service, query: "{ _service { sdl } }", variables: [:], headers: ForwardedHeaders())
            return answer.data?["_service"]?["sdl"]?.stringValue
        } catch {
            return nil
        }
    }
}
