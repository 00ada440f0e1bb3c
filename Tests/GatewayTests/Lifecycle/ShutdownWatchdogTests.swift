import GatewayServer
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Shutdown watchdog")
struct ShutdownWatchdogTests {
    /// SIGUSR2 stands in for SIGTERM: the same signal source, without touching the signals the
    /// test runner itself may be stopped with.
    @Test("once its signal is registered, the signal arms it and it expires", .timeLimit(.minutes(1)))
    func expiresAfterItsSignal() async {
        let (expiries, expiry) = AsyncStream<Int>.makeStream()
        let (registered, registration) = AsyncStream<Void>.makeStream()
        let watchdog = ShutdownWatchdog(
            limit: .milliseconds(1), signals: [SIGUSR2], logger: Logger(label: "test"),
            expire: { expiry.yield(1) }, watching: { registration.finish() })
        defer { watchdog.cancel() }
        // Until Dispatch has registered the signal, its default action (ending the process) applies.
        for await _ in registered {}
        kill(getpid(), SIGUSR2)
        var iterator = expiries.makeAsyncIterator()
        #expect(await iterator.next() == 1)
    }
}
