#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses JSON text into `Value`s, keeping integers (`1`) apart from floats (`1.0`, `1e3`).
///
/// Strict RFC 8259, with a nesting limit; errors name the byte offset. The text is read into a
/// `JSONTape` (one node per value, the members of an object side by side) and the value returned
/// reads it: an object's properties are made when they are read.
public struct JSONReader {
    typealias Node = JSONTape.Node
    /// The text being read, borrowed for one `parse` call (the reader is made and dropped inside it).
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0
    private let maxDepth: Int
    /// The keys of the objects being read, innermost last, while they do not follow a prediction:
    /// an object is made once all its members are read.
    private var memberKeys: [String] = []
    /// The members and items of the containers being read, innermost last: each container's run
    /// moves to `nodes` when it closes.
    private var pending: [Node] = []
    /// The tape's nodes: every container's run of members or items, the root last.
    private var nodes: [Node] = []
    /// Every shape of the document's objects (an object node holds its index).
    private var shapes: [ObjectShape] = []
    /// Strings that had escapes, decoded.
    private var strings: [String] = []
    /// The indexes in `shapes` of the last shapes read with distinct keys, shared by the objects
    /// that follow.
    private var recentShapes: [Int] = []
    private static let keptShapes = 8
    /// By place (depth, and the key of the parent object it is under): the shape of the last object
    /// read there. The next object in that place (a list's next item, the same field of the next
    /// item) usually has the same keys: each is compared with the predicted key's bytes where it
    /// stands, and an object that matches them all takes the shape without a key being made.
    private var predictions: [Prediction?] = []
    /// Places told apart per depth: a parent's first keys each have their own, later ones share one.
    private static let placesPerDepth = 16
    /// Objects deeper than this are read without a prediction (the table stays small whatever the
    /// caller's nesting limit).
    private static let predictedDepths = 64

    /// A shape predicted for a place, with its keys' bytes for comparing in place. A class: an
    /// object read against it holds one reference, not its three arrays.
    private final class Prediction {
        let shape: ObjectShape
        /// The shape's index in the tape's shapes.
        let index: Int
        /// The keys' UTF-8 bytes, one after another.
        private let bytes: [UInt8]
        /// Each key's start in `bytes` and its length, or -1 for a key JSON would escape (read the
        /// general way).
        private let starts: [Int]
        private let counts: [Int]

        init(_ shape: ObjectShape, index: Int) {
            self.shape = shape
            self.index = index
            var bytes: [UInt8] = []
            bytes.reserveCapacity(shape.keys.reduce(0) { $0 + $1.utf8.count })
            var starts: [Int] = []
            var counts: [Int] = []
            starts.reserveCapacity(shape.keys.count)
            counts.reserveCapacity(shape.keys.count)
            for key in shape.keys {
                let start = bytes.count
                bytes.append(contentsOf: key.utf8)
                starts.append(start)
                counts.append(bytes[start...].contains(where: JSONWriter.isEscaped) ? -1 : bytes.count - start)
            }
            self.bytes = bytes
            self.starts = starts
            self.counts = counts
        }

        /// How many keys the shape has.
        var count: Int { self.counts.count }

        /// The length of the key at `index` when `text` (`available` readable bytes, just past an
        /// opening quote) starts with it and its closing quote; `nil` otherwise.
        @inline(__always)
        func matchedLength(ofKey index: Int, at text: UnsafePointer<UInt8>, available: Int) -> Int? {
            let count = self.counts[index]
            guard count >= 0, count < available, text[count] == 0x22 else { return nil }
            let start = self.starts[index]
            return self.bytes.withUnsafeBufferPointer { bytes -> Int? in
                // Keys are short: compared here, eight bytes at a time, rather than by a call.
                guard let key = bytes.baseAddress.map({ $0 + start }) else { return count == 0 ? 0 : nil }
                var offset = 0
                while offset + 8 <= count {
                    let expected = UnsafeRawPointer(key + offset).loadUnaligned(as: UInt64.self)
                    guard UnsafeRawPointer(text + offset).loadUnaligned(as: UInt64.self) == expected else { return nil }
                    offset += 8
                }
                while offset < count {
                    guard text[offset] == key[offset] else { return nil }
                    offset += 1
                }
                return count
            }
        }
    }
    /// Keys read so far, by a hash of their bytes: a key seen before is the same string again instead
    /// of a new one decoded and checked. (Values are not: interning them cost more than it saved.)
    private var keys: [InternedKey] = []
    private static let keySlots = 64

