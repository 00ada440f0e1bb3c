import NIOCore
import NIOPosix
import Synchronization

/// A Redis Cluster client: commands go to the master owning their key's slot, a pool per node.
///
/// The slot map comes from `CLUSTER SLOTS` (any seed or known node). Redirections are followed as
/// the cluster spec asks: `MOVED` updates the map (and refreshes it whole, since a resharding moves
/// many slots), `ASK` sends one command after `ASKING` without touching the map, `TRYAGAIN` waits
/// and retries; a node that cannot be reached triggers a refresh and one retry. Multi-key reads
/// and deletes are split by slot and pipelined per node, so a batch costs one round trip per node.
public final class RedisClusterClient: RedisCommandRunner {
    /// Authentication, timeouts and pool size for every node (host and port come from the map).
    public let configuration: RedisConfiguration
    public let seeds: [RedisNodeAddress]
    private let group: any EventLoopGroup
    private let state = Mutex<State>(State())
    private let losses = ConnectionLossCounter()
    /// How many redirections one command may follow before it fails.
    static let maxRedirects = 5

    private struct State {
        var slots = RedisSlotMap()
        var nodes: [RedisNodeAddress: RedisClient] = [:]
        var statistics = RedisClusterStatistics()
        var closed = false
    }

    public init(seeds: [RedisNodeAddress], configuration: RedisConfiguration = RedisConfiguration(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        precondition(!seeds.isEmpty, "a cluster client needs at least one seed node")
        var configuration = configuration
        configuration.database = 0  // clusters have one database
        self.configuration = configuration
        self.seeds = seeds
        self.group = group
    }

    /// Redirections followed and slot-map refreshes so far.
    public var statistics: RedisClusterStatistics { self.state.withLock { $0.statistics } }

    /// The masters of the current slot map (empty before the first map).
    public var masters: [RedisNodeAddress] { self.state.withLock { Array($0.slots.masters) } }

    /// The node currently believed to own `slot` (`nil` before the first map).
    public func owner(ofSlot slot: Int) -> RedisNodeAddress? { self.state.withLock { $0.slots[slot] } }

    public func send(_ command: [[UInt8]]) async throws(RedisError) -> RESPValue {
        try await self.pipeline([command])[0].get()
    }

    /// Connections to any node closed so far, retired nodes' included.
    public var connectionsLost: Int { self.losses.count }

    public func pipeline(_ commands: [[[UInt8]]]) async throws(RedisError) -> [Result<RESPValue, RedisError>] {
        guard !commands.isEmpty else { return [] }
        if self.state.withLock({ $0.slots.isEmpty }) { try await self.refreshSlots() }
        var byNode: [RedisNodeAddress: [Int]] = [:]
        for (index, command) in commands.enumerated() {
            byNode[self.address(for: command), default: []].append(index)
        }
        var results = [Result<RESPValue, RedisError>](repeating: .failure(.connectionClosed), count: commands.count)
        await withTaskGroup(of: ([Int], Result<[Result<RESPValue, RedisError>], RedisError>).self) { tasks in
            for (address, indices) in byNode {
                let client = self.client(for: address)
                tasks.addTask {
                    do throws(RedisError) {
                        return (indices, .success(try await client.pipeline(indices.map { commands[$0] })))
                    } catch {
                        return (indices, .failure(error))
                    }
                }
            }
            for await (indices, outcome) in tasks {
                for (position, index) in indices.enumerated() {
                    switch outcome {
                    case .success(let replies): results[index] = replies[position]
                    case .failure(let error): results[index] = .failure(error)
                    }
                }
            }
        }
        var movedAny = false
        for index in results.indices {
            guard case .failure(let error) = results[index], error.isConnectionFailure || RedisRedirect(error) != nil else { continue }
            results[index] = await self.followRedirects(commands[index], after: error, moved: &movedAny)
        }
        if movedAny { try? await self.refreshSlots() }
        return results
    }

    public func mget(_ keys: [[UInt8]]) async throws(RedisError) -> [RESPValue] {
        guard !keys.isEmpty else { return [] }
        let groups = Self.groupBySlot(keys)
        let replies = try await self.pipeline(groups.map { [Array("MGET".utf8)] + $0.map { keys[$0] } })
        var values = [RESPValue](repeating: .bulkString(nil), count: keys.count)
        var failure: RedisError?
        for (indices, reply) in zip(groups, replies) {
            switch reply {
            case .success(.array(let found?)) where found.count == indices.count:
                for (index, value) in zip(indices, found) { values[index] = value }
            case .success: failure = .protocolError("MGET answered with the wrong shape")
            case .failure(let error): failure = error
            }
        }
        // A node down costs its keys (misses), not the whole batch; all down is a failure.
        if let failure, replies.allSatisfy({ if case .failure = $0 { true } else { false } }) { throw failure }
        return values
    }

    public func delete(_ keys: [[UInt8]]) async throws(RedisError) {
        guard !keys.isEmpty else { return }
        let groups = Self.groupBySlot(keys)
        for reply in try await self.pipeline(groups.map { [Array("DEL".utf8)] + $0.map { keys[$0] } }) {
            _ = try reply.get()
        }
    }

    public func ping() async -> Bool {
        do throws(RedisError) {
            if self.state.withLock({ $0.slots.isEmpty }) { try await self.refreshSlots() }
        } catch {
            return false
        }
        let clients = self.state.withLock { state in state.slots.masters.map { state.nodes[$0] ?? self.makeClient(for: $0, in: &state) } }
        return await withTaskGroup(of: Bool.self) { tasks in
            for client in clients { tasks.addTask { await client.ping() } }
            return await tasks.allSatisfy { $0 }
        }
    }

    public func shutdown() async {
        let clients = self.state.withLock { state in
            state.closed = true
            defer { state.nodes = [:] }
            return Array(state.nodes.values)
        }
        for client in clients { await client.shutdown() }
    }

    /// Reloads the slot map from the first node (known masters, then seeds) that answers `CLUSTER SLOTS`.
    public func refreshSlots() async throws(RedisError) {
        let candidates = self.state.withLock { Array($0.slots.masters) } + self.seeds
        var lastError = RedisError.unavailable("no cluster node answered")
        for address in candidates {
            do throws(RedisError) {
                let reply = try await self.client(for: address).send([Array("CLUSTER".utf8), Array("SLOTS".utf8)])
                guard let map = RedisSlotMap(clusterSlots: reply, askedHost: address.host), !map.isEmpty else {
                    lastError = .protocolError("CLUSTER SLOTS from \(address) is empty or malformed")
                    continue
                }
                let retired = self.state.withLock { state -> [RedisClient] in
                    state.slots = map
                    state.statistics.slotRefreshes += 1
                    let gone = state.nodes.keys.filter { !map.masters.contains($0) && !self.seeds.contains($0) }
                    return gone.compactMap { state.nodes.removeValue(forKey: $0) }
                }
                for client in retired { await client.shutdown() }
                return
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// Follows `MOVED`/`ASK`/`TRYAGAIN` and connection failures for one command, up to `maxRedirects` hops.
    private func followRedirects(_ command: [[UInt8]], after firstError: RedisError, moved: inout Bool) async -> Result<RESPValue, RedisError> {
        var error = firstError
        var refreshedAfterFailure = false
        for _ in 0..<Self.maxRedirects {
            let result: Result<RESPValue, RedisError>
            switch RedisRedirect(error) {
            case .moved(let slot, let address):
                moved = true
                self.state.withLock { state in
                    state.slots.assign(slot...slot, to: address)
                    state.statistics.moved += 1
                }
                result = await self.run(command, on: address)
            case .ask(_, let address):
                self.state.withLock { $0.statistics.asked += 1 }
                result = await self.runAsking(command, on: address)
            case .tryAgain:
                try? await Task.sleep(for: .milliseconds(10))
                result = await self.run(command, on: self.address(for: command))
            case nil:
                guard error.isConnectionFailure, !refreshedAfterFailure else { return .failure(error) }
                refreshedAfterFailure = true
                do throws(RedisError) { try await self.refreshSlots() } catch { return .failure(error) }
                result = await self.run(command, on: self.address(for: command))
            }
            guard case .failure(let next) = result, RedisRedirect(next) != nil || next.isConnectionFailure else { return result }
            error = next
        }
        return .failure(error)
    }

    private func run(_ command: [[UInt8]], on address: RedisNodeAddress) async -> Result<RESPValue, RedisError> {
        do throws(RedisError) {
            return try await self.client(for: address).pipeline([command])[0]
        } catch {
            return .failure(error)
        }
    }

    /// `ASKING` then the command, in one flush on the importing node.
    private func runAsking(_ command: [[UInt8]], on address: RedisNodeAddress) async -> Result<RESPValue, RedisError> {
        do throws(RedisError) {
            return try await self.client(for: address).pipeline([[Array("ASKING".utf8)], command])[1]
        } catch {
            return .failure(error)
        }
    }

    /// The node for `command`: the owner of its key's slot, or any node for keyless commands.
    private func address(for command: [[UInt8]]) -> RedisNodeAddress {
        let slot = Self.keySlot(of: command)
        return self.state.withLock { state in
            if let slot, let owner = state.slots[slot] { return owner }
            return state.slots.masters.first ?? self.seeds[0]
        }
    }

    private func client(for address: RedisNodeAddress) -> RedisClient {
        self.state.withLock { state in state.nodes[address] ?? self.makeClient(for: address, in: &state) }
    }

    private func makeClient(for address: RedisNodeAddress, in state: inout State) -> RedisClient {
        var configuration = self.configuration
        configuration.host = address.host
        configuration.port = address.port
        let client = RedisClient(configuration: configuration, group: self.group, countingLossesIn: self.losses)
        state.nodes[address] = client
        return client
    }

    /// Commands without a key go to any node; every other command here has its key first.
    static func keySlot(of command: [[UInt8]]) -> Int? {
        guard command.count > 1 else { return nil }
        let name = String(decoding: command[0], as: UTF8.self).uppercased()
        if keylessCommands.contains(name) { return nil }
        // EVAL script numkeys key…: the first key decides (a script's keys share a slot).
        if name == "EVAL" || name == "EVALSHA" {
            guard command.count > 3, let count = Int(String(decoding: command[2], as: UTF8.self)), count > 0 else { return nil }
            return RedisKeySlot.slot(command[3])
        }
        return RedisKeySlot.slot(command[1])
    }

    private static let keylessCommands: Set<String> = ["PING", "INFO", "CLUSTER", "CLIENT", "ASKING", "READONLY", "AUTH", "HELLO", "CONFIG", "COMMAND", "SUBSCRIBE", "PUBLISH"]

    /// Indices of `keys` grouped by slot, in first-seen order.
    static func groupBySlot(_ keys: [[UInt8]]) -> [[Int]] {
        var order: [Int] = []
        var groups: [Int: [Int]] = [:]
        for (index, key) in keys.enumerated() {
            let slot = RedisKeySlot.slot(key)
            if groups[slot] == nil { order.append(slot) }
            groups[slot, default: []].append(index)
        }
        return order.compactMap { groups[$0] }
    }
}

/// Counters of a cluster client's topology work (for metrics and tests).
public struct RedisClusterStatistics: Sendable, Equatable {
    public var moved = 0
    public var asked = 0
    public var slotRefreshes = 0
}
