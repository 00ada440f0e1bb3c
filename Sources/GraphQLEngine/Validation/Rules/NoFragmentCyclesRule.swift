/// No fragment cycles
///
/// The graph of fragment spreads must not form any cycles including spreading itself.
/// Otherwise an operation could infinitely spread or infinitely execute on cycles in the
/// underlying data.
///
/// Searched once the document is walked, over the spreads the walk recorded per definition (no
/// second walk of each fragment), fragments in document order as graphql-js enters them.
///
/// See https://spec.graphql.org/October2021/#sec-Fragment-spreads-must-not-form-cycles
final class NoFragmentCyclesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterFragmentDefinition, .leaveDocument]

    /// Each fragment definition's index and name, in document order.
    @exclusivity(unchecked) private var definitions: [(index: Int, name: String)] = []
    /// Fragment names searched already, by the index of the name's definition (the last of a
    /// repeated name, the one spreads reach).
    @exclusivity(unchecked) private var visited: [Bool] = []
    @exclusivity(unchecked) private var spreadPath: [FragmentSpread] = []
    /// Where each name on the current path starts in `spreadPath` (by its definition's index; -1: not on it).
    @exclusivity(unchecked) private var pathIndex: [Int] = []
    /// The definition whose search runs (graphql-js reports its cycles on entering it).
    @exclusivity(unchecked) private var searchedFrom = 0

    func enter(_ fragment: FragmentDefinition, _ context: ValidationContext) -> VisitAction {
        self.definitions.append((context.currentDefinition, fragment.name.value))
        return .skipChildren
    }

    func leave(_ document: Document, _ context: ValidationContext) {
        self.visited = Array(repeating: false, count: document.definitions.count)
        self.pathIndex = Array(repeating: -1, count: document.definitions.count)
        for (index, name) in self.definitions {
            self.searchedFrom = index
            self.detectCycle(index, name: context.definitionIndex(ofFragment: name) ?? index, context)
        }
    }

    /// Depth-first search over the spreads of the definition at `definition`, whose name's
    /// definition is at `name`; the path of spreads is kept to report each cycle once.
    private func detectCycle(_ definition: Int, name: Int, _ context: ValidationContext) {
        guard !self.visited[name] else { return }
        self.visited[name] = true
        let spreads = context.spreadsByDefinition[definition]
        guard !spreads.isEmpty else { return }
        self.pathIndex[name] = self.spreadPath.count
        for spread in spreads {
            let target = context.definitionIndex(ofFragment: spread.name.value)
            let cycleIndex = target.map { self.pathIndex[$0] } ?? -1
            self.spreadPath.append(spread)
            if cycleIndex >= 0 {
                let cyclePath = Array(self.spreadPath[cycleIndex...])
                let via = cyclePath.dropLast().map { "\(quoted: "\($0.name.value)")" }.joined(separator: ", ")
                context.report(
                    "Cannot spread fragment \(quoted: "\(spread.name.value)") within itself" + (via.isEmpty ? "." : " via \(via)."),
                    at: cyclePath.map(\.location), asIf: .enteringDefinition(self.searchedFrom))
            } else if let target {
                self.detectCycle(target, name: target, context)
            }
            self.spreadPath.removeLast()
        }
        self.pathIndex[name] = -1
    }
}
