import Foundation

/// The cache policy of a whole response, folded from the policies of the fields it resolved
/// (as Apollo's cache-control plugin does): the lowest `maxAge`, PRIVATE if any field is.
public struct ResponseCachePolicy: Sendable, Equatable {
    public private(set) var maxAge: Duration?
    public private(set) var isPrivate = false
    /// Some field had no `@cacheControl`: the response must not be cached.
    public private(set) var hasUncachedData = false

    public init() {}

    mutating func include(_ policy: CachePolicy?) {
        guard let policy else {
            self.hasUncachedData = true
            return
        }
        self.maxAge = min(self.maxAge ?? policy.maxAge, policy.maxAge)
        self.isPrivate = self.isPrivate || policy.isPrivate
    }

    /// `private, max-age=60`, `public, max-age=3600`, or `no-store`.
    public var cacheControl: String {
        guard !self.hasUncachedData, let maxAge, maxAge.components.seconds > 0 else { return "no-store" }
        return "\(self.isPrivate ? "private" : "public"), max-age=\(maxAge.components.seconds)"
    }
}

/// A weak entity tag for a response body (`W/"…"`, SHA-256 based), for `ETag` / `If-None-Match`.
public func entityTag(for body: [UInt8]) -> String {
    "W/\"\(SHA256Digest.hex(body).prefix(32))\""
}

/// Whether an `If-None-Match` header matches `tag` (`*`, or any listed tag; weak comparison).
public func ifNoneMatch(_ header: String?, matches tag: String) -> Bool {
    guard let header else { return false }
    let bare = { (text: Substring) in text.hasPrefix("W/") ? text.dropFirst(2) : text }
    return header.split(separator: ",").contains { candidate in
        let candidate = candidate.trimmingSpacesAndTabs
        return candidate == "*" || bare(Substring(candidate)) == bare(Substring(tag))
    }
}
