/// When in graphql-js's walk of a document an error is reported, as a number that sorts in walk
/// order: entering the document, then for each definition entering it, what is inside it, and
/// leaving it; then leaving the document. Rules that need the whole document report at its end
/// here, as if at the time graphql-js reports them, so that the errors keep graphql-js's order.
struct ReportTime {
    let value: Int

    private init(_ value: Int) {
        self.value = value
    }

    /// Entering the document (before any definition).
    static let insideDocument = ReportTime(1)

    /// Entering the definition at `index` (graphql-js's `FragmentDefinition` enter).
    static func enteringDefinition(_ index: Int) -> ReportTime { ReportTime(4 &* (index &+ 1)) }

    /// Inside the definition at `index`.
    static func insideDefinition(_ index: Int) -> ReportTime { ReportTime(4 &* (index &+ 1) &+ 1) }

    /// Leaving the definition at `index` (graphql-js's `OperationDefinition` leave).
    static func leavingDefinition(_ index: Int) -> ReportTime { ReportTime(4 &* (index &+ 1) &+ 2) }

    /// Leaving the document, after its `count` definitions.
    static func leavingDocument(after count: Int) -> ReportTime { ReportTime(4 &* (count &+ 1)) }

    /// After everything (the error that ends validation).
    static let last = ReportTime(Int.max)
}