    private struct InternedKey {
        var hash: UInt32 = 0
        var start = 0
        var count = -1
        var key = ""
    }

    /// A JSON syntax error at a byte offset.
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public let message: String
        public let offset: Int
        public var description: String { "Invalid JSON at byte \(self.offset): \(self.message)" }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        // About one value per dozen bytes of text (the fixtures' answers have one per 14).
        self.nodes.reserveCapacity(bytes.count / 12 + 1)
        self.pending.reserveCapacity(16)
    }

    /// Parses one JSON document (surrounding whitespace allowed).
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) throws(Error) -> Value {
        try bytes.withUnsafeBufferPointer { (buffer) throws(Error) in try self.parse(buffer, text: bytes, maxDepth: maxDepth) }
    }

    /// Parses one JSON document from memory the caller keeps valid for the call (a network buffer's
    /// readable bytes, without copying them into an array).
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 512) throws(Error) -> Value {
        try self.parse(bytes.assumingMemoryBound(to: UInt8.self), maxDepth: maxDepth)
    }

    /// Parses one JSON document from memory the caller keeps valid for the call (the values keep
    /// a copy of the text).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = 512) throws(Error) -> Value {
        try self.parse(bytes, text: nil, maxDepth: maxDepth)
    }

    /// Parses `bytes`, whose text the tape keeps as `text` when the caller has it in an array.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, text: [UInt8]?, maxDepth: Int) throws(Error) -> Value {
        // The tape's nodes hold lengths and counts in 32 bits.
        guard bytes.count < Int(UInt32.max) else { throw Error(message: "document too large", offset: 0) }
        var reader = JSONReader(bytes: bytes, maxDepth: maxDepth)
        reader.skipWhitespace()
        let root = try reader.readValue(place: 0)
        reader.skipWhitespace()
        guard reader.position == bytes.count else { throw reader.error("unexpected trailing characters") }
        reader.nodes.append(root)
        let tape = JSONTape(text: text ?? Array(bytes), nodes: reader.nodes, shapes: reader.shapes, strings: reader.strings)
        return tape.value(at: reader.nodes.count - 1)
    }

    public static func parse(_ text: String) throws(Error) -> Value { try self.parse(Array(text.utf8)) }

    private func error(_ message: String) -> Error { Error(message: message, offset: self.position) }

    private mutating func skipWhitespace() {
        while self.position < self.bytes.count {
            switch self.bytes[self.position] {
            case 0x20, 0x09, 0x0A, 0x0D: self.position += 1
            default: return
            }
        }
    }

    /// A value; `place` tells apart the values of one depth (0, or the parent object's key position
    /// plus one) for predicting objects' shapes.
    private mutating func readValue(place: Int) throws(Error) -> Node {
        guard self.position < self.bytes.count else { throw self.error("unexpected end of input") }
        switch self.bytes[self.position] {
        case 0x7B: return try self.readObject(place: place)
        case 0x5B: return try self.readArray(place: place)
        case 0x22: return try self.readStringNode()
        case 0x74: return try self.readLiteral("true", Node(.true))
        case 0x66: return try self.readLiteral("false", Node(.false))
        case 0x6E: return try self.readLiteral("null", Node(.null))
        case 0x2D, 0x30...0x39: return try self.readNumber()
        default: throw self.error("unexpected character")
        }
    }

    private mutating func readLiteral(_ word: StaticString, _ value: Node) throws(Error) -> Node {
        let count = word.utf8CodeUnitCount
        guard self.position + count <= self.bytes.count else { throw self.error("unexpected end of input") }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for index in 0..<count where self.bytes[self.position + index] != expected[index] {
            throw self.error("invalid literal")
        }
        self.position += count
        return value
    }

    private mutating func enter() throws(Error) {
        self.depth += 1
        if self.depth > self.maxDepth { throw self.error("nesting too deep") }
    }

    private mutating func readObject(place: Int) throws(Error) -> Node {
        try self.enter()
        defer { self.depth -= 1 }
        self.position += 1
        self.skipWhitespace()
        if self.position < self.bytes.count, self.bytes[self.position] == 0x7D {
            self.position += 1
            return Node(.object, start: self.nodes.count, payload: self.shapeIndex(of: [], from: 0))
        }
        let slot = self.depth < Self.predictedDepths ? self.depth * Self.placesPerDepth + min(place, Self.placesPerDepth - 1) : -1
        let predicted = slot >= 0 && slot < self.predictions.count ? self.predictions[slot] : nil
        // While `following`, the keys read so far are the predicted ones (not pushed on `memberKeys`).
        var following = predicted != nil
        let first = self.pending.count
        let firstKey = self.memberKeys.count
        while true {
            self.skipWhitespace()
            guard self.position < self.bytes.count, self.bytes[self.position] == 0x22 else {
                throw self.error("expected a string key")
            }
            let index = self.pending.count - first
            if following, let predicted, index < predicted.count, self.skipKey(index, of: predicted) {
                // The predicted key, where it was expected.
            } else {
                if following, let predicted {
                    self.memberKeys.append(contentsOf: predicted.shape.keys[0..<index])
                    following = false
                }
                self.memberKeys.append(try self.readKey())
            }
            self.skipWhitespace()
            guard self.position < self.bytes.count, self.bytes[self.position] == 0x3A else {
                throw self.error("expected ':'")
            }
            self.position += 1
            self.skipWhitespace()
            let member = try self.readValue(place: index + 1)
            self.pending.append(member)
            self.skipWhitespace()
            guard self.position < self.bytes.count else { throw self.error("unexpected end of input") }
            let byte = self.bytes[self.position]
            self.position += 1
            if byte == 0x7D {
                let count = self.pending.count - first
                if following, let predicted {
                    if count == predicted.count { return self.close(from: first, kind: .object, payload: predicted.index) }
                    self.memberKeys.append(contentsOf: predicted.shape.keys[0..<count])
                }
                let shape = self.shapeIndex(of: self.memberKeys[firstKey...], from: first)
                self.memberKeys.removeSubrange(firstKey...)
                // A shape whose repeated keys were folded is not predicted.
                if slot >= 0, self.shapes[shape].keys.count == count { self.predict(shape, at: slot) }
                return self.close(from: first, kind: .object, payload: shape)
            }
            guard byte == 0x2C else { throw self.error("expected ',' or '}'") }
        }
    }

    /// Moves the run of members or items from `first` on to the tape: the container's node.
    private mutating func close(from first: Int, kind: JSONTape.Kind, payload: Int) -> Node {
        let start = self.nodes.count
        self.nodes.append(contentsOf: self.pending[first...])
        self.pending.removeSubrange(first...)
        return Node(kind, start: start, payload: payload)
    }

    /// Moves past a key at the current quote, and its closing quote, when it is the predicted key
    /// at `index`.
    @inline(__always)
    private mutating func skipKey(_ index: Int, of predicted: Prediction) -> Bool {
        let start = self.position + 1
        guard start < self.bytes.count, let base = self.bytes.baseAddress,
            let length = predicted.matchedLength(ofKey: index, at: base + start, available: self.bytes.count - start)
        else { return false }
        self.position = start + length + 1
        return true
    }

    /// The shape the next object in `slot` (a depth and place) is expected to have.
    private mutating func predict(_ shape: Int, at slot: Int) {
        if slot >= self.predictions.count {
            self.predictions.append(contentsOf: repeatElement(nil, count: slot + 1 - self.predictions.count))
        }
        if self.predictions[slot]?.index != shape { self.predictions[slot] = Prediction(self.shapes[shape], index: shape) }
    }

    /// The index in `shapes` of the shape of an object of `keys` whose members are pending from
    /// `first` on: an earlier object's that had the same keys in the same order (the items of a list
    /// usually do), or a new one. A repeated key keeps its first position and its last value (the
    /// members are folded to match); such a shape is not shared.
    private mutating func shapeIndex(of keys: ArraySlice<String>, from first: Int) -> Int {
        for index in self.recentShapes.reversed() where self.shapes[index].keys.count == keys.count {
            if self.shapes[index].keys.elementsEqual(keys) { return index }
        }
        let (positions, members) = KeyPositions.folding(zip(keys, self.pending[first...]))
        let folded = members.count < keys.count
        if folded { self.pending.replaceSubrange(first..., with: members) }
        self.shapes.append(ObjectShape(positions))
        let index = self.shapes.count - 1
        if !folded {
            if self.recentShapes.count == Self.keptShapes { self.recentShapes.removeFirst() }
            self.recentShapes.append(index)
        }
        return index
    }

    private mutating func readArray(place: Int) throws(Error) -> Node {
        try self.enter()
        defer { self.depth -= 1 }
        self.position += 1
        let first = self.pending.count
        self.skipWhitespace()
        if self.position < self.bytes.count, self.bytes[self.position] == 0x5D {
            self.position += 1
            return Node(.list, start: self.nodes.count, payload: 0)
        }
        while true {
            self.skipWhitespace()
            let item = try self.readValue(place: place)
            self.pending.append(item)
            self.skipWhitespace()
            guard self.position < self.bytes.count else { throw self.error("unexpected end of input") }
            let byte = self.bytes[self.position]
            self.position += 1
            if byte == 0x5D { return self.close(from: first, kind: .list, payload: self.pending.count - first) }
            guard byte == 0x2C else { throw self.error("expected ',' or ']'") }
        }
    }

    /// An object's key: a key without escapes read before (the objects of a list repeat theirs) is
    /// the string made then.
    private mutating func readKey() throws(Error) -> String {
        let start = self.position + 1
        var end = start
        var hash: UInt32 = 2_166_136_261
        while end < self.bytes.count {
            let byte = self.bytes[end]
            if byte == 0x22 { break }
            if byte == 0x5C || byte < 0x20 { return try self.readString() }
            hash = (hash ^ UInt32(byte)) &* 16_777_619
            end += 1
        }
        guard end < self.bytes.count else { return try self.readString() }
        self.position = end + 1
        let count = end - start
        if self.keys.isEmpty { self.keys = Array(repeating: InternedKey(), count: Self.keySlots) }
        let slot = Int(hash % UInt32(Self.keySlots))
        let entry = self.keys[slot]
        if entry.hash == hash, entry.count == count, let base = self.bytes.baseAddress,
            memcmp(base + entry.start, base + start, count) == 0
        {
            return entry.key
        }
        let key = String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<end]), as: UTF8.self)
        self.keys[slot] = InternedKey(hash: hash, start: start, count: count, key: key)
        return key
    }

    /// A string value: where its bytes are in the text, or (when it has escapes) decoded.
    private mutating func readStringNode() throws(Error) -> Node {
        let start = self.position + 1
        var end = start
        // Eight bytes at a time while none is a quote, a backslash or a control character.
        if let base = self.bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while end + 8 <= self.bytes.count, !JSONWriter.escapesAny(raw.loadUnaligned(fromByteOffset: end, as: UInt64.self)) {
                end += 8
            }
        }
        while end < self.bytes.count {
            let byte = self.bytes[end]
            if byte == 0x22 {
                self.position = end + 1
                return Node(.string, start: start, payload: end - start)
            }
            if byte == 0x5C { break }
            if byte < 0x20 {
                self.position = end
                throw self.error("control character in string")
            }
            end += 1
        }
        if end == self.bytes.count {
            self.position = end
            throw self.error("unterminated string")
        }
        self.strings.append(try self.readString())
        return Node(.escapedString, start: self.strings.count - 1)
    }

    private mutating func readString() throws(Error) -> String {
        self.position += 1
        var chunkStart = self.position
        var scratch: [UInt8] = []
        var escaped = false
        while self.position < self.bytes.count {
            let byte = self.bytes[self.position]
            if byte == 0x22 {
                let string: String
                if escaped {
                    scratch.append(contentsOf: self.bytes[chunkStart..<self.position])
                    string = String(decoding: scratch, as: UTF8.self)
                } else {
                    string = String(decoding: UnsafeBufferPointer(rebasing: self.bytes[chunkStart..<self.position]), as: UTF8.self)
                }
                self.position += 1
                return string
            }
            if byte < 0x20 { throw self.error("control character in string") }
            if byte == 0x5C {
                escaped = true
                scratch.append(contentsOf: self.bytes[chunkStart..<self.position])
                try self.readEscape(into: &scratch)
                chunkStart = self.position
                continue
            }
            self.position += 1
        }
        throw self.error("unterminated string")
    }

    private mutating func readEscape(into scratch: inout [UInt8]) throws(Error) {
        guard self.position + 1 < self.bytes.count else { throw self.error("unterminated escape") }
        let code = self.bytes[self.position + 1]
        self.position += 2
        switch code {
        case 0x22, 0x5C, 0x2F: scratch.append(code)
        case 0x62: scratch.append(0x08)
        case 0x66: scratch.append(0x0C)
        case 0x6E: scratch.append(0x0A)
        case 0x72: scratch.append(0x0D)
        case 0x74: scratch.append(0x09)
        case 0x75:
            var point = try self.readHex4()
            if point >= 0xD800 && point <= 0xDBFF, self.position + 1 < self.bytes.count,
                self.bytes[self.position] == 0x5C, self.bytes[self.position + 1] == 0x75
            {
                self.position += 2
                let low = try self.readHex4()
                if low >= 0xDC00 && low <= 0xDFFF {
                    point = 0x10000 + ((point - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    scratch.append(contentsOf: Array("\u{FFFD}".utf8))
                    point = low
                }
            }
            let scalar = Unicode.Scalar(point) ?? "\u{FFFD}"
            scratch.append(contentsOf: Array(String(Character(scalar)).utf8))
        default: throw self.error("invalid escape")
        }
    }

    private mutating func readHex4() throws(Error) -> UInt32 {
        guard self.position + 4 <= self.bytes.count else { throw self.error("invalid unicode escape") }
        var point: UInt32 = 0
        for _ in 0..<4 {
            let byte = self.bytes[self.position]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x37
            case 0x61...0x66: digit = byte - 0x57
            default: throw self.error("invalid unicode escape")
            }
            point = point << 4 | UInt32(digit)
            self.position += 1
        }
        return point
    }

    private mutating func readNumber() throws(Error) -> Node {
        let start = self.position
        var isFloat = false
        if self.bytes[self.position] == 0x2D { self.position += 1 }
        guard self.position < self.bytes.count, isDigit(self.bytes[self.position]) else {
            throw self.error("invalid number")
        }
        if self.bytes[self.position] == 0x30 {
            self.position += 1
        } else {
            while self.position < self.bytes.count, isDigit(self.bytes[self.position]) { self.position += 1 }
        }
        if self.position < self.bytes.count, self.bytes[self.position] == 0x2E {
            isFloat = true
            self.position += 1
            guard self.position < self.bytes.count, isDigit(self.bytes[self.position]) else {
                throw self.error("invalid number")
            }
            while self.position < self.bytes.count, isDigit(self.bytes[self.position]) { self.position += 1 }
        }
        if self.position < self.bytes.count, self.bytes[self.position] == 0x65 || self.bytes[self.position] == 0x45 {
            isFloat = true
            self.position += 1
            if self.position < self.bytes.count, self.bytes[self.position] == 0x2B || self.bytes[self.position] == 0x2D {
                self.position += 1
            }
            guard self.position < self.bytes.count, isDigit(self.bytes[self.position]) else {
                throw self.error("invalid number")
            }
            while self.position < self.bytes.count, isDigit(self.bytes[self.position]) { self.position += 1 }
        }
        let digits = UnsafeBufferPointer(rebasing: self.bytes[start..<self.position])
        if !isFloat, let int = Self.integer(digits) { return Node(.int, start: int) }
        guard let double = Double(String(decoding: digits, as: UTF8.self)) else { throw self.error("invalid number") }
        return Node(.float, start: Int(bitPattern: UInt(double.bitPattern)))
    }

    /// The integer an optional minus sign and digits spell, or `nil` past `Int`'s range.
    private static func integer(_ digits: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !digits.isEmpty else { return nil }
        var index = 0
        let negative = digits[0] == 0x2D
        if negative { index += 1 }
        var value = 0
        while index < digits.count {
            let digit = Int(digits[index] &- 0x30)
            let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowedAgain) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflowed || overflowedAgain { return nil }
            value = next
            index += 1
        }
        return value
    }
}
