import Foundation
import Synchronization

/// Child processes for tests, spawned with `posix_spawn` and reaped with `waitpid` (Foundation's
/// `Process.waitUntilExit` spins forever in an async test on Linux). Output goes to /dev/null.
enum ChildProcess {
    /// Starts `arguments[0]` with the rest as its arguments; returns its pid.
    static func spawn(_ arguments: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        guard status == 0 else { throw ChildProcessError(command: arguments[0], status: status) }
        return pid
    }

    /// Runs to completion; returns the exit status. The wait blocks a thread of its own, not one
    /// of the two the Swift concurrency pool has here: `redis-cli --cluster create` takes seconds,
    /// and two of them at once stalled every other test's tasks for that long.
    static func run(_ arguments: [String]) async throws -> Int32 {
        let pid = try self.spawn(arguments)
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                continuation.resume(returning: (status >> 8) & 0xFF)
            }
        }
    }

    /// The exit status of a child that has finished (reaping it), or `nil` while it runs.
    static func exitStatus(ofFinished pid: pid_t) -> Int32? {
        guard pid > 0 else { return nil }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        return (status >> 8) & 0xFF
    }

    static func kill(_ pid: pid_t) {
        Foundation.kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// A free loopback TCP port.
    /// A free loopback port below Linux's ephemeral range (32768-60999), so an outgoing connection
    /// cannot take it between this check and the server's bind.
    /// Never the same port twice in one test process (parallel tests would race for it).
    static func freePort() throws -> Int {
        for _ in 0..<1000 {
            let port = Int.random(in: 20000..<32000)
            guard Self.handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            if Self.isBindable(port) { return port }
        }
        throw ChildProcessError(command: "bind", status: EADDRINUSE)
    }

    private static let handedOut = Mutex<Set<Int>>([])

    private static func isBindable(_ port: Int) -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

struct ChildProcessError: Error, CustomStringConvertible {
    let command: String
    let status: Int32
    var description: String { "\(self.command) failed: \(self.status)" }
}
