import Testing

@testable import GraphQLEngine

@Suite("Execute: response keys encoded once per plan")
struct EncodedKeysTests {
    /// The bytes of each key as the plan holds them, split at the recorded ends.
    private func keys(_ encoded: EncodedKeys, count: Int) -> [String] {
        var start = 0
        return (0..<count).map { index in
            let end = encoded.ends[index]
            defer { start = end }
            return String(decoding: UnsafeBufferPointer(start: encoded.bytes + start, count: end - start), as: UTF8.self)
        }
    }

    @Test("names are written after a comma, quoted, with their colons, one after another")
    func names() {
        let encoded = EncodedKeys(["id", "firstName", "_x9"])
        defer { encoded.deallocate() }
        #expect(self.keys(encoded, count: 3) == [#","id":"#, #","firstName":"#, #","_x9":"#])
    }

    @Test("a key JSON must escape is escaped, and the keys after it stay aligned")
    func escapedKeys() {
        let encoded = EncodedKeys(["a\"b", "c\\d", "e\u{1}", "f"])
        defer { encoded.deallocate() }
        #expect(self.keys(encoded, count: 4) == [#","a\"b":"#, #","c\\d":"#, #","e\u0001":"#, #","f":"#])
    }
}
