/// A field's return type as its wrappers from the outside in — non-null, list — for value
/// completion to walk by level without the type's indirect boxes. Matching `.nonNull(let inner)`
/// retained and released a box the schema shares with every request, for every value completed:
/// under load, both cores contending for the same reference counts.
///
/// Two bits a wrapper in one word for the first 32 (any real schema's), the rest spilled to a
/// buffer its field group owns and frees (`deallocate()`).
struct TypeWrappers: @unchecked Sendable {
    /// How many wrappers there are; level `count` is the named type.
    let count: Int
    private let packed: UInt64
    private let spilled: UnsafeMutablePointer<UInt8>?

    private static let nonNull: UInt8 = 1
    private static let list: UInt8 = 2
    private static let packedLimit = 32

    init(_ type: GraphQLType) {
        var wrappers: [UInt8] = []
        var current = type
        while true {
            switch current {
            case .nonNull(let inner):
                wrappers.append(Self.nonNull)
                current = inner
                continue
            case .list(let inner):
                wrappers.append(Self.list)
                current = inner
                continue
            case .named:
                break
            }
            break
        }
        self.count = wrappers.count
        var packed: UInt64 = 0
        for (level, wrapper) in wrappers.prefix(Self.packedLimit).enumerated() { packed |= UInt64(wrapper) << (2 * level) }
        self.packed = packed
        if wrappers.count > Self.packedLimit {
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: wrappers.count)
            buffer.initialize(from: wrappers, count: wrappers.count)
            self.spilled = buffer
        } else {
            self.spilled = nil
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
