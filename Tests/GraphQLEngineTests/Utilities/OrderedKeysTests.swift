import Testing

@testable import GraphQLEngine

@Suite("OrderedKeys: distinct keys keep their first-seen positions")
struct OrderedKeysTests {
    /// Keys of the shapes parents carry: short ids, ids past one word, URNs, empty, non-ASCII.
    private func sampleKeys(_ count: Int) -> [String] {
        (0..<count).map { number in
            switch number % 5 {
            case 0: "p-\(number)"
            case 1: "urn:nilecare:patient:\(number):record"
            case 2: String(repeating: "x", count: number % 23)
            case 3: "dr-\(number)-é"
            default: "\(number)"
            }
        }
    }

    private func expectPositions(_ table: OrderedKeys, _ distinct: [String]) {
        #expect(table.keys == distinct)
        for (position, key) in distinct.enumerated() { #expect(table.position(of: key) == position, "\(key)") }
        #expect(table.position(of: "absent-key") == nil)
        #expect(table.position(of: "p-") == nil)
    }

    @Test("inserting keeps the first position of each key and tells repeats apart, across growth")
    func positionsAcrossGrowth() {
        var table = OrderedKeys()
        var distinct: [String] = []
        for key in self.sampleKeys(3_000) + self.sampleKeys(3_000).reversed() {
            let expected = distinct.firstIndex(of: key)
            let (position, inserted) = table.insert(key)
            #expect(inserted == (expected == nil))
            if let expected { #expect(position == expected) } else { distinct.append(key); #expect(position == distinct.count - 1) }
        }
        #expect(!table.usesFallback)
        self.expectPositions(table, distinct)
    }

    @Test("reserving room first changes no position")
    func reservingKeepsPositions() {
        var table = OrderedKeys()
        let keys = self.sampleKeys(500)
        table.insert("first")
        table.reserveCapacity(2_000)
        for key in keys { table.insert(key) }
        table.reserveCapacity(10)
        self.expectPositions(table, ["first"] + Array(Set(keys)).sorted { keys.firstIndex(of: $0) ?? 0 < keys.firstIndex(of: $1) ?? 0 })
    }

    @Test("a table whose probe runs grow too long moves to its dictionary and answers the same")
    func fallbackAnswersTheSame() {
        // A probe limit of 0 falls back at the first collision, which 2,000 keys in a half-full
        // table meet; the keys inserted before and after must keep their positions.
        var table = OrderedKeys(probeLimit: 0)
        var distinct: [String] = []
        for key in self.sampleKeys(2_000) + ["p-0", "again"] + self.sampleKeys(100) {
            let (position, inserted) = table.insert(key)
            if let expected = distinct.firstIndex(of: key) {
                #expect(!inserted && position == expected)
            } else {
                distinct.append(key)
                #expect(inserted && position == distinct.count - 1)
            }
        }
        #expect(table.usesFallback)
        self.expectPositions(table, distinct)
        table.reserveCapacity(5_000)
        #expect(table.insert("after-reserve") == (distinct.count, true))
    }

    @Test("a table that falls back while it grows (re-filing its keys met a long run) keeps answering")
    func fallbackWhileGrowing() {
        // The ninth key builds the table from the eight compared so far; with a probe limit of 0 any
        // collision among them while re-filing falls back there (most trials: ~60% each).
        var fellBackWhileGrowing = 0
        for trial in 0..<200 {
            var table = OrderedKeys(probeLimit: 0)
            let keys = (0..<9).map { "t\(trial)-k\($0)" }
            for key in keys.prefix(8) { table.insert(key) }
            let before = table.usesFallback
            #expect(table.insert(keys[8]) == (8, true))
            if !before && table.usesFallback { fellBackWhileGrowing += 1 }
            for (position, key) in keys.enumerated() {
                #expect(table.position(of: key) == position)
                #expect(table.insert(key) == (position, false))
            }
        }
        #expect(fellBackWhileGrowing > 0)
    }
}
