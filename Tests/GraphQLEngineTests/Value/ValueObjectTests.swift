import Synchronization
import Testing

@testable import GraphQLEngine

@Suite("Compact objects: shapes shared by the JSON reader, properties read by position")
struct ValueObjectTests {
    @Test("the objects of a list with the same keys share one shape; others get their own; keys keep their order")
    func readerSharesShapes() throws {
        let value = try JSONReader.parse(#"[{"id":"1","name":"a"},{"id":"2","name":"b"},{"name":"c","id":"3"},{"id":"4","name":"d","x":1}]"#)
        guard case .list(let items) = value, items.count == 4, let first = items[0].objectValue, let second = items[1].objectValue,
            let reordered = items[2].objectValue, let wider = items[3].objectValue
        else {
            Issue.record("not four objects: \(value)")
            return
        }
        #expect(first.shape === second.shape)
        #expect(first.shape !== reordered.shape && first.shape !== wider.shape)
        #expect(reordered.keys == ["name", "id"])
        #expect(second["name"] == "b" && reordered["id"] == "3" && wider["x"] == 1)
    }

    @Test("a repeated key keeps its first position and its last value")
    func repeatedKeys() throws {
        let object = try #require(try JSONReader.parse(#"{"a":1,"b":2,"a":3}"#).objectValue)
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3 && object.count == 2)
    }

    @Test("a position hint is checked before it is trusted: objects with other layouts read their own values")
    func staleHints() {
        let hint = Atomic<Int>(-1)
        let objects: [ValueObject] = [["id": "1", "name": "a"], ["name": "b", "id": "2"], ["x": 0, "y": 0, "id": "3"], ["name": "d"]]
        #expect(objects.map { $0.value(forKey: "id", hint: hint) } == ["1", "2", "3", nil])
        #expect(objects.map { $0.value(forKey: "id", hint: hint) } == ["1", "2", "3", nil])
        var wide = ValueObject((0..<40).map { ("k\($0)", Value.int($0)) })
        #expect(wide.value(forKey: "k33", hint: hint) == 33 && wide["k7"] == 7 && wide["k40"] == nil)
        wide["k7"] = nil
        #expect(wide.count == 39 && wide["k7"] == nil && wide["k8"] == 8)
    }

    @Test("writing: a value replaced in place, a new key appended, a key removed; equality ignores order")
    func writes() {
        var object: ValueObject = ["a": 1, "b": 2]
        let shape = object.shape
        object["a"] = 10
        #expect(object.shape === shape && object["a"] == 10)
        object["c"] = 3
        #expect(object.keys == ["a", "b", "c"])
        object["b"] = nil
        #expect(object.keys == ["a", "c"] && object["b"] == nil)
        #expect(object == ["c": 3, "a": 10])
        #expect(object != ["c": 3, "a": 11])
        #expect(object != ["c": 3])
        #expect(Value.object(["a": 1]) == ["a": 1])
    }

    @Test("an object read from JSON is a value: writing to it leaves the document and its other objects as they were")
    func writesToReadObjects() throws {
        let document = try JSONReader.parse(#"{"items":[{"id":"1","name":"a","tags":["x"]},{"id":"2","name":"b","tags":[]}],"n":2}"#)
        guard case .list(let items)? = document["items"], items.count == 2, var first = items[0].objectValue else {
            Issue.record("not a list of two objects: \(document)")
            return
        }
        let shape = first.shape
        first["id"] = "changed"
        #expect(first.shape === shape && first["id"] == "changed" && first["name"] == "a")
        first["extra"] = 1
        first["name"] = nil
        #expect(first.keys == ["id", "tags", "extra"] && first["tags"] == ["x"] && first["extra"] == 1)
        #expect(items[0] == ["id": "1", "name": "a", "tags": ["x"]])
        #expect(items[1] == ["id": "2", "name": "b", "tags": []])
        #expect(document["items"] == [["id": "1", "name": "a", "tags": ["x"]], ["id": "2", "name": "b", "tags": []]])
        #expect(document["n"] == 2)
    }

    @Test("an object read from JSON and the same object made whole read, compare and write alike")
    func materializedObjects() throws {
        let text = #"{"s":"plain","e":"tab\tquote\"","i":-7,"big":123456789012345678901,"f":1.5e2,"t":true,"n":null,"# +
            #""o":{"inner":[1,{"deep":"x"}],"empty":{}},"l":[],"dup":1,"dup":2}"#
        let read = try JSONReader.parse(text)
        let made = read.materialized
        #expect(read == made)
        #expect(read.jsonString == made.jsonString)
        #expect(read["e"] == "tab\tquote\"" && read["big"] == .float(123456789012345678901) && read["f"] == .float(150))
        #expect(read["o"]?["inner"] == [1, ["deep": "x"]] && read["o"]?["empty"] == .object([:]) && read["dup"] == 2)
        let keys = try #require(read.objectValue).map(\.key)
        #expect(keys == ["s", "e", "i", "big", "f", "t", "n", "o", "l", "dup"])
        #expect(try #require(made.objectValue).map(\.key) == keys)
        // Reading a member twice makes the same value again.
        #expect(read["o"] == read["o"] && read["s"] == read["s"])
    }

    @Test("execution reads each parent's own properties when parents of one field are laid out differently")
    func executionWithMixedLayouts() async throws {
        let schema = try buildSchema("type Query { items: [Item] } type Item { id: ID, name: String, rank: Int }")
        let root = try JSONReader.parse(
            #"{"items":[{"id":"1","name":"a","rank":1},{"rank":2,"name":"b","id":"2"},{"name":"c","id":"3"},{"id":"4","name":"d","rank":4}]}"#)
        let source = Source("{ items { id name rank } }")
        let document = try Parser.parse(source)
        let cache = PlanCache()
        for _ in 0..<2 {
            let result = await execute(ExecutionRequest(schema: schema, document: document, rootValue: root, source: source, plans: cache))
            #expect(
                String(decoding: result.jsonBytes(), as: UTF8.self)
                    == #"{"data":{"items":[{"id":"1","name":"a","rank":1},{"id":"2","name":"b","rank":2},{"id":"3","name":"c","rank":null},{"id":"4","name":"d","rank":4}]}}"#
            )
        }
    }
}
