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

    /// The first parameter name the query gives more than once (decoded as `formParameters` does).
    var repeatedFormParameter: String? {
        guard let query = self.query, !query.isEmpty else { return nil }
        var seen = Set<String>()
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let key = Self.formDecode(pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0])
            if !seen.insert(key).inserted { return key }
        }
        return nil
    }

    private static func formDecode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
