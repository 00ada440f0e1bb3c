/// A field's return type as its wrappers from the outside in — non-null, list — for value
/// completion to walk by level without the type's indirect boxes. Matching `.nonNull(let inner)`
/// retained and released a box the schema shares with every request, for every value completed:
/// under load, both cores contending for the same reference counts.
///
/// Two bits a wrapper in one word for the first 32 (any real schema's), the rest spilled to a
/// buffer its field definition owns and frees (`deallocate()`); copies only read it.
struct TypeWrappers: @unchecked Sendable {
    /// How many wrappers there are; level `count` is the named type.
    let count: Int
    private let packed: UInt64
    private let spilled: UnsafeMutablePointer<UInt8>?

    private static let nonNull: UInt8 = 1
    private static let list: UInt8 = 2
    private static let packedLimit = 32

    init(_ type: GraphQLType) {
        // Packed while walking (no array: a group is made per field of every compiled operation);
        // a type deeper than the word is walked again into its buffer.
        var count = 0
        var packed: UInt64 = 0
        Self.forEachWrapper(of: type) { wrapper in
            if count < Self.packedLimit { packed |= UInt64(wrapper) << (2 * count) }
            count += 1
        }
        self.count = count
        self.packed = packed
        if count > Self.packedLimit {
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
            var level = 0
            Self.forEachWrapper(of: type) { wrapper in
                (buffer + level).initialize(to: wrapper)
                level += 1
            }
            self.spilled = buffer
        } else {
            self.spilled = nil
        }
    }

    /// The type's wrappers from the outside in.
    @inline(__always)
    private static func forEachWrapper(of type: GraphQLType, _ body: (UInt8) -> Void) {
        var current = type
        while true {
            switch current {
            case .nonNull(let inner):
                body(Self.nonNull)
                current = inner
            case .list(let inner):
                body(Self.list)
                current = inner
            case .named:
                return
            }
        }
    }

    @inline(__always)
    private func wrapper(at level: Int) -> UInt8 {
        if level >= self.count { return 0 }
        if level < Self.packedLimit { return UInt8(truncatingIfNeeded: (self.packed >> (2 * level)) & 3) }
        return self.spilled?[level] ?? 0
    }

    /// Whether the type at `level` is non-null (`false` at the named type's level).
    @inline(__always)
    func isNonNull(at level: Int) -> Bool { self.wrapper(at: level) == Self.nonNull }

    /// Whether the type at `level` is a list.
    @inline(__always)
    func isList(at level: Int) -> Bool { self.wrapper(at: level) == Self.list }

    /// Frees a spilled buffer; called once, by the owner.
    func deallocate() {
        self.spilled?.deallocate()
    }
}
