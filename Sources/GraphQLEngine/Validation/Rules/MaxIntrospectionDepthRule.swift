/// Maximum introspection depth
///
/// Rejects introspection queries that nest `fields`, `interfaces`, `possibleTypes` or
/// `inputFields` three or more levels deep, which could otherwise make the server do
/// exponential work (graphql-js 16.9).
final class MaxIntrospectionDepthRule: ValidationRule {
    let hooks: ValidationHooks = [.enterMetaField]

    private static let maxListsDepth = 3

    func enter(_ field: Field, _ context: ValidationContext) -> VisitAction {
        let name = field.nameValue
        // Most fields fail on their first two bytes, before any comparison of whole names.
        guard isReservedName(name), name == "__schema" || name == "__type", let selectionSet = field.selectionSet else { return .continue }
        var walk = Walk(context: context)
        if walk.exceeds(selectionSet, depth: 0) {
            context.report("Maximum introspection depth exceeded", at: field.location)
            return .skipChildren
        }
        return .continue
    }

    /// One check's walk. A fragment's answer at a depth is remembered, so a fragment spread twice
    /// per level (2^n expansions) is walked once per depth: linear in the document. Depths run
    /// from 0 to `maxListsDepth - 1` (deeper is the answer itself), one bit each per fragment.
    private struct Walk {
        let context: ValidationContext
        /// The fragments met, by position in the three tables below.
        var fragments = KeyPositions()
        /// Per fragment: the depths whose answer is known, the answers, and the depths being walked.
        var known: [UInt8] = []
        var answers: [UInt8] = []
        var inProgress: [UInt8] = []

        /// The introspection fields that return lists of types or fields.
        static func isListField(_ name: String) -> Bool {
            // By length first: most names are compared with one candidate, or none.
            switch name.utf8.count {
            case 6: name == "fields"
            case 10: name == "interfaces"
            case 11: name == "inputFields"
            case 13: name == "possibleTypes"
            default: false
            }
        }

        /// Whether the set's selections nest list fields `maxListsDepth` deep, counting from `depth`.
        mutating func exceeds(_ selectionSet: SelectionSet, depth: Int) -> Bool {
            for selection in selectionSet.selections {
                switch selection {
                case .field(let field):
                    var fieldDepth = depth
                    if Self.isListField(field.name.value) {
                        fieldDepth += 1
                        if fieldDepth >= MaxIntrospectionDepthRule.maxListsDepth { return true }
                    }
                    if let inner = field.selectionSet, self.exceeds(inner, depth: fieldDepth) { return true }
                case .inlineFragment(let fragment):
                    if self.exceeds(fragment.selectionSet, depth: depth) { return true }
                case .fragmentSpread(let spread):
                    if self.fragmentExceeds(spread.name.value, depth: depth) { return true }
                }
            }
            return false
        }

        /// `exceeds` for a fragment's selections, remembered per depth; a fragment already being
        /// walked at this depth (a cycle, reported by its own rule) answers `false`.
        private mutating func fragmentExceeds(_ name: String, depth: Int) -> Bool {
            let (position, isNew) = self.fragments.insert(name)
            if isNew {
                self.known.append(0)
                self.answers.append(0)
                self.inProgress.append(0)
            }
            let bit = UInt8(1) << UInt8(depth)
            if self.known[position] & bit != 0 { return self.answers[position] & bit != 0 }
            guard self.inProgress[position] & bit == 0, let fragment = self.context.fragment(named: name) else { return false }
            self.inProgress[position] |= bit
            let answer = self.exceeds(fragment.selectionSet, depth: depth)
            self.inProgress[position] &= ~bit
            self.known[position] |= bit
            if answer { self.answers[position] |= bit }
            return answer
        }
    }
}
