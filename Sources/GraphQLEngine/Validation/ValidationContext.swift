/// What rules see during validation: the schema, the document, the type information of the
/// node being visited (graphql-js `TypeInfo`), and shared look-ups (fragments, variable usages).
/// A validation runs on one task from start to end, so its state skips dynamic exclusivity checks
/// (every node reads it).
public final class ValidationContext {
    public let schema: GraphQLSchema
    public let document: Document
    public let source: Source
    @exclusivity(unchecked) public private(set) var errors: [GraphQLError] = []
    /// Errors kept before validation stops (graphql-js's `maxErrors`): a hostile document cannot
    /// make validation's output, or its time, grow with the square of its size.
    public let maxErrors: Int
    /// Set once `maxErrors` is reached: the walk and the rules stop.
    @exclusivity(unchecked) public private(set) var isAborted = false
    /// Where in graphql-js's walk each error would be reported (see `ReportTime`), by error.
    @exclusivity(unchecked) private var reportTimes: [Int] = []
    /// Where the walk is now, in those terms (the walker sets it).
    @exclusivity(unchecked) var walkTime = ReportTime.insideDocument
    /// Whether an error was reported as if elsewhere in the walk: the errors are then put in
    /// graphql-js's order once the walk is done.
    @exclusivity(unchecked) private var reportedOutOfOrder = false
    /// Fragments by name (the last definition of a name wins, as in graphql-js); made when first
    /// asked (the rules look fragments up through `fragment(named:)`).
    public var fragments: [String: FragmentDefinition] {
        if let made = self.fragmentsByName { return made }
        var made: [String: FragmentDefinition] = [:]
        for (position, name) in self.fragmentNames.keys.enumerated() { made[name] = self.fragmentDefinitions[position] }
        self.fragmentsByName = made
        return made
    }
    @exclusivity(unchecked) private var fragmentsByName: [String: FragmentDefinition]?
    /// The fragments' distinct names (a seeded hash, not a SipHash per look-up: every spread of
    /// every document is looked up by several rules), and by a name's position its last definition
    /// and that definition's index in `document.definitions`.
    private let fragmentNames: OrderedKeys
    private let fragmentDefinitions: [FragmentDefinition]
    private let fragmentDefinitionIndexes: [Int]

    // Type information of the current node. The schema's types and fields are held unretained (the
    // context holds the schema): the walk pushes and pops them for every field of every document.
    @exclusivity(unchecked) var typeStack: [OutputTypeEntry] = []
    @exclusivity(unchecked) var parentTypeStack: [Unmanaged<GraphQLNamedType>?] = []
    @exclusivity(unchecked) var inputTypeStack: [GraphQLType?] = []
    @exclusivity(unchecked) var fieldDefinitionStack: [Unmanaged<GraphQLField>?] = []
    @exclusivity(unchecked) var defaultValueStack: [ValueNode?] = []
    @exclusivity(unchecked) public internal(set) var directive: GraphQLDirective?
    @exclusivity(unchecked) public internal(set) var argument: GraphQLInputValue?
    /// Where the directives being visited stand.
    @exclusivity(unchecked) public internal(set) var directiveLocation: DirectiveLocation?
    /// The index of the definition being visited.
    @exclusivity(unchecked) var currentDefinition = 0
    /// The operations visited so far, with their definition indexes (complete in `leave(document)`).
    @exclusivity(unchecked) var operations: [(index: Int, operation: OperationDefinition)] = []

    /// Variable usages of each definition (by index), with their expected types.
    @exclusivity(unchecked) var variableUsages: [[VariableUsage]]
    @exclusivity(unchecked) private var fragmentSpreadCache: [Int: [FragmentSpread]] = [:]
    /// `recursiveVariableUsages` by the operation's definition index (three rules ask).
    @exclusivity(unchecked) private var recursiveVariableUsagesCache: [[VariableUsage]?]
    /// The fragment spreads inside each definition (by index), anywhere in it, recorded as the walk
    /// meets them: complete in `leave(document)`, where the rules that follow spreads across
    /// fragments read them (no second walk of the document, no names hashed per visit).
    @exclusivity(unchecked) private(set) var spreadsByDefinition: [[FragmentSpread]]
    /// `referencedFragmentIndexes` by definition index (two rules and the variable usages ask per operation).
    @exclusivity(unchecked) private var referencedFragmentIndexesCache: [[Int]?] = []
    /// `recursivelyReferencedFragments` by the operation's start offset.
    @exclusivity(unchecked) private var referencedFragmentsCache: [Int: [FragmentDefinition]] = [:]

