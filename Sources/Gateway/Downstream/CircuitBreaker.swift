import Logging
import Synchronization

/// When a downstream service's circuit opens, and for how long.
public struct CircuitBreakerPolicy: Sendable, Equatable {
    /// Consecutive failed calls that open the circuit.
    public var consecutiveFailures = 5
    /// Or: this share of failed calls (0...1) in the window, once it holds `minimumCalls`.
    public var failureRate = 0.5
    public var minimumCalls = 20
    public var window: Duration = .seconds(10)
    /// How long an open circuit fails calls at once before letting one probe through.
    public var openDuration: Duration = .seconds(5)

    public init() {}
}

/// One downstream service's circuit: closed (calls go through), open (calls fail at once, so a
/// service that is down costs nothing to ask and gets no traffic while it recovers), half-open
/// (one probe call; its success closes the circuit, its failure opens it again).
///
/// State changes are logged once each and counted (`downstream_circuit_transitions_total`); the
/// state is a gauge (`downstream_circuit_state`: 0 closed, 1 half-open, 2 open) and in `/ready`.
public final class CircuitBreaker: Sendable {
    public enum State: String, Sendable {
        case closed
        case open
        case halfOpen = "half-open"

        var gaugeValue: Int {
            switch self {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
        }
    }

    private struct Storage {
        var state = State.closed
        var consecutiveFailures = 0
        /// Calls and failures in the current window, which started at `windowStart`.
        var windowStart = ContinuousClock.now
        var calls = 0
        var failures = 0
        var openedAt = ContinuousClock.now
        var probeInFlight = false
        var probeStartedAt = ContinuousClock.now
    }

    public let service: String
    public let policy: CircuitBreakerPolicy
    private let storage = Mutex(Storage())
    private let logger: Logger
    private let now: @Sendable () -> ContinuousClock.Instant

    public init(
        service: String, policy: CircuitBreakerPolicy, logger: Logger = Logger(label: "nilecare.downstream"),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.service = service
        self.policy = policy
        self.logger = logger
        self.now = now
        GatewayMetrics.circuitState(service: service, State.closed.gaugeValue)
    }

    public var state: State { self.storage.withLock { $0.state } }

    /// Whether a call may go now. While open, `false` until `openDuration` has passed; then one
    /// caller is let through as the probe (the circuit is half-open until its outcome).
    public func permitsCall() -> Bool {
        let now = self.now()
        let (permitted, transition) = self.storage.withLock { storage -> (Bool, State?) in
            switch storage.state {
            case .closed: return (true, nil)
            case .open:
                guard now - storage.openedAt >= self.policy.openDuration else { return (false, nil) }
                storage.state = .halfOpen
                storage.probeInFlight = true
                storage.probeStartedAt = now
                return (true, .halfOpen)
            case .halfOpen:
                // One probe at a time; a probe that never reported (cancelled) is replaced after a while.
                guard !storage.probeInFlight || now - storage.probeStartedAt >= self.policy.openDuration else { return (false, nil) }
                storage.probeInFlight = true
                storage.probeStartedAt = now
                return (true, nil)
            }
        }
        if let transition { self.announce(transition) }
        return permitted
    }

    /// Records a call's outcome (a failure: no answer, a timeout, a 5xx, an unreadable body).
    public func record(success: Bool) {
        let now = self.now()
        let transition = self.storage.withLock { storage -> State? in
            if now - storage.windowStart >= self.policy.window {
                storage.windowStart = now
                storage.calls = 0
                storage.failures = 0
            }
            storage.calls += 1
            if success {
                storage.consecutiveFailures = 0
            } else {
                storage.failures += 1
                storage.consecutiveFailures += 1
            }
            switch storage.state {
            case .halfOpen:
                storage.probeInFlight = false
                storage.state = success ? .closed : .open
                if success { storage.calls = 0; storage.failures = 0 } else { storage.openedAt = now }
                return storage.state
            case .closed where !success:
                let rateExceeded =
                    storage.calls >= self.policy.minimumCalls && Double(storage.failures) / Double(storage.calls) >= self.policy.failureRate
                guard storage.consecutiveFailures >= self.policy.consecutiveFailures || rateExceeded else { return nil }
                storage.state = .open
                storage.openedAt = now
                return .open
            default:
                return nil
            }
        }
        if let transition { self.announce(transition) }
    }

    /// Records a call that says nothing about the service (cut short by the client request's own
    /// deadline): a half-open circuit lets the next call probe.
    public func recordNeutral() {
        self.storage.withLock { $0.probeInFlight = false }
    }

    private func announce(_ state: State) {
        GatewayMetrics.circuitTransition(service: self.service, to: state.rawValue)
        GatewayMetrics.circuitState(service: self.service, state.gaugeValue)
        switch state {
        case .open: self.logger.warning("circuit opened: failing calls at once", metadata: ["service": "\(self.service)"])
        case .halfOpen: self.logger.info("circuit half-open: probing", metadata: ["service": "\(self.service)"])
        case .closed: self.logger.info("circuit closed: service answering again", metadata: ["service": "\(self.service)"])
        }
    }
}
