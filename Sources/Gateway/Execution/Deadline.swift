import Dispatch
import Synchronization

/// Runs `operation`, or answers `onTimeout()` once `duration` has passed; the operation is then
/// cancelled (downstream calls stop) and its late result dropped.
///
/// The deadline is kept by the shared `DeadlineTimer` (no timer task per request); it fires
/// within its tick (10 ms) after `duration`.
func withDeadline<T: Sendable>(
    _ duration: Duration, operation: @escaping @Sendable () async -> T, onTimeout: @escaping @Sendable () -> T
) async -> T {
    let race = DeadlineRace<T>()
    return await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let ticket = DeadlineTimer.shared.schedule(after: duration) { race.finish(onTimeout()) }
        race.start(continuation, work: Task { race.finish(await operation()) }, ticket: ticket)
    }
}

/// The first of the work and the deadline to finish resumes the caller and cancels the other.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, Never>?
        var result: T?
        var work: Task<Void, Never>?
        var ticket: DeadlineTimer.Ticket?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, Never>, work: Task<Void, Never>, ticket: DeadlineTimer.Ticket) {
        let early = self.state.withLock { state -> T? in
            state.work = work
            state.ticket = ticket
            if let result = state.result { return result }
            state.continuation = continuation
            return nil
        }
        if let early {
            work.cancel()
            DeadlineTimer.shared.cancel(ticket)
            continuation.resume(returning: early)
        }
    }

    func finish(_ value: T) {
        let (continuation, work, ticket) = self.state.withLock { state in
            guard state.result == nil else { return (CheckedContinuation<T, Never>?.none, Task<Void, Never>?.none, DeadlineTimer.Ticket?.none) }
            state.result = value
            defer { state.continuation = nil }
            return (state.continuation, state.work, state.ticket)
        }
        work?.cancel()
        if let ticket { DeadlineTimer.shared.cancel(ticket) }
        continuation?.resume(returning: value)
    }
}

/// One coarse timer for all request deadlines: scheduling and cancelling take a lock, not a task
/// and a kernel timer each. It ticks every 10 ms while any deadline is pending, on its own dispatch
/// queue: not on the Swift concurrency pool, which busy requests (the ones that time out) can fill.
final class DeadlineTimer: Sendable {
    static let shared = DeadlineTimer()
    static let tick = Duration.milliseconds(10)

    struct Ticket: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    private struct Pending {
        let due: ContinuousClock.Instant
        let fire: @Sendable () -> Void
    }

    private struct State {
        var pending: [UInt64: Pending] = [:]
        var nextID: UInt64 = 0
        var ticking = false
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "nilecare.deadlines")

    /// Calls `fire` once `duration` has passed, unless the ticket is cancelled first.
    func schedule(after duration: Duration, _ fire: @escaping @Sendable () -> Void) -> Ticket {
        let due = ContinuousClock.now + duration
        let (ticket, startTicking) = self.state.withLock { state in
            state.nextID &+= 1
            state.pending[state.nextID] = Pending(due: due, fire: fire)
            let start = !state.ticking
            state.ticking = true
            return (Ticket(id: state.nextID), start)
        }
        if startTicking { self.scheduleTick() }
        return ticket
    }

    func cancel(_ ticket: Ticket) {
        _ = self.state.withLock { $0.pending.removeValue(forKey: ticket.id) }
    }

    /// Deadlines waiting to fire (for tests).
    var pendingCount: Int { self.state.withLock { $0.pending.count } }

    private func scheduleTick() {
        self.queue.asyncAfter(deadline: .now() + .milliseconds(Int(Self.tick.components.attoseconds / 1_000_000_000_000_000))) { self.tickOnce() }
    }

    private func tickOnce() {
        let now = ContinuousClock.now
        let (due, keepTicking) = self.state.withLock { state in
            var due: [Pending] = []
            for (id, pending) in state.pending where pending.due <= now {
                due.append(pending)
                state.pending[id] = nil
            }
            if state.pending.isEmpty { state.ticking = false }
            return (due, state.ticking)
        }
        for pending in due { pending.fire() }
        if keepTicking { self.scheduleTick() }
    }
}