    init(schema: GraphQLSchema, document: Document, source: Source, maxErrors: Int = 100) {
        self.maxErrors = max(1, maxErrors)
        self.schema = schema
        self.document = document
        self.source = source
        var names = OrderedKeys()
        var fragments: [FragmentDefinition] = []
        var indexes: [Int] = []
        for (index, definition) in document.definitions.enumerated() {
            guard case .fragment(let fragment) = definition else { continue }
            let (position, inserted) = names.insert(fragment.name.value)
            if inserted {
                fragments.append(fragment)
                indexes.append(index)
            } else {
                fragments[position] = fragment
                indexes[position] = index
            }
        }
        self.fragmentNames = names
        self.fragmentDefinitions = fragments
        self.fragmentDefinitionIndexes = indexes
        self.spreadsByDefinition = Array(repeating: [], count: document.definitions.count)
        self.variableUsages = Array(repeating: [], count: document.definitions.count)
        self.recursiveVariableUsagesCache = Array(repeating: nil, count: document.definitions.count)
        // The walk's stacks grow to the document's depth: room for most documents from the start.
        self.typeStack.reserveCapacity(16)
        self.parentTypeStack.reserveCapacity(16)
        self.inputTypeStack.reserveCapacity(16)
        self.fieldDefinitionStack.reserveCapacity(16)
        self.defaultValueStack.reserveCapacity(16)
    }

    /// Notes a spread met by the walk inside the current definition.
    @inline(__always)
    func recordSpread(_ spread: FragmentSpread) {
        self.spreadsByDefinition[self.currentDefinition].append(spread)
    }

    /// The definition index of the fragment a spread names (the last definition of the name, as
    /// `fragments`), `nil` when none is defined.
    func definitionIndex(ofFragment name: String) -> Int? { self.fragmentNames.position(of: name).map { self.fragmentDefinitionIndexes[$0] } }

    /// The fragment a spread names and its definition index, found with one look-up.
    func fragmentAndIndex(named name: String) -> (fragment: FragmentDefinition, index: Int)? {
        self.fragmentNames.position(of: name).map { (self.fragmentDefinitions[$0], self.fragmentDefinitionIndexes[$0]) }
    }

    /// The fragment definitions (by index) the definition at `index` uses, directly or through
    /// other fragments, each once, in the order first reached — from the spreads the walk recorded,
    /// so only once the document is walked (`leave(document)`).
    func referencedFragmentIndexes(ofDefinition index: Int) -> [Int] {
        if self.referencedFragmentIndexesCache.isEmpty {
            self.referencedFragmentIndexesCache = Array(repeating: nil, count: self.spreadsByDefinition.count)
        }
        if let known = self.referencedFragmentIndexesCache[index] { return known }
        var reached = [Bool](repeating: false, count: self.spreadsByDefinition.count)
        var order: [Int] = []
        var toVisit = [index]
        while let definition = toVisit.popLast() {
            for spread in self.spreadsByDefinition[definition] {
                guard let target = self.definitionIndex(ofFragment: spread.name.value), !reached[target] else { continue }
                reached[target] = true
                order.append(target)
                toVisit.append(target)
            }
        }
        self.referencedFragmentIndexesCache[index] = order
        return order
    }

    /// Reports an error that no node locates (a work bound of a rule), and stops validation.
    public func abort(_ message: String) {
        guard !self.isAborted else { return }
        self.errors.append(GraphQLError(message))
        self.reportTimes.append(ReportTime.last.value)
        self.isAborted = true
    }

    /// Reports an error located at the given nodes' starts.
    public func report(_ message: String, at locations: [Location]) {
        self.report(message, at: locations, time: self.walkTime.value)
    }

    public func report(_ message: String, at location: Location) {
        self.report(message, at: [location], time: self.walkTime.value)
    }

    /// Reports an error found later than graphql-js finds it (once the whole document is known),
    /// in the place graphql-js reports it: errors come out in graphql-js's order.
    func report(_ message: String, at locations: [Location], asIf time: ReportTime) {
        self.reportedOutOfOrder = true
        self.report(message, at: locations, time: time.value)
    }

    private func report(_ message: String, at locations: [Location], time: Int) {
        guard !self.isAborted else { return }
        guard self.errors.count < self.maxErrors else {
            self.errors.append(GraphQLError("Too many validation errors, error limit reached. Validation aborted."))
            self.reportTimes.append(ReportTime.last.value)
            self.isAborted = true
            return
        }
        self.errors.append(GraphQLError(message, source: self.source, offsets: locations.map(\.start)))
        self.reportTimes.append(time)
    }

    /// The errors in the order graphql-js reports them (stable: errors of one time keep theirs).
    var errorsInReportOrder: [GraphQLError] {
        guard self.reportedOutOfOrder else { return self.errors }
        let order = self.errors.indices.sorted { (self.reportTimes[$0], $0) < (self.reportTimes[$1], $1) }
        return order.map { self.errors[$0] }
    }

    // MARK: Type information

