import Gateway
import Foundation

/// The response media types of GraphQL over HTTP, chosen from the request's `Accept` header.
///
/// See https://graphql.github.io/graphql-over-http/draft/#sec-Accept
enum GraphQLMediaType: String {
    case graphQLResponse = "application/graphql-response+json"
    case json = "application/json"

    var contentType: String { "\(self.rawValue); charset=utf-8" }

    /// The supported type the client prefers most (by q-value, then by our preference for the
    /// newer type on ties); `application/json` without an `Accept`; `nil` when the client accepts
    /// neither.
    static func negotiate(_ accept: String?) -> GraphQLMediaType? {
        guard let accept, !accept.trimmingSpacesAndTabs.isEmpty else { return .json }
        var best: (type: GraphQLMediaType, quality: Double, rank: Int)?
        for part in accept.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingSpacesAndTabs.lowercased() }
            guard let range = pieces.first else { continue }
            var quality = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            guard quality > 0 else { continue }
            let candidates: [(GraphQLMediaType, Int)]
            switch range {
            case "application/graphql-response+json": candidates = [(.graphQLResponse, 2)]
            case "application/json": candidates = [(.json, 1)]
            case "application/*", "*/*": candidates = [(.json, 0)]
            // A client of incremental delivery gets JSON for a response with nothing deferred.
            case "multipart/mixed", "multipart/*": candidates = [(.json, -1)]
            default: candidates = []
            }
            for (type, rank) in candidates where best == nil || quality > best!.quality || (quality == best!.quality && rank > best!.rank) {
                best = (type, quality, rank)
            }
        }
        return best?.type
    }
}

/// The multipart shapes of incremental delivery (`@defer`), chosen from the request's `Accept`.
enum IncrementalFormat: Equatable {
    /// The incremental delivery RFC as graphql-js 17 speaks it: `pending`, `incremental`, `completed` by id.
    case graphQLJS
    /// Apollo's `multipart/mixed;deferSpec=20220824`: `incremental` entries with `path` and `label`.
    case apollo20220824

    /// The format `Accept` asks for; `nil` when it accepts no multipart (`@defer` is then ignored).
    static func negotiate(_ accept: String?) -> IncrementalFormat? {
        guard let accept else { return nil }
        var found: IncrementalFormat?
        for part in accept.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingSpacesAndTabs.lowercased() }
            guard let range = pieces.first, range == "multipart/mixed" || range == "multipart/*" else { continue }
            let parameters = pieces.dropFirst()
            if parameters.contains(where: { $0.hasPrefix("q=") && (Double($0.dropFirst(2)) ?? 0) <= 0 }) { continue }
            if parameters.contains("deferspec=20220824") { return .apollo20220824 }
            found = .graphQLJS
        }
        return found
    }
}
