import NIOCore
import NIOPosix

/// Where the shared Redis is: one server (`redis://[user:password@]host[:port][/db]`) or a cluster
/// (`redis+cluster://[user:password@]host:port[,host:port...]`, seed nodes; the rest is discovered).
public enum RedisDeployment: Sendable, Equatable {
    case server(RedisConfiguration)
    case cluster(seeds: [RedisNodeAddress], RedisConfiguration)

    /// The accepted URL forms, for error messages.
    public static let urlForms = "redis://[user:password@]host[:port][/db] or redis+cluster://[user:password@]host:port[,host:port...]"

    /// Parses either URL form; `nil` when it is neither.
    public init?(url: String) {
        if let configuration = RedisConfiguration(url: url) {
            self = .server(configuration)
            return
        }
        let scheme = "redis+cluster://"
        guard url.hasPrefix(scheme) else { return nil }
        let rest = url.dropFirst(scheme.count)
        let credentials = rest.lastIndex(of: "@").map { rest[...$0] } ?? ""
        let hosts = rest.dropFirst(credentials.count)
        let seeds = hosts.split(separator: ",").compactMap { RedisNodeAddress($0) }
        guard !seeds.isEmpty, seeds.count == hosts.split(separator: ",", omittingEmptySubsequences: false).count,
            let configuration = RedisConfiguration(url: "redis://\(credentials)\(seeds[0])")
        else { return nil }
        self = .cluster(seeds: seeds, configuration)
    }

    /// The servers whose key changes a client-side cache must hear: the server, or the cluster's
    /// masters as `client` knows them (the seeds before it has a slot map).
    public func trackedNodes(of client: any RedisCommandRunner) -> [RedisConfiguration] {
        switch self {
        case .server(let configuration): return [configuration]
        case .cluster(let seeds, let configuration):
            let masters = (client as? RedisClusterClient)?.masters ?? []
            return (masters.isEmpty ? seeds : masters).map { address in
                var node = configuration
                node.host = address.host
                node.port = address.port
                return node
            }
        }
    }

    /// A client for this deployment.
    public func makeClient(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) -> any RedisCommandRunner {
        switch self {
        case .server(let configuration): RedisClient(configuration: configuration, group: group)
        case .cluster(let seeds, let configuration): RedisClusterClient(seeds: seeds, configuration: configuration, group: group)
        }
    }
}
