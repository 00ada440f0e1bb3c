import Testing

@testable import GraphQLEngine

@Suite("Validation: the overlapping-fields rule's memo of compared pairs")
struct PairMemoTests {
    /// Past its linear limit the memo moves to a dictionary: what was kept before and after is
    /// found, replaced values read as replaced, pairs differing in either half stay apart.
    @Test("pairs kept below and past the linear limit, replaced, and told apart by either half")
    func keepsPairs() {
        var memo = PairMemo()
        let count = 3 * PairMemo.linearLimit
        for index in 0..<count { memo.set(index, index + 1, index.isMultiple(of: 2)) }
        memo.set(0, 1, false)
        memo.set(count - 1, count, true)
        for index in 1..<(count - 1) {
            #expect(memo[index, index + 1] == index.isMultiple(of: 2), "\(index)")
            #expect(memo[index + 1, index] == nil, "\(index)")
        }
        #expect(memo[0, 1] == false && memo[count - 1, count] == true)
        #expect(memo[0, 2] == nil && memo[1 << 31, 1] == nil)
    }
}
