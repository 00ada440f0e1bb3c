import Synchronization

/// Runs `operation`, or answers `onTimeout()` once `duration` has passed; the operation is then
/// cancelled (downstream calls stop) and its late result dropped.
func withDeadline<T: Sendable>(
    _ duration: Duration, operation: @escaping @Sendable () async -> T, onTimeout: @escaping @Sendable () -> T
) async -> T {
    let race = DeadlineRace<T>()
    return await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        race.start(
            continuation,
            work: Task { race.finish(await operation()) },
            timer: Task {
                try? await Task.sleep(for: duration)
                if !Task.isCancelled { race.finish(onTimeout()) }
            })
    }
}

/// The first of the work and the timer to finish resumes the caller and cancels the other.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, Never>?
        var result: T?
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, Never>, work: Task<Void, Never>, timer: Task<Void, Never>) {
        let early = self.state.withLock { state -> T? in
            state.tasks = [work, timer]
            if let result = state.result { return result }
            state.continuation = continuation
            return nil
        }
        if let early {
            work.cancel()
            timer.cancel()
            continuation.resume(returning: early)
        }
    }

    func finish(_ value: T) {
        let (continuation, tasks) = self.state.withLock { state -> (CheckedContinuation<T, Never>?, [Task<Void, Never>]) in
            guard state.result == nil else { return (nil, []) }
            state.result = value
            defer { state.continuation = nil }
            return (state.continuation, state.tasks)
        }
        for task in tasks { task.cancel() }
        continuation?.resume(returning: value)
    }
}
