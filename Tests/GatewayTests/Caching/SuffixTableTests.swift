import Testing

@testable import Gateway

@Suite("Gateway: the table of one key prefix's entries")
struct SuffixTableTests {
    @Test("values set, replaced, removed and set again are found as last set; the count is of live keys")
    func setReplaceRemove() {
        var table = SuffixTable<Int>()
        for index in 0..<100 { table["p-\(index)"] = index }
        table["p-7"] = 700
        for index in stride(from: 0, to: 100, by: 2) { table["p-\(index)"] = nil }
        table["p-4"] = 4_000
        table["absent"] = nil
        #expect(table.count == 51)
        for index in 0..<100 {
            let expected: Int? = index == 4 ? 4_000 : index == 7 ? 700 : index % 2 == 0 ? nil : index
            #expect(table["p-\(index)"] == expected, "p-\(index)")
        }
    }

    /// Keys that come and go (a cache whose entries expire and are fetched under new ids) leave
    /// no trace: after thousands of them the live keys are still found and the rest are not.
    @Test("keys that come and go: live ones found, the rest gone, emptied when all go")
    func churn() {
        var table = SuffixTable<Int>()
        table["kept"] = -1
        for index in 0..<5_000 {
            table["k-\(index)"] = index
            if index >= 3 { table["k-\(index - 3)"] = nil }
        }
        #expect(table.count == 4)
        #expect(table.positionCount <= 16)
        #expect(table["kept"] == -1)
        #expect(table["k-4999"] == 4_999 && table["k-4997"] == 4_997)
        #expect(table["k-4996"] == nil && table["k-0"] == nil)
        for key in ["kept", "k-4997", "k-4998", "k-4999"] { table[key] = nil }
        #expect(table.isEmpty)
    }
}
