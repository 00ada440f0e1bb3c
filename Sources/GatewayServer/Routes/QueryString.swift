import Foundation
import HummingbirdCore

extension URI {
    /// The query's parameters as HTML forms and URLSearchParams write them
    /// (`application/x-www-form-urlencoded`): `+` is a space, then percent-decoding, keys included.
    /// A repeated key keeps its last value; a malformed escape is kept as written.
    var formParameters: [String: String] {
        guard let query = self.query, !query.isEmpty else { return [:] }
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.formDecode(parts[0])
            parameters[key] = parts.count > 1 ? Self.formDecode(parts[1]) : ""
        }
        return parameters
    }

    private static func formDecode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
