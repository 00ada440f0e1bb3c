import Testing

@testable import NileTracing

@Suite("IDGenerator")
struct IDGeneratorTests {
    @Test("request ids are version-4 UUIDs in lowercase text, all different")
    func uuidStrings() {
        let ids = IDGenerator(seed: 7)
        let made = (0..<1_000).map { _ in ids.uuidString() }
        #expect(Set(made).count == made.count)
        for id in made {
            let characters = Array(id)
            #expect(characters.count == 36)
            #expect([8, 13, 18, 23].allSatisfy { characters[$0] == "-" })
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
            #expect(id.filter { $0 != "-" }.allSatisfy { "0123456789abcdef".contains($0) })
        }
    }
}
