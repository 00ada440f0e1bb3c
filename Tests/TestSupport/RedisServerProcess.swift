import Foundation

import RedisClient

/// A real `redis-server` on a free loopback port, for one test (no persistence).
public final class RedisServerProcess: @unchecked Sendable {
    public let port: Int
    private var pid: pid_t = 0

    /// Starts a server on `port`, or on a free port, with `extraArguments` (`--cluster-enabled yes`, ...).
    public init(port: Int? = nil, extraArguments: [String] = []) throws {
        self.port = try port ?? ChildProcess.freePort()
        self.pid = try ChildProcess.spawn(
            [Self.executable, "--port", String(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"]
                + extraArguments)
    }

    public static var executable: String { which("redis-server") }

    static func which(_ name: String) -> String {
        ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/\(name)"
    }

    /// A client configuration for this server, with a deadline roomy enough for a loaded test machine
    /// (the gateway's default of 100 ms would turn a busy moment into a skipped cache write).
    public var configuration: RedisConfiguration { .forTests(port: self.port) }

    /// Waits until the server answers PING (up to about 15 s: the whole suite runs in parallel on
    /// two cores, and a server started while clusters are being created can take seconds).
    public func ready() async throws {
        let client = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: self.port, reconnectBackoff: .milliseconds(1)))
        defer { Task { await client.shutdown() } }
        for _ in 0..<1500 {
            if await client.ping() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw RedisError.unavailable("redis-server did not start on \(self.port)")
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
