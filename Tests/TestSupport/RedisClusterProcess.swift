import Foundation

import RedisClient

/// A real Redis Cluster of `masters` `redis-server` processes on loopback, joined with
/// `redis-cli --cluster create` (no replicas), for one test.
public final class RedisClusterProcess: @unchecked Sendable {
    public let nodes: [RedisServerProcess]
    private let directory: URL

    public init(masters: Int = 3) throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("nilecare-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        var nodes: [RedisServerProcess] = []
        for index in 0..<masters {
            nodes.append(
                try RedisServerProcess(extraArguments: [
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes-\(index).conf", "--cluster-port", String(try ChildProcess.freePort()),
                    "--dir", self.directory.path, "--cluster-node-timeout", "5000",
                ]))
        }
        self.nodes = nodes
    }

    /// Credentials and deadlines for a cluster client (hosts and ports come from its slot map).
    public var clientConfiguration: RedisConfiguration { .forTests(port: self.nodes[0].port) }

    public var seeds: [RedisNodeAddress] { self.nodes.map { RedisNodeAddress(host: "127.0.0.1", port: $0.port) } }

    /// Waits for the servers, creates the cluster, and waits until every node reports `cluster_state:ok`.
    public func ready() async throws {
        for node in self.nodes { try await node.ready() }
        // Bounded: redis-cli waits for the nodes to agree, forever if one cannot be reached.
        let create = ["/usr/bin/timeout", "60", RedisServerProcess.which("redis-cli"), "--cluster", "create"] + self.seeds.map(\.description) + ["--cluster-replicas", "0", "--cluster-yes"]
        let status = try await ChildProcess.run(create)
        guard status == 0 else { throw ChildProcessError(command: "redis-cli --cluster create", status: status) }
        for node in self.nodes {
            let client = RedisClient(configuration: node.configuration)
            defer { Task { await client.shutdown() } }
            var ok = false
            for _ in 0..<500 where !ok {
                ok = (try? await client.send(["CLUSTER", "INFO"]))?.string?.contains("cluster_state:ok") == true
                if !ok { try await Task.sleep(for: .milliseconds(20)) }
            }
            guard ok else { throw RedisError.unavailable("cluster did not reach cluster_state:ok on \(node.port)") }
        }
    }

    public func stop() {
        for node in self.nodes { node.stop() }
        try? FileManager.default.removeItem(at: self.directory)
    }

    deinit { self.stop() }
}
