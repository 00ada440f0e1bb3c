@testable import Gateway
import GraphQLEngine
import Testing

@Suite("Batching: a call's items matched to the keys of its chunk")
struct MatchItemsTests {
    private func item(_ id: String, patient: String) -> Value {
        .object(["id": .string(id), "patientId": .string(patient)])
    }

    @Test("each key gets its items in answer order, whatever order the keys came back in")
    func itemsByKeyInOrder() {
        var keys = OrderedKeys()
        for key in ["7", "8", "9"] { keys.insert(key) }
        let items = [item("a", patient: "9"), item("b", patient: "7"), item("c", patient: "9"), item("d", patient: "9")]
        let lists = RequestLoaders.match(items, on: "patientId", to: 0..<3, of: keys)
        #expect(lists.count == 3)
        #expect(lists[0].map { $0["id"] } == [.string("b")])
        #expect(lists[1].isEmpty)
        #expect(lists[2].map { $0["id"] } == [.string("a"), .string("c"), .string("d")])
    }

    @Test("items of keys outside the chunk, of unknown keys or without the match field are left out")
    func strayItemsLeftOut() {
        var keys = OrderedKeys()
        for key in ["1", "2", "3", "4"] { keys.insert(key) }
        let items = [
            item("in", patient: "3"), item("other chunk", patient: "1"), item("unknown", patient: "99"),
            .object(["id": .string("no key")]), .string("not an object"), item("in too", patient: "4"),
        ]
        let lists = RequestLoaders.match(items, on: "patientId", to: 2..<4, of: keys)
        #expect(lists.map { $0.map { $0["id"] } } == [[.string("in")], [.string("in too")]])
    }
}
