/// A downstream path template (`/api/v1/patients/{id}/notes`): text and `{name}` placeholders,
/// parsed once when the schema loads (`@fetch`, `@mutate` and REST routes), so that filling it for
/// a call is one pass over its segments.
struct PathTemplate: Sendable {
    enum Segment: Sendable, Equatable {
        case text(String)
        case placeholder(String)
    }

    /// The template as written.
    let path: String
    let segments: [Segment]
    /// The placeholders' names in order (a name used twice is listed twice).
    let placeholders: [String]

    /// `nil` unless `path` starts with `/`, every `{` is closed before another opens, each name is
    /// letters, digits or `_`, and no space stands outside the braces.
    init?(_ path: String) {
        guard path.hasPrefix("/") else { return nil }
        var segments: [Segment] = []
        var placeholders: [String] = []
        var text = ""
        var name: String?
        for character in path {
            switch character {
            case "{":
                if name != nil { return nil }
                if !text.isEmpty { segments.append(.text(text)) }
                text = ""
                name = ""
            case "}":
                guard let closed = name, !closed.isEmpty else { return nil }
                segments.append(.placeholder(closed))
                placeholders.append(closed)
                name = nil
            default:
                if name != nil {
                    guard character.isLetter || character.isNumber || character == "_" else { return nil }
                    name?.append(character)
                } else if character == " " {
                    return nil
                } else {
                    text.append(character)
                }
            }
        }
        guard name == nil else { return nil }
        if !text.isEmpty { segments.append(.text(text)) }
        self.path = path
        self.segments = segments
        self.placeholders = placeholders
    }

    /// A path with no placeholders, taken as it is (a subgraph's `/graphql`).
    init(fixed path: String) {
        self.path = path
        self.segments = path.isEmpty ? [] : [.text(path)]
        self.placeholders = []
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
