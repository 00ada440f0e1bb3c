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
            default: candidates = []
            }
            for (type, rank) in candidates where best == nil || quality > best!.quality || (quality == best!.quality && rank > best!.rank) {
                best = (type, quality, rank)
            }
        }
        return best?.type
    }
}
