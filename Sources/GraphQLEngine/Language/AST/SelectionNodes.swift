/// The selection nodes of one parsed document, each kind in one contiguous array.
///
/// A document's fields, fragment spreads and inline fragments are rows here, and a selection set
/// is a run of `selections`; `Field`, `FragmentSpread`, `InlineFragment` and `SelectionSet` are
/// handles (this storage and a row). Parsing appends rows instead of allocating an object per
/// node and an array per selection set.
///
/// A field's row holds its name and arguments; its alias and directives, which most fields lack,
/// are a side row (`fieldExtras`), and locations are 32-bit offsets: 56 bytes a field, and two
/// references to release when the document is dropped.
///
/// Filled by one parser; never changed once the parser returns its document (so it is shared
/// across threads without locking, and its arrays skip dynamic exclusivity checks).
final class SelectionNodes: @unchecked Sendable {
    /// The byte range of a node, in 32 bits (the parser refuses documents past 4 GiB).
    struct Span {
        let start: UInt32
        let end: UInt32

        var location: Location { Location(start: Int(self.start), end: Int(self.end)) }
    }

    /// A field's alias and directives, for the few fields that have either.
    struct FieldExtras {
        let alias: Name?
        let directives: [Directive]
    }

    struct FieldRow {
        let name: String
        let arguments: [Argument]
        /// Where the name starts (names are ASCII: it ends its length later).
        let nameStart: UInt32
        /// Into `fieldExtras`, or -1: no alias and no directives.
        let extras: Int32
        /// `count` 0: no selection set.
        let selectionSet: SetRow
        let span: Span
    }

    struct SpreadRow {
        let name: Name
        let directives: [Directive]
        let span: Span
    }

    struct InlineRow {
        let typeCondition: Name?
        let directives: [Directive]
        let selectionSet: SetRow
        let span: Span
    }

    /// A selection set: a run of `selections`.
    struct SetRow {
        let start: Int32
        let count: Int32
        let span: Span

        /// A field's absent selection set (a set has at least one selection).
        static let none = SetRow(start: 0, count: 0, span: Span(start: 0, end: 0))

        var location: Location { self.span.location }
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
    @exclusivity(unchecked) var fieldExtras: [FieldExtras] = []

    /// The longest document whose offsets the rows' 32 bits hold.
    static let maxBytes = Int(UInt32.max)

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

    /// A field's name, with its location.
    func name(ofField row: Int) -> Name {
        let start = Int(self.fields[row].nameStart)
        let value = self.fields[row].name
        return Name(value, location: Location(start: start, end: start + value.utf8.count))
    }

    /// Where a field's side row is in `fieldExtras` (`nil`: it has no alias and no directives).
    @inline(__always)
    private func extrasIndex(ofField row: Int) -> Int? {
        let index = self.fields[row].extras
        return index >= 0 ? Int(index) : nil
    }

    /// A field's alias, if it has one.
    func alias(ofField row: Int) -> Name? {
        self.extrasIndex(ofField: row).flatMap { self.fieldExtras[$0].alias }
    }

    /// A field's directives.
    func directives(ofField row: Int) -> [Directive] {
        self.extrasIndex(ofField: row).map { self.fieldExtras[$0].directives } ?? []
    }

    /// Whether a field has directives (read in place: no array retained).
    func hasDirectives(ofField row: Int) -> Bool {
        self.extrasIndex(ofField: row).map { !self.fieldExtras[$0].directives.isEmpty } ?? false
    }

    /// A field's response key: its alias, or else its name.
    func responseKey(ofField row: Int) -> String {
        self.alias(ofField: row)?.value ?? self.fields[row].name
    }
}
