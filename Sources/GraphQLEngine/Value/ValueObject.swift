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
/// a key that is new gives the object a shape of its own.
public struct ValueObject: Sendable {
    public private(set) var shape: ObjectShape
    /// The values, by position in `shape.keys`.
    public private(set) var values: [Value]

    public init() {
        self.shape = .empty
        self.values = []
    }

    /// An object of `shape` (the values in its key order).
    init(shape: ObjectShape, values: [Value]) {
        self.shape = shape
        self.values = values
    }

    /// An object of these properties in this order; a repeated key keeps its first position and its
    /// last value (as a dictionary would).
    public init(_ pairs: some Sequence<(String, Value)>) {
        var keys = KeyPositions()
        var values: [Value] = []
        for (key, value) in pairs {
            let (position, inserted) = keys.insert(key)
            if inserted { values.append(value) } else { values[position] = value }
        }
        self.shape = ObjectShape(keys)
        self.values = values
    }

    /// The properties of a dictionary (in the dictionary's order).
    public init(_ dictionary: [String: Value]) {
        self.shape = ObjectShape(uniqueKeys: Array(dictionary.keys))
        self.values = Array(dictionary.values)
    }

    public var keys: [String] { self.shape.keys }
    public var first: (key: String, value: Value)? { self.values.isEmpty ? nil : (self.shape.keys[0], self.values[0]) }
    public var count: Int { self.values.count }
    public var isEmpty: Bool { self.values.isEmpty }

    /// The properties as a dictionary.
    public var dictionary: [String: Value] {
        Dictionary(zip(self.shape.keys, self.values), uniquingKeysWith: { _, last in last })
    }

    public subscript(key: String) -> Value? {
        get {
            guard let position = self.shape.position(of: key) else { return nil }
            return self.values[position]
        }
        set {
            if let position = self.shape.position(of: key) {
                if let newValue {
                    self.values[position] = newValue
                } else {
                    var keys = self.shape.keys
                    keys.remove(at: position)
                    self.values.remove(at: position)
                    self.shape = ObjectShape(uniqueKeys: keys)
                }
            } else if let newValue {
                self.shape = ObjectShape(uniqueKeys: self.shape.keys + [key])
                self.values.append(newValue)
            }
        }
    }

    /// The value of `key`, found first at the position `hint` remembers (objects of one shape, read
    /// by one field of a compiled plan, keep their keys where the last one had them). `hint` is only
    /// a hint: the key at that position is compared before it is trusted.
    @inline(__always)
    public func value(forKey key: String, hint: borrowing Atomic<Int>) -> Value? {
        let slot = hint.load(ordering: .relaxed)
        if self.shape.has(key, at: slot) { return self.values[slot] }
        guard let position = self.shape.position(of: key) else { return nil }
        hint.store(position, ordering: .relaxed)
        return self.values[position]
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

extension ValueObject: Sequence {
    public struct Iterator: IteratorProtocol {
        let object: ValueObject
        var position = 0

        public mutating func next() -> (key: String, value: Value)? {
            guard self.position < self.object.values.count else { return nil }
            defer { self.position += 1 }
            return (self.object.shape.keys[self.position], self.object.values[self.position])
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }
    public var underestimatedCount: Int { self.values.count }
}

extension ValueObject: Equatable {
    /// The same keys with equal values, in any order.
    public static func == (lhs: ValueObject, rhs: ValueObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.shape === rhs.shape { return lhs.values == rhs.values }
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
