import GraphQLEngine
import Synchronization
import Testing

@testable import Gateway

@Suite("Downstream: a failed read is retried, a cancelled request's is not")
struct RetryTests {
    private func client() -> DownstreamClient {
        DownstreamClient(services: [ServiceEndpoint(name: "clinical", baseURL: "http://127.0.0.1:9", timeout: .seconds(1))], breakerPolicy: nil, maxRetries: 2)
    }

    @Test("an unanswered read is asked again up to the retry limit")
    func retriesUpToTheLimit() async throws {
        let client = self.client()
        let calls = Mutex(0)
        await #expect(throws: DownstreamError.unavailable("clinical")) {
            try await client.retrying("clinical") { () async throws(DownstreamError) -> Value in
                calls.withLock { $0 += 1 }
                throw .unavailable("clinical")
            }
        }
        #expect(calls.withLock { $0 } == 3)
        try await client.shutdown()
    }

    @Test("a cancelled request's unanswered read is not asked again")
    func cancelledIsNotRetried() async throws {
        let client = self.client()
        let calls = Mutex(0)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.retrying("clinical") { () async throws(DownstreamError) -> Value in
                calls.withLock { $0 += 1 }
                throw .unavailable("clinical")
            }
        }
        await #expect(throws: DownstreamError.unavailable("clinical")) { try await task.value }
        #expect(calls.withLock { $0 } == 1)
        try await client.shutdown()
    }
}
