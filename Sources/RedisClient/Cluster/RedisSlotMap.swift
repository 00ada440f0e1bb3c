/// Which master serves each of the 16384 slots, from `CLUSTER SLOTS`.
struct RedisSlotMap: Sendable {
    private(set) var owners: [RedisNodeAddress?] = Array(repeating: nil, count: RedisKeySlot.count)

    /// Whether any slot is known (an empty map sends commands to a seed, which redirects).
    var isEmpty: Bool { self.masters.isEmpty }
    private(set) var masters: Set<RedisNodeAddress> = []

    init() {}

    /// Reads a `CLUSTER SLOTS` reply: `[[start, end, [host, port, id, …], replicas…], …]`.
    /// An empty host means "the node you asked" (`askedHost`).
    init?(clusterSlots reply: RESPValue, askedHost: String) {
        guard case .array(let ranges?) = reply else { return nil }
        for range in ranges {
            guard case .array(let fields?) = range, fields.count >= 3,
                case .integer(let start) = fields[0], case .integer(let end) = fields[1],
                case .array(let master?) = fields[2], master.count >= 2,
                let host = master[0].string, case .integer(let port) = master[1], (1...65535).contains(port),
                0 <= start, start <= end, end < RedisKeySlot.count
            else { return nil }
            let address = RedisNodeAddress(host: host.isEmpty || host == "?" ? askedHost : host, port: port)
            self.assign(start...end, to: address)
        }
    }

    subscript(slot: Int) -> RedisNodeAddress? { self.owners.indices.contains(slot) ? self.owners[slot] : nil }

    /// Assigns the slots of `slots` that exist (others are ignored: they came from a node's reply).
    mutating func assign(_ slots: ClosedRange<Int>, to address: RedisNodeAddress) {
        for slot in slots.clamped(to: 0...(RedisKeySlot.count - 1)) { self.owners[slot] = address }
        self.masters = Set(self.owners.compactMap { $0 })
    }
}
