import NIOPosix
import Synchronization
import TestSupport
import Testing

@testable import RedisClient

@Suite("RedisClient: against a real redis-server")
struct RedisClientTests {
    @Test("SET, GET, MGET and pipelined writes")
    func commands() async throws {
        let server = try RedisServerProcess()
        try await server.ready()
        let client = RedisClient(configuration: server.configuration)
        #expect(try await client.send(["SET", "a", "1"]) == .simpleString("OK"))
        let results = try await client.pipeline([
            [Array("SET".utf8), Array("b".utf8), [0, 1, 2]], [Array("INCR".utf8), Array("n".utf8)],
            [Array("MGET".utf8), Array("a".utf8), Array("b".utf8), Array("missing".utf8)],
        ])
        #expect(try results[1].get() == .integer(1))
        #expect(try results[2].get() == .array([.bulkString(Array("1".utf8)), .bulkString([0, 1, 2]), .bulkString(nil)]))
        await #expect(throws: RedisError.server("ERR wrong number of arguments for 'get' command")) { try await client.send(["GET"]) }
        await client.shutdown()
        server.stop()
    }

    @Test("a command written on a connection that has just closed fails instead of waiting forever")
    func commandOnClosedConnection() async throws {
        let server = try RedisServerProcess()
        try await server.ready()
        let connection = try await RedisConnection.connect(server.configuration, group: MultiThreadedEventLoopGroup.singleton)
        await connection.close()
        // Polled from outside, so a regression fails the test instead of hanging the run.
        let finished = FinishedFlag()
        let outcome = Task {
            defer { finished.set() }
            return try await connection.send([Array("PING".utf8)])
        }
        var answered = false
        for _ in 0..<500 where !answered {
            answered = finished.isSet
            if !answered { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(answered)
        if answered { await #expect(throws: RedisError.connectionClosed) { try await outcome.value } }
        server.stop()
    }

    @Test("Redis down: commands fail fast; Redis back: the client reconnects by itself")
    func reconnects() async throws {
        let server = try RedisServerProcess()
        try await server.ready()
        let port = server.port
        let client = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: port, poolSize: 1, reconnectBackoff: .milliseconds(50)))
        #expect(await client.ping())
        server.stop()
        #expect(await !client.ping())
        // A new server on the same port: the client recovers without being recreated.
        let restarted = try RedisServerProcess(port: port)
        try await restarted.ready()
        var recovered = false
        for _ in 0..<100 where !recovered {
            recovered = await client.ping()
            if !recovered { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(recovered)
        await client.shutdown()
        restarted.stop()
    }
}

/// Set once by a task the test does not await (it may never finish).
private final class FinishedFlag: Sendable {
    private let state = Mutex(false)
    func set() { self.state.withLock { $0 = true } }
    var isSet: Bool { self.state.withLock { $0 } }
}
