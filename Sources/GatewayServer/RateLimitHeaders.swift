import Gateway
import HTTPTypes

extension RateLimitDecision {
    /// `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers) on every limited
    /// response, and `Retry-After` on a refusal.
    func write(to headers: inout HTTPFields) {
        headers[HTTPField.Name("RateLimit-Policy")!] = self.policyHeader
        headers[HTTPField.Name("RateLimit")!] = self.rateLimitHeader
        if !self.allowed { headers[.retryAfter] = String(max(1, self.retryAfterSeconds)) }
    }
}
