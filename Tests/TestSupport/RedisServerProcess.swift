import Foundation
import NIOCore
import NIOPosix

import RedisClient

/// A real `redis-server` on a free loopback port, for one test (no persistence).
///
/// Spawned with `posix_spawn` and reaped with `waitpid`: Foundation's `Process.waitUntilExit`
/// spins forever in an async test on Linux.
public final class RedisServerProcess: @unchecked Sendable {
    public let port: Int
    private var pid: pid_t = 0

    /// Starts a server on `port`, or on a free port.
    public init(port: Int? = nil) throws {
        if let port {
            self.port = port
        } else {
            let probe = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
            self.port = probe.localAddress!.port!
            try probe.close().wait()
        }
        let arguments = [Self.executable, "--port", String(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let status = posix_spawn(&self.pid, Self.executable, nil, nil, &argv, environ)
        guard status == 0 else { throw RedisError.unavailable("cannot start redis-server: \(status)") }
    }

    public static var executable: String {
        ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "/usr/bin/redis-server"
    }

    public var configuration: RedisConfiguration { RedisConfiguration(host: "127.0.0.1", port: self.port) }

    /// Waits until the server answers PING.
    public func ready() async throws {
        let client = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: self.port, reconnectBackoff: .milliseconds(1)))
        defer { Task { await client.shutdown() } }
        for _ in 0..<300 {
            if await client.ping() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw RedisError.unavailable("redis-server did not start on \(self.port)")
    }

    public func stop() {
        guard self.pid > 0 else { return }
        kill(self.pid, SIGKILL)
        var status: Int32 = 0
        waitpid(self.pid, &status, 0)
        self.pid = 0
    }

    deinit { self.stop() }
}
