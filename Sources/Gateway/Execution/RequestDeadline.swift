/// The deadline of the request being executed, seen by every call made on its behalf (a task
/// local, inherited by the loaders' tasks).
///
/// Nothing waits past it: a downstream call gets what is left of the request's time when that is
/// less than its service's timeout, and one made after it fails at once. So a request needs no
/// timer of its own: the executor runs inline; fields a call could not fill in time are
/// `REQUEST_TIMEOUT` errors, and what was resolved stays.
public enum RequestDeadline {
    @TaskLocal public static var current: ContinuousClock.Instant?

    /// The time `timeout` leaves before the current request's deadline (`timeout` itself when
    /// there is none); zero or less: the deadline has passed.
    /// What is left of the current request's time; `nil` when it has no deadline.
    static var remaining: Duration? { Self.current.map { $0 - ContinuousClock.now } }

    static func bound(_ timeout: Duration) -> Duration {
        guard let deadline = Self.current else { return timeout }
        return min(timeout, deadline - ContinuousClock.now)
    }
}

extension Duration {
    /// `300 ms`, `2 s`: for messages.
    var shortDescription: String {
        self < .seconds(1) ? "\(self.components.attoseconds / 1_000_000_000_000_000) ms" : "\(self.components.seconds) s"
    }
}
