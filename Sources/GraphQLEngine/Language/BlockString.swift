import Foundation

/// Removes the common indentation and the leading and trailing blank lines of a block
/// string's raw lines.
///
/// See https://spec.graphql.org/October2021/#BlockStringValue() and graphql-js `blockString.ts`.
func dedentBlockStringLines(_ lines: [String]) -> [String] {
    var commonIndent = Int.max
    var firstNonEmpty: Int?
    var lastNonEmpty = -1
    for (index, line) in lines.enumerated() {
        let indent = leadingWhitespace(line)
        if indent == line.utf8.count { continue }
        firstNonEmpty = firstNonEmpty ?? index
        lastNonEmpty = index
        if index != 0 && indent < commonIndent { commonIndent = indent }
    }
    guard let first = firstNonEmpty else { return [] }
    return (first...lastNonEmpty).map { index in
        let line = lines[index]
        if index == 0 || commonIndent == Int.max { return line }
        return String(decoding: line.utf8.dropFirst(commonIndent), as: UTF8.self)
    }
}

private func leadingWhitespace(_ line: String) -> Int {
    var count = 0
    for byte in line.utf8 {
        guard byte == 0x20 || byte == 0x09 else { break }
        count += 1
    }
    return count
}

/// Prints a string as a block string (`"""…"""`), as graphql-js `printBlockString` does.
func printBlockString(_ value: String, preferMultipleLines: Bool = false) -> String {
    let escaped = value.replacingOccurrences(of: "\"\"\"", with: "\\\"\"\"")
    let lines = value.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let isSingleLine = lines.count == 1
    let forceLeadingNewLine =
        lines.count > 1
        && lines.dropFirst().allSatisfy { $0.isEmpty || $0.first == " " || $0.first == "\t" }
    let hasTrailingTripleQuotes = escaped.hasSuffix("\\\"\"\"")
    let hasTrailingQuote = value.hasSuffix("\"") && !hasTrailingTripleQuotes
    let hasTrailingSlash = value.hasSuffix("\\")
    let forceTrailingNewline = hasTrailingQuote || hasTrailingSlash
    let printAsMultipleLines =
        !isSingleLine || value.count > 70 || forceTrailingNewline || forceLeadingNewLine
        || hasTrailingTripleQuotes || preferMultipleLines
    var result = ""
    let skipLeadingNewLine = isSingleLine && (value.first == " " || value.first == "\t")
    if (printAsMultipleLines && !skipLeadingNewLine) || forceLeadingNewLine { result += "\n" }
    result += escaped
    if printAsMultipleLines || forceTrailingNewline { result += "\n" }
    return "\"\"\"" + result + "\"\"\""
}
