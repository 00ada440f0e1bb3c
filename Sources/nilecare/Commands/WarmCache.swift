import Gateway
import Logging

/// Warms the cache with hot queries once the downstream services answer (embedded fixture
/// services start alongside the gateway): retried a few times while they fail.
func warmCache(executor: GatewayExecutor, document: String, principal: Principal, authorization: String?, logger: Logger) async {
    for attempt in 1...10 {
        let outcomes = await CacheWarmer(executor: executor).warm(document: document, principal: principal, authorization: authorization)
        if !outcomes.contains(where: \.isTransient) || attempt == 10 {
            for outcome in outcomes {
                logger.info(
                    "cache warmed",
                    metadata: [
                        "operation": "\(outcome.operation)", "written": "\(outcome.entriesWritten)", "present": "\(outcome.entriesPresent)",
                        "errors": "\(outcome.errors.count)",
                    ])
            }
            return
        }
        try? await Task.sleep(for: .milliseconds(500))
    }
}
