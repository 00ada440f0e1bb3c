/// What a cluster node's error reply asks of the client.
///
/// See https://redis.io/docs/reference/cluster-spec/#redirection-and-resharding
enum RedisRedirect: Equatable {
    /// `MOVED slot host:port`: the slot lives there now; update the slot map and retry there.
    case moved(slot: Int, to: RedisNodeAddress)
    /// `ASK slot host:port`: this one command goes there, after `ASKING`; the map stays.
    case ask(slot: Int, to: RedisNodeAddress)
    /// `TRYAGAIN`: a multi-key command during a slot migration; retry shortly.
    case tryAgain

    init?(_ error: RedisError) {
        guard let message = error.serverMessage else { return nil }
        let parts = message.split(separator: " ")
        if parts.first == "TRYAGAIN" {
            self = .tryAgain
            return
        }
        // A slot outside the 16384 is not a redirect we follow (a hostile or broken node).
        guard parts.count == 3, let slot = Int(parts[1]), (0..<RedisKeySlot.count).contains(slot), let address = RedisNodeAddress(parts[2])
        else { return nil }
        switch parts[0] {
        case "MOVED": self = .moved(slot: slot, to: address)
        case "ASK": self = .ask(slot: slot, to: address)
        default: return nil
        }
    }
}
