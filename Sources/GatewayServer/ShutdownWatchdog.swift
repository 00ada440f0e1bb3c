import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The last resort of a shutdown: once one of its signals (SIGTERM, SIGINT) has arrived, ends the
/// process if it is still running `limit` later.
///
/// The service group escalates a graceful shutdown that takes too long to task cancellation
/// (`ServiceGroupConfiguration.maximumGracefulShutdownDuration`). The watchdog covers what that
/// cannot: a process whose tasks no longer run (its event-loop threads blocked), which would
/// otherwise ignore SIGTERM until the orchestrator's SIGKILL. It runs on a Dispatch queue of its
/// own, apart from the event loops and Swift's executors, and is armed by the first signal only.
public final class ShutdownWatchdog: @unchecked Sendable {
    private let limit: Duration
    private let logger: Logger
    private let expire: @Sendable () -> Void
    private let watching: (@Sendable () -> Void)?
    private let queue = DispatchQueue(label: "nilecare.shutdown-watchdog")
    private let armed = Atomic<Bool>(false)
    /// Signal sources Dispatch has not reported registered yet.
    private let unregistered = Atomic<Int>(0)
    /// Set at init, only cancelled afterwards (the `@unchecked Sendable`).
    private var sources: [any DispatchSourceSignal] = []

    /// Watches `signals` (through Dispatch, as the service group does: once registered, their
    /// default actions no longer apply); `expire` runs on the watchdog's queue when the limit
    /// passes (by default: log and exit 1). Dispatch registers signals asynchronously: `watching`
    /// runs once they all are.
    public init(
        limit: Duration, signals: [Int32] = [SIGTERM, SIGINT], logger: Logger,
        expire: (@Sendable () -> Void)? = nil, watching: (@Sendable () -> Void)? = nil
    ) {
        self.limit = limit
        self.logger = logger
        self.expire = expire ?? { Self.exitProcess(limit: limit, logger: logger) }
        self.watching = watching
        self.unregistered.store(signals.count, ordering: .relaxed)
        for number in signals {
            #if canImport(Darwin)
            signal(number, SIG_IGN)  // kqueue delivers only signals with no handler (as UnixSignals does)
            #endif
            let source = DispatchSource.makeSignalSource(signal: number, queue: self.queue)
            source.setEventHandler { [weak self] in self?.signalArrived() }
            source.setRegistrationHandler { [weak self] in self?.registered() }
            source.resume()
            self.sources.append(source)
        }
    }

    /// Stops watching.
    public func cancel() {
        for source in self.sources { source.cancel() }
    }

    private func registered() {
        if self.unregistered.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { self.watching?() }
    }

    private func signalArrived() {
        guard !self.armed.exchange(true, ordering: .relaxed) else { return }
        let seconds = Double(self.limit.components.seconds) + Double(self.limit.components.attoseconds) / 1e18
        self.queue.asyncAfter(deadline: .now() + seconds, execute: self.expire)
    }

    private static func exitProcess(limit: Duration, logger: Logger) {
        logger.critical("The process did not stop within \(limit) of the shutdown signal; exiting.")
        fflush(nil)
        _exit(1)
    }
}
