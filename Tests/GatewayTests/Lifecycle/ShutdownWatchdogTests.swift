import GatewayServer
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Shutdown watchdog")
struct ShutdownWatchdogTests {
    /// SIGUSR2 stands in for SIGTERM: the same signal source, without touching the signals the
    /// test runner itself may be stopped with.
    @Test("a signal arms it and it expires once, whatever signals follow", .timeLimit(.minutes(1)))
    func expiresAfterItsSignal() async {
        let (expiries, continuation) = AsyncStream<Int>.makeStream()
        let count = Mutex(0)
        let watchdog = ShutdownWatchdog(limit: .milliseconds(1), signals: [SIGUSR2], logger: Logger(label: "test")) {
            continuation.yield(count.withLock { count in
                count += 1
                return count
            })
        }
        defer { watchdog.cancel() }
        kill(getpid(), SIGUSR2)
        var iterator = expiries.makeAsyncIterator()
        #expect(await iterator.next() == 1)
        // A later signal does not arm it again: the next expiry, if any, would be the second.
        kill(getpid(), SIGUSR2)
        watchdog.cancel()
        continuation.finish()
        #expect(await iterator.next() == nil)
    }
}
