import Metrics
import Synchronization

/// Redis round trips as metrics: `redis_command_duration_seconds{command}` (the command name, or
/// `PIPELINE` for a mixed pipeline; names outside a known set are `OTHER`, keeping labels bounded).
enum RedisMetrics {
    private static let known: Set<String> = [
        "GET", "SET", "MGET", "DEL", "SADD", "SMEMBERS", "EXPIRE", "PING", "CLUSTER", "ASKING", "INFO", "AUTH", "SELECT", "CLIENT", "SUBSCRIBE",
    ]
    private static let timers = Mutex<[String: Metrics.Timer]>([:])

    static func roundTrip(_ commands: [[[UInt8]]], _ duration: Duration) {
        let names = Set(commands.compactMap { $0.first.map { String(decoding: $0, as: UTF8.self).uppercased() } })
        let label = names.count == 1 ? (self.known.contains(names.first!) ? names.first! : "OTHER") : "PIPELINE"
        let timer = self.timers.withLock { timers in
            if let existing = timers[label] { return existing }
            let made = Metrics.Timer(label: "redis_command_duration_seconds", dimensions: [("command", label)])
            timers[label] = made
            return made
        }
        timer.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
