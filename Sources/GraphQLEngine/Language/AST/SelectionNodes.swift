/// The selection nodes of one parsed document, each kind in one contiguous array.
///
/// A document's fields, fragment spreads and inline fragments are rows here, and a selection set
/// is a run of `selections`; `Field`, `FragmentSpread`, `InlineFragment` and `SelectionSet` are
/// handles (this storage and a row). Parsing appends rows instead of allocating an object per
/// node and an array per selection set, and dropping a document frees a few arrays.
///
/// Filled by one parser; never changed once the parser returns its document (so it is shared
/// across threads without locking, and its arrays skip dynamic exclusivity checks).
final class SelectionNodes: @unchecked Sendable {
    struct FieldRow {
        let alias: Name?
        let name: Name
        let arguments: [Argument]
        let directives: [Directive]
        let selectionSet: SetRow?
        let location: Location
        /// The alias, or else the name (stored: validation and planning read it often).
        let responseKey: String
    }

    struct SpreadRow {
        let name: Name
        let directives: [Directive]
        let location: Location
    }

    struct InlineRow {
        let typeCondition: Name?
        let directives: [Directive]
        let selectionSet: SetRow
        let location: Location
    }

    /// A selection set: a run of `selections`.
    struct SetRow {
        let start: Int32
        let count: Int32
        let location: Location
    }

    /// A selection: its kind in the top two bits, its row below them.
    struct Slot {
        let bits: UInt32

        static let fieldKind: UInt32 = 0
        static let spreadKind: UInt32 = 1
        static let inlineKind: UInt32 = 2

        init(kind: UInt32, row: Int) {
            self.bits = kind << 30 | UInt32(truncatingIfNeeded: row)
        }

        var kind: UInt32 { self.bits >> 30 }
        var row: Int32 { Int32(bitPattern: self.bits & 0x3FFF_FFFF) }
    }

    @exclusivity(unchecked) var fields: [FieldRow] = []
    @exclusivity(unchecked) var spreads: [SpreadRow] = []
    @exclusivity(unchecked) var inlines: [InlineRow] = []
    @exclusivity(unchecked) var selections: [Slot] = []

    /// Rows at most a 30-bit index can name (a parse's token limit keeps documents far below).
    static let maxRows = 1 << 30

    /// Storage sized for a document of `byteCount` bytes (a formatted query has about one field
    /// per 20 to 30 bytes; one per 16 is reserved), so that most documents fill it without growing
    /// it. At most 132 rows are reserved: a large document of few fields (a long string argument)
    /// does not hold memory out of proportion to its nodes in a document cache; one of many fields
    /// grows the arrays as needed.
    init(expectingBytes byteCount: Int) {
        let fields = min(byteCount / 16, 128) + 4
        self.fields.reserveCapacity(fields)
        self.selections.reserveCapacity(fields + fields / 4)
    }

    @inline(__always)
    func selection(_ slot: Slot) -> Selection {
        switch slot.kind {
        case Slot.fieldKind: .field(Field(nodes: self, row: slot.row))
        case Slot.spreadKind: .fragmentSpread(FragmentSpread(nodes: self, row: slot.row))
        default: .inlineFragment(InlineFragment(nodes: self, row: slot.row))
        }
    }
}
