/// A JSON document as the reader left it: its text and one node per value, the members of each
/// object and the items of each list one after another. Values are made from the nodes only when
/// they are read (`ValueObject` reads an object's members here), so a string nobody reads is never
/// made, and dropping the document frees its arrays and the objects made from it, not a values
/// array and a string per member.
final class JSONTape: Sendable {
    /// A value: its kind and where it is.
    struct Node {
        /// The text offset of a string's bytes, the index in `strings` of a string that had
        /// escapes, an integer, a float's bits, or the index of a container's first member or item.
        var start: Int
        /// The byte length of a string, the shape index of an object, or the item count of a list
        /// (the reader refuses texts of 4 GiB or more, so each fits).
        var payload: UInt32
        var kind: Kind

        init(_ kind: Kind, start: Int = 0, payload: Int = 0) {
            self.start = start
            self.payload = UInt32(truncatingIfNeeded: payload)
            self.kind = kind
        }

        var count: Int { Int(self.payload) }
    }

    enum Kind: UInt8 {
        case null, `false`, `true`, int, float, string, escapedString, object, list
    }

    /// The document's UTF-8 text (numbers and strings are read from it).
    private let text: [UInt8]
    private let nodes: [Node]
    /// The key layouts of the document's objects (an object node's payload indexes them).
    private let shapes: [ObjectShape]
    /// Strings that had escapes, decoded by the reader.
    private let strings: [String]

    init(text: [UInt8], nodes: [Node], shapes: [ObjectShape], strings: [String]) {
        self.text = text
        self.nodes = nodes
        self.shapes = shapes
        self.strings = strings
    }

    /// The value of the node at `index`.
    func value(at index: Int) -> Value {
        let node = self.nodes[index]
        switch node.kind {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .string:
            return .string(self.text.withUnsafeBufferPointer { text in
                String(decoding: UnsafeBufferPointer(rebasing: text[node.start..<node.start + node.count]), as: UTF8.self)
            })
        case .escapedString: return .string(self.strings[node.start])
        case .int: return .int(node.start)
        case .float: return .float(Double(bitPattern: UInt64(UInt(bitPattern: node.start))))
        case .object: return .object(ValueObject(shape: self.shapes[node.count], tape: Object(tape: self, start: node.start)))
        case .list:
            var items: [Value] = []
            items.reserveCapacity(node.count)
            for item in node.start..<node.start + node.count { items.append(self.value(at: item)) }
            return .list(items)
        }
    }

    /// Where an object's members are: its tape, and the index of its first member there. One
    /// per object value made from the tape, so that the object is two references (see
    /// `ValueObject`).
    final class Object: Sendable {
        let tape: JSONTape
        let start: Int

        init(tape: JSONTape, start: Int) {
            self.tape = tape
            self.start = start
        }

        /// The member at `position`.
        @inline(__always)
        func value(at position: Int) -> Value {
            self.tape.value(at: self.start + position)
        }
    }
}
