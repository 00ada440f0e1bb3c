/// The generic cell rate algorithm: a key's "theoretical arrival time" (TAT) advances by
/// `cost × interval` per admitted use; a use is refused when that would put the TAT more than one
/// window ahead of now. So a quota of N per window allows bursts up to N and a steady N per window.
/// Times in microseconds. The Redis limiter runs the same steps in one Lua script.
enum GCRA {
    struct Outcome: Equatable {
        let allowed: Bool
        /// The key's new TAT when allowed (unchanged when refused).
        let tat: Int64
        let retryAfter: Int64
        /// Uses of cost 1 still admissible now.
        let remaining: Int64
    }

    static func step(tat stored: Int64?, now: Int64, cost: Int64, interval: Int64, window: Int64) -> Outcome {
        let tat = max(stored ?? now, now)
        let (advance, overflow) = cost.multipliedReportingOverflow(by: interval)
        let next = overflow ? Int64.max : tat.addingReportingOverflow(advance).overflow ? Int64.max : tat + advance
        if next - now > window {
            return Outcome(allowed: false, tat: tat, retryAfter: next - now - window, remaining: max(0, (window - (tat - now)) / interval))
        }
        return Outcome(allowed: true, tat: next, retryAfter: 0, remaining: max(0, (window - (next - now)) / interval))
    }
}
