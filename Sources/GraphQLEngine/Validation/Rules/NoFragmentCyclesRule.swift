/// No fragment cycles
///
/// The graph of fragment spreads must not form any cycles including spreading itself.
/// Otherwise an operation could infinitely spread or infinitely execute on cycles in the
/// underlying data.
///
/// See https://spec.graphql.org/October2021/#sec-Fragment-spreads-must-not-form-cycles
final class NoFragmentCyclesRule: ValidationRule {
    let hooks: ValidationHooks = [.enterOperation, .enterFragmentDefinition]

    @exclusivity(unchecked) private var visited = Set<String>()
    @exclusivity(unchecked) private var spreadPath: [FragmentSpread] = []
    @exclusivity(unchecked) private var spreadPathIndexByName: [String: Int] = [:]

    func enter(_ operation: OperationDefinition, _ context: ValidationContext) -> VisitAction { .skipChildren }

    func enter(_ fragment: FragmentDefinition, _ context: ValidationContext) -> VisitAction {
        self.detectCycle(fragment, context)
        return .skipChildren
    }

    /// Depth-first search over spreads; the path of spreads is kept to report each cycle once.
    private func detectCycle(_ fragment: FragmentDefinition, _ context: ValidationContext) {
        let name = fragment.name.value
        guard self.visited.insert(name).inserted else { return }
        let spreads = context.fragmentSpreads(fragment.selectionSet)
        guard !spreads.isEmpty else { return }
        self.spreadPathIndexByName[name] = self.spreadPath.count
        for spread in spreads {
            let spreadName = spread.name.value
            let cycleIndex = self.spreadPathIndexByName[spreadName]
            self.spreadPath.append(spread)
            if let cycleIndex {
                let cyclePath = Array(self.spreadPath[cycleIndex...])
                let via = cyclePath.dropLast().map { "\(quoted: "\($0.name.value)")" }.joined(separator: ", ")
                context.report(
                    "Cannot spread fragment \(quoted: "\(spreadName)") within itself" + (via.isEmpty ? "." : " via \(via)."),
                    at: cyclePath.map(\.location))
            } else if let spreadFragment = context.fragment(named: spreadName) {
                self.detectCycle(spreadFragment, context)
            }
            self.spreadPath.removeLast()
        }
        self.spreadPathIndexByName[name] = nil
    }
}
