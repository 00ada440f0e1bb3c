/// A `@fetch` path split at its `{name}` placeholders once, when the schema is loaded, so that
/// filling it for a call is one pass over its segments.
struct PathTemplate: Sendable {
    enum Segment: Sendable, Equatable {
        case text(String)
        case placeholder(String)
    }

    let segments: [Segment]

    /// Splits `path` at every `{name}` whose name is one of `placeholders`; other braces stay text.
    init(_ path: String, placeholders: [String]) {
        let bytes = Array(path.utf8)
        var segments: [Segment] = []
        var text: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "{"), let close = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "}")) {
                let name = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                if placeholders.contains(name) {
                    if !text.isEmpty { segments.append(.text(String(decoding: text, as: UTF8.self))) }
                    text.removeAll()
                    segments.append(.placeholder(name))
                    index = close + 1
                    continue
                }
            }
            text.append(bytes[index])
            index += 1
        }
        if !text.isEmpty { segments.append(.text(String(decoding: text, as: UTF8.self))) }
        self.segments = segments
    }

    /// The path with each placeholder replaced by `value(name)`, percent-encoded.
    func filled(_ value: (String) -> String) -> String {
        var path = ""
        for segment in self.segments {
            switch segment {
            case .text(let text): path += text
            case .placeholder(let name): path += percentEncode(value(name))
            }
        }
        return path
    }
}
