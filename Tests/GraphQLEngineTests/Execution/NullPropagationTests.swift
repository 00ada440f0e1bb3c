import Testing

@testable import GraphQLEngine

@Suite("Execute: Handles non-nullable types")
struct NullPropagationTests {
    let schema = try! buildSchema(
        """
        type Query { nullable: Data, nonNull: Data!, list: [Data!], strictList: [Data!]! }
        type Data { sync: String, syncNonNull: String!, nest: Data, nonNullNest: Data! }
        """)

    @Test("a null in a nullable field is just null")
    func nullableNull() async throws {
        #expect(try await run(self.schema, "{ nullable { sync } }", root: ["nullable": ["sync": nil]]) == #"{"data":{"nullable":{"sync":null}}}"#)
    }

    @Test("a null in a non-null field nulls the nearest nullable ancestor, with one error and its path")
    func propagatesToNullableParent() async throws {
        let root: Value = ["nullable": ["nest": ["nonNullNest": ["syncNonNull": nil]]]]
        let json = try await run(self.schema, "{ nullable { nest { nonNullNest { syncNonNull } } } }", root: root)
        #expect(
            json
                == #"{"errors":[{"message":"Cannot return null for non-nullable field Data.syncNonNull.","locations":[{"line":1,"column":35}],"path":["nullable","nest","nonNullNest","syncNonNull"]}],"data":{"nullable":{"nest":null}}}"#
        )
    }

    @Test("a null reaching a non-null root field nulls data")
    func propagatesToRoot() async throws {
        let json = try await run(self.schema, "{ nonNull { syncNonNull } }", root: ["nonNull": ["syncNonNull": nil]])
        #expect(json.hasSuffix(#""data":null}"#))
    }

    @Test("a null item of a [T!] list nulls the list, and stops at the first failing item")
    func listItems() async throws {
        let root: Value = ["list": [["syncNonNull": "a"], ["syncNonNull": nil], ["syncNonNull": nil]]]
        let json = try await run(self.schema, "{ list { syncNonNull } }", root: root)
        #expect(json.contains(#""data":{"list":null}"#))
        #expect(json.contains(#""path":["list",1,"syncNonNull"]"#))
        #expect(!json.contains(#""path":["list",2"#))
    }

    @Test("leaves before and after a failed leaf, and around a nested object, are each completed in order")
    func leavesAroundFailures() async throws {
        let schema = try buildSchema(
            """
            type Query { item: Item }
            type Item { a: String, n: Int, b: String, inner: Item, c: String, must: String!, d: String }
            """)
        // `n` (a string for an Int) fails in the middle of a run of leaves: it alone is null; the
        // leaves after it and the nested object are still served, in the query's order.
        let root: Value = ["item": ["a": "A", "n": "seven", "b": "B", "inner": ["a": "IA", "c": "IC"], "c": "C", "must": "M", "d": "D"]]
        let served = try await run(schema, "{ item { a n b inner { a c } c must d } }", root: root)
        #expect(served.contains(#""data":{"item":{"a":"A","n":null,"b":"B","inner":{"a":"IA","c":"IC"},"c":"C","must":"M","d":"D"}}"#))
        #expect(served.contains(#""path":["item","n"]"#))
        // A null non-null leaf after the nested object nulls the whole item, with one error.
        let nulled: Value = ["item": ["a": "A", "n": 1, "b": "B", "inner": ["a": "IA"], "c": "C", "must": nil, "d": "D"]]
        let failed = try await run(schema, "{ item { a n b inner { a } c must d } }", root: nulled)
        #expect(failed.contains(#""data":{"item":null}"#))
        #expect(failed.contains(#""path":["item","must"]"#))
        #expect(failed.split(separator: "Cannot return null").count == 2)
    }

    @Test("siblings of a failed field are served")
    func siblingsServed() async throws {
        let root: Value = ["nullable": ["sync": "ok", "nest": ["syncNonNull": nil]]]
        let json = try await run(self.schema, "{ nullable { sync nest { syncNonNull } } }", root: root)
        #expect(json.contains(#""data":{"nullable":{"sync":"ok","nest":null}}"#))
    }

    @Test("lists nested past 32 type wrappers complete and propagate nulls as shallow ones do")
    func deeplyWrappedTypes() async throws {
        // 20 non-null lists: 40 wrappers, past the 32 kept in one word; the innermost items non-null.
        var type = "Int!"
        for _ in 0..<20 { type = "[\(type)]!" }
        let schema = try buildSchema("type Query { deep: \(type), shallow: [[Int]] }")
        func nested(_ innermost: Value) -> Value {
            var value = innermost
            for _ in 0..<20 { value = .list([value]) }
            return value
        }
        let inner = String(repeating: "[", count: 20) + "7" + String(repeating: "]", count: 20)
        let json = try await run(schema, "{ deep shallow }", root: ["deep": nested(7), "shallow": [[1, nil], nil]])
        #expect(json == #"{"data":{"deep":"# + inner + #","shallow":[[1,null],null]}}"#)
        // A null at the bottom fails every non-null level up to the root field, itself non-null: no data.
        let failed = try await run(schema, "{ deep }", root: ["deep": nested(nil)])
        #expect(failed.hasPrefix(#"{"errors":[{"message":"Cannot return null for non-nullable field Query.deep.""#))
        #expect(failed.hasSuffix(#""data":null}"#))
        #expect(failed.contains(#""path":["deep","# + Array(repeating: "0", count: 20).joined(separator: ",") + "]"))
    }
}
