/// Suggestions for a misspelt name, as graphql-js makes them (`suggestionList`, `didYouMean`).

/// The options close enough to `input` to suggest, closest first: within an edit distance of
/// 40% of the input's length (case changes count as one edit, transpositions as one), ties in
/// name order.
func suggestionList(_ input: String, _ options: some Sequence<String>) -> [String] {
    let distance = LexicalDistance(input)
    let threshold = input.count * 4 / 10 + 1
    var scored: [(option: String, distance: Int)] = []
    for option in options {
        if let measured = distance.measure(option, threshold: threshold) { scored.append((option, measured)) }
    }
    scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.option.unicodeScalars.lexicographicallyPrecedes($1.option.unicodeScalars) }
    return scored.map(\.option)
}

/// ` Did you mean "a", "b", or "c"?` for up to five suggestions (empty for none, or when
/// `NameSuggestions.enabled` is off), optionally with words before them
/// (` Did you mean the enum value "A"?`).
func didYouMean(_ suggestions: [String], after words: String? = nil) -> String {
    guard NameSuggestions.enabled else { return "" }
    let quoted = suggestions.prefix(5).map { "\(quoted: "\($0)")" }
    guard let last = quoted.last else { return "" }
    let lead = " Did you mean " + (words.map { $0 + " " } ?? "")
    switch quoted.count {
    case 1: return lead + last + "?"
    case 2: return lead + quoted[0] + " or " + last + "?"
    default: return lead + quoted.dropLast().joined(separator: ", ") + ", or " + last + "?"
    }
}

/// Damerau–Levenshtein distance (optimal string alignment) from one input to many options,
/// ignoring case beyond one edit, giving up past a threshold.
private struct LexicalDistance {
    let input: String
    let lowercased: [Unicode.Scalar]

    init(_ input: String) {
        self.input = input
        self.lowercased = Array(input.lowercased().unicodeScalars)
    }

    func measure(_ option: String, threshold: Int) -> Int? {
        if option == self.input { return 0 }
        let optionLowercased = Array(option.lowercased().unicodeScalars)
        if optionLowercased == self.lowercased { return 1 }
        var a = optionLowercased
        var b = self.lowercased
        if a.count < b.count { swap(&a, &b) }
        guard a.count - b.count <= threshold else { return nil }
        var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: 3)
        for j in 0...b.count { rows[0][j] = j }
        for i in 1..<(a.count + 1) {
            let up = (i - 1) % 3
            let current = i % 3
            rows[current][0] = i
            var smallest = i
            for j in 1..<(b.count + 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var cell = min(rows[up][j] + 1, rows[current][j - 1] + 1, rows[up][j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    cell = min(cell, rows[(i - 2) % 3][j - 2] + 1)
                }
                smallest = min(smallest, cell)
                rows[current][j] = cell
            }
            if smallest > threshold { return nil }
        }
        let distance = rows[a.count % 3][b.count]
        return distance <= threshold ? distance : nil
    }
}

/// Whether error messages suggest close names. Off where the schema is private (a gateway with
/// introspection disabled): "Did you mean …?" would reveal the names introspection hides.
public enum NameSuggestions {
    @TaskLocal public static var enabled = true
}