    /// The output type of the current field (or of the current fragment/operation).
    public var type: GraphQLType? { self.typeStack.last?.type }
    /// The named type of `type` (no walk through the type's wrappers for a field's).
    var namedType: GraphQLNamedType? { self.typeStack.last?.namedType }
    /// The composite type whose selection set is being visited.
    public var parentType: GraphQLNamedType? { (self.parentTypeStack.last ?? nil)?.takeUnretainedValue() }
    /// The input type expected at the current argument, list item or object field.
    public var inputType: GraphQLType? { self.inputTypeStack.last ?? nil }
    public var parentInputType: GraphQLType? {
        self.inputTypeStack.count >= 2 ? self.inputTypeStack[self.inputTypeStack.count - 2] : nil
    }
    public var fieldDefinition: GraphQLField? { (self.fieldDefinitionStack.last ?? nil)?.takeUnretainedValue() }
    /// The default value of the argument or input field being visited.
    public var defaultValue: ValueNode? { self.defaultValueStack.last ?? nil }

    public func fragment(named name: String) -> FragmentDefinition? { self.fragmentNames.position(of: name).map { self.fragmentDefinitions[$0] } }

    // MARK: Fragment look-ups

    /// The fragment spreads directly inside a selection set (through fields and inline
    /// fragments, not through other fragments).
    public func fragmentSpreads(_ selectionSet: SelectionSet) -> [FragmentSpread] {
        if let cached = self.fragmentSpreadCache[selectionSet.location.start] { return cached }
        var spreads: [FragmentSpread] = []
        var setsToVisit = [selectionSet]
        while let set = setsToVisit.popLast() {
            for selection in set.selections {
                switch selection {
                case .fragmentSpread(let spread): spreads.append(spread)
                case .field(let field): if let inner = field.selectionSet { setsToVisit.append(inner) }
                case .inlineFragment(let fragment): setsToVisit.append(fragment.selectionSet)
                }
            }
        }
        self.fragmentSpreadCache[selectionSet.location.start] = spreads
        return spreads
    }

    /// The fragments an operation uses, directly or through other fragments, each once (worked out
    /// once per operation: several rules ask).
    public func recursivelyReferencedFragments(_ operation: OperationDefinition) -> [FragmentDefinition] {
        if let cached = self.referencedFragmentsCache[operation.location.start] { return cached }
        var fragments: [FragmentDefinition] = []
        var collected = Set<String>()
        var setsToVisit = [operation.selectionSet]
        while let set = setsToVisit.popLast() {
            for spread in self.fragmentSpreads(set) where collected.insert(spread.name.value).inserted {
                if let fragment = self.fragment(named: spread.name.value) {
                    fragments.append(fragment)
                    setsToVisit.append(fragment.selectionSet)
                }
            }
        }
        self.referencedFragmentsCache[operation.location.start] = fragments
        return fragments
    }

    /// Every variable usage of an operation, including those in the fragments it uses.
    /// Complete only once the whole document has been visited (rules ask in `leave(document)`).
    func recursiveVariableUsages(_ operationIndex: Int) -> [VariableUsage] {
        if let cached = self.recursiveVariableUsagesCache[operationIndex] { return cached }
        guard case .operation = self.document.definitions[operationIndex] else { return [] }
        var usages = self.variableUsages[operationIndex]
        for index in self.referencedFragmentIndexes(ofDefinition: operationIndex) {
            usages += self.variableUsages[index]
        }
        self.recursiveVariableUsagesCache[operationIndex] = usages
        return usages
    }
}

/// A variable used in a value, with the input type and default value of its position.
struct VariableUsage {
    let name: Name
    let location: Location
    let type: GraphQLType?
    let defaultValue: ValueNode?
}

/// The output type at a node of the walk: a field's, read from its definition when asked (a
/// field's type copied onto the stack retained one of its boxes, and its named type was found by
/// walking the wrappers, for every field of every document), or a named type (an operation's
/// root, a fragment's condition).
enum OutputTypeEntry {
    case none
    case field(Unmanaged<GraphQLField>)
    case named(Unmanaged<GraphQLNamedType>)

    init(_ named: GraphQLNamedType?) {
        self = named.map { $0.isOutputType ? .named(Unmanaged.passUnretained($0)) : .none } ?? .none
    }

    /// A field's entry (`.none` when its type is not an output type).
    init(field definition: GraphQLField) {
        self = definition.namedType.isOutputType ? .field(Unmanaged.passUnretained(definition)) : .none
    }

    var type: GraphQLType? {
        switch self {
        case .none: nil
        case .field(let field): field.takeUnretainedValue().type
        case .named(let named): .named(named.takeUnretainedValue())
        }
    }

    var namedType: GraphQLNamedType? {
        switch self {
        case .none: nil
        case .field(let field): field.takeUnretainedValue().namedType
        case .named(let named): named.takeUnretainedValue()
        }
    }
}
