import Synchronization

/// The keys of objects laid out alike (every patient of one downstream answer), in order. The JSON
/// reader shares one shape between the objects of a document that have the same keys, so that
/// completion finds a property by its position (remembered per field) instead of hashing its name.
public final class ObjectShape: Sendable {
    /// The keys, stored beside `positions` (which holds the same array): completion reads them for
    /// every property, and a computed `positions.keys` measured 4-5% slower on the 50-patient execute.
    public let keys: [String]
    private let positions: KeyPositions

    /// A shape of these keys, in their positions.
    init(_ positions: KeyPositions) {
        self.keys = positions.keys
        self.positions = positions
    }

    /// A shape of distinct keys.
    convenience init(uniqueKeys keys: [String]) {
        self.init(KeyPositions(uniqueKeys: keys))
    }

    static let empty = ObjectShape(uniqueKeys: [])

    /// The position of `key`, if the shape has it.
    @inline(__always)
    public func position(of key: String) -> Int? {
        self.positions.position(of: key)
    }

    /// Whether `key` is at `slot`: read in place (a copy of `keys` taken to index it retained and
    /// released the one array every object of the shape shares, a contended count per property read).
    @inline(__always)
    func has(_ key: String, at slot: Int) -> Bool {
        self.keys.withUnsafeBufferPointer { keys in slot >= 0 && slot < keys.count && keys[slot] == key }
    }
}

/// The properties of an object value, in insertion order: an `ObjectShape` and one value per key.
///
/// Reads like a dictionary (`object["id"]`, iteration as `(key, value)`, `keys`, `count`); writing
/// a key that is new gives the object a shape of its own. An object read from JSON keeps its
/// members in the reader's `JSONTape` and makes each value when it is read; writing to it first
/// makes them all.
public struct ValueObject: Sendable {
    public private(set) var shape: ObjectShape
    /// The values, or where in a tape they are.
    private var storage: Storage

    /// One reference either way, so that copying an object retains two references whichever it
    /// holds: 16 bytes, a `Value` of 17. An enum of two-word payloads (tape and position) was
    /// copied through a switch, twice as slow to read; a `Value` four bytes larger (padding alone)
    /// executed 7% slower.
    private enum Storage: Sendable {
        /// Values by position in the shape's keys.
        case values([Value])
        case tape(JSONTape.Object)
    }

    public init() {
        self.init(shape: .empty, values: [])
    }

    /// An object of `shape` (the values in its key order).
    init(shape: ObjectShape, values: [Value]) {
        self.shape = shape
        self.storage = .values(values)
    }

    /// An object of `shape` whose members are in a tape.
    init(shape: ObjectShape, tape: JSONTape.Object) {
        self.shape = shape
        self.storage = .tape(tape)
    }

    /// An object of these properties in this order; a repeated key keeps its first position and its
    /// last value (as a dictionary would).
    public init(_ pairs: some Sequence<(String, Value)>) {
        let (keys, values) = KeyPositions.folding(pairs)
        self.init(shape: ObjectShape(keys), values: values)
    }

    /// The properties of a dictionary (in the dictionary's order).
    public init(_ dictionary: [String: Value]) {
        self.init(shape: ObjectShape(uniqueKeys: Array(dictionary.keys)), values: Array(dictionary.values))
    }

    /// The values, by position in `shape.keys` (made, for an object read from JSON).
    public var values: [Value] {
        switch self.storage {
        case .values(let values): values
        case .tape(let object): (0..<self.shape.keys.count).map { object.value(at: $0) }
        }
    }

    /// The value at `position` of the shape's keys.
    @inline(__always)
    func value(at position: Int) -> Value {
        switch self.storage {
        case .values(let values): values[position]
        case .tape(let object): object.value(at: position)
        }
    }

    public var keys: [String] { self.shape.keys }
    public var first: (key: String, value: Value)? { self.isEmpty ? nil : (self.shape.keys[0], self.value(at: 0)) }
    public var count: Int { self.shape.keys.count }
    public var isEmpty: Bool { self.count == 0 }

    /// The properties as a dictionary.
    public var dictionary: [String: Value] {
        Dictionary(zip(self.shape.keys, self.values), uniquingKeysWith: { _, last in last })
    }

    public subscript(key: String) -> Value? {
        get {
            guard let position = self.shape.position(of: key) else { return nil }
            return self.value(at: position)
        }
        set {
            var values = self.values
            // Dropped before the values change, so that they are not copied again.
            self.storage = .values([])
            if let position = self.shape.position(of: key) {
                if let newValue {
                    values[position] = newValue
                } else {
                    var keys = self.shape.keys
                    keys.remove(at: position)
                    values.remove(at: position)
                    self.shape = ObjectShape(uniqueKeys: keys)
                }
            } else if let newValue {
                values.append(newValue)
                self.shape = ObjectShape(uniqueKeys: self.shape.keys + [key])
            }
            self.storage = .values(values)
        }
    }

    /// The value of `key`, found first at the position `hint` remembers (objects of one shape, read
    /// by one field of a compiled plan, keep their keys where the last one had them). `hint` is only
    /// a hint: the key at that position is compared before it is trusted.
    @inline(__always)
    public func value(forKey key: String, hint: borrowing Atomic<Int>) -> Value? {
        let slot = hint.load(ordering: .relaxed)
        if self.shape.has(key, at: slot) { return self.value(at: slot) }
        guard let position = self.shape.position(of: key) else { return nil }
        hint.store(position, ordering: .relaxed)
        return self.value(at: position)
    }

    public func mapValues(_ transform: (Value) throws -> Value) rethrows -> ValueObject {
        ValueObject(shape: self.shape, values: try self.values.map(transform))
    }
}

extension Value {
    /// The property `key` of an object value (`nil` for any other value, or a missing key), found
    /// first where `hint` remembers (see `ValueObject.value(forKey:hint:)`).
    public func property(_ key: String, hint: borrowing Atomic<Int>) -> Value? {
        switch self {
        case .object(let object): object.value(forKey: key, hint: hint)
        default: nil
        }
    }
}

extension Value {
    /// The value with every object's properties made (an object read from JSON makes them when
    /// they are read): for values kept and read many times.
    public var materialized: Value {
        switch self {
        case .list(let items): .list(items.map(\.materialized))
        case .object(let object): .object(ValueObject(shape: object.shape, values: object.values.map(\.materialized)))
        default: self
        }
    }
}

extension ValueObject: Sequence {
    public struct Iterator: IteratorProtocol {
        let object: ValueObject
        var position = 0

        public mutating func next() -> (key: String, value: Value)? {
            guard self.position < self.object.count else { return nil }
            defer { self.position += 1 }
            return (self.object.shape.keys[self.position], self.object.value(at: self.position))
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }
    public var underestimatedCount: Int { self.count }
}

extension ValueObject: Equatable {
    /// The same keys with equal values, in any order.
    public static func == (lhs: ValueObject, rhs: ValueObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.shape === rhs.shape { return (0..<lhs.count).allSatisfy { lhs.value(at: $0) == rhs.value(at: $0) } }
        for (key, value) in lhs {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }
}

extension ValueObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(elements)
    }
}
