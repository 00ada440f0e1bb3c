import Foundation

import RedisClient

/// A real `redis-server` on a free loopback port, for one test (no persistence).
public final class RedisServerProcess: @unchecked Sendable {
    /// The server's port (a free port may be replaced by `ready()` if the server could not start on it).
    public private(set) var port: Int
    private var pid: pid_t = 0
    private let extraArguments: [String]
    private let portIsGiven: Bool

    /// Starts a server on `port`, or on a free port, with `extraArguments` (`--cluster-enabled yes`, ...).
    public init(port: Int? = nil, extraArguments: [String] = []) throws {
        self.port = try port ?? ChildProcess.freePort()
        self.portIsGiven = port != nil
        self.extraArguments = extraArguments
        self.pid = try self.spawn()
    }

    private func spawn() throws -> pid_t {
        try ChildProcess.spawn(
            [Self.executable, "--port", String(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"]
                + self.extraArguments)
    }

    public static var executable: String { which("redis-server") }

    static func which(_ name: String) -> String {
        ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/\(name)"
    }

    /// A client configuration for this server, with a deadline roomy enough for a loaded test machine
    /// (the gateway's default of 100 ms would turn a busy moment into a skipped cache write).
    public var configuration: RedisConfiguration { .forTests(port: self.port) }

    /// Waits until the server answers PING (up to about 15 s: the whole suite runs in parallel on
    /// two cores, and a server started while clusters are being created can take seconds). A server
    /// that exits first (its free port taken meanwhile) is started again on another free port, twice
    /// at most; one on a given port that exits is reported with its exit status.
    public func ready() async throws {
        var restarts = 0
        while true {
            switch try await self.waitForAnswer() {
            case .answered:
                return
            case .timedOut:
                throw RedisError.unavailable("redis-server did not start on \(self.port)")
            case .exited(let status):
                self.pid = 0
                guard !self.portIsGiven, restarts < 2 else {
                    throw RedisError.unavailable("redis-server exited with status \(status) before answering on \(self.port)")
                }
                restarts += 1
                self.port = try ChildProcess.freePort()
                self.pid = try self.spawn()
            }
        }
    }

    private enum Start {
        case answered
        case exited(Int32)
        case timedOut
    }

    /// Pings the server until it answers, exits, or ~15 s pass.
    private func waitForAnswer() async throws -> Start {
        let client = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: self.port, reconnectBackoff: .milliseconds(1)))
        defer { Task { await client.shutdown() } }
        for _ in 0..<1500 {
            if await client.ping() { return .answered }
            if let status = ChildProcess.exitStatus(ofFinished: self.pid) { return .exited(status) }
            try await Task.sleep(for: .milliseconds(10))
        }
        return .timedOut
    }

    /// Freezes the server (`SIGSTOP`): connections stay open, commands go unanswered, data is kept.
    public func pause() {
        if self.pid > 0 { Foundation.kill(self.pid, SIGSTOP) }
    }

    /// Lets a paused server go on (`SIGCONT`), with everything it held.
    public func resume() {
        if self.pid > 0 { Foundation.kill(self.pid, SIGCONT) }
    }

    public func stop() {
        guard self.pid > 0 else { return }
        ChildProcess.kill(self.pid)
        self.pid = 0
    }

    deinit { self.stop() }
}

extension RedisConfiguration {
    /// Loopback, with a 2 s command deadline: tests check what is stored, not how fast.
    public static func forTests(host: String = "127.0.0.1", port: Int) -> RedisConfiguration {
        RedisConfiguration(host: host, port: port, commandTimeout: .seconds(2))
    }
}
