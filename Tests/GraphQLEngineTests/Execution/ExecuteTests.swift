import Testing

@testable import GraphQLEngine

@Suite("Execute: Handles basic execution tasks")
struct ExecuteTests {
    let schema = try! buildSchema(
        """
        type Query { a: String, b: Int, nested: Nested, list: [Nested], pick(n: Int!, label: String = "x"): String, c: Color }
        type Nested { x: Int, y: [String] }
        type Mutation { first: Int, second: Int }
        enum Color { RED GREEN }
        """)

    @Test("keys follow the query's order, with aliases, fragments and @skip/@include")
    func ordersKeysAsQueried() async throws {
        let root: Value = ["a": "A", "b": 2, "nested": ["x": 1, "y": ["p", "q"]], "c": "RED"]
        let json = try await run(
            self.schema,
            """
            query ($skip: Boolean!) { b zed: a ...F nested @skip(if: $skip) { x } nested @include(if: true) { y } c }
            fragment F on Query { a }
            """, root: root, variables: ["skip": false])
        #expect(json == #"{"data":{"b":2,"zed":"A","a":"A","nested":{"x":1,"y":["p","q"]},"c":"RED"}}"#)
    }

    @Test("a field that reads its response key takes the parent's value under its alias, arguments or not")
    func readsResponseKey() async throws {
        let schema = try buildSchema("type Query { item: Item } type Item { name: String, tag(n: Int): String }")
        for field in schema.type(named: "Item")?.fields ?? [] { field.readsResponseKey = true }
        // The parent as a GraphQL service answers this very selection: keyed by response key.
        let root: Value = ["item": ["name": "plain", "label": "aliased", "t1": "first", "t2": "second"]]
        let json = try await run(schema, "{ item { name label: name t1: tag(n: 1) t2: tag(n: 2) } }", root: root)
        #expect(json == #"{"data":{"item":{"name":"plain","label":"aliased","t1":"first","t2":"second"}}}"#)
    }

    @Test("coerces arguments from literals, variables and defaults")
    func coercesArguments() async throws {
        let schema = try buildSchema("type Query { echo(n: Int!, label: String = \"dflt\", list: [Int]): String }")
        schema.type(named: "Query")!.field("echo")!.resolve = { _, arguments, _ in
            .value(.string("\(arguments["n"]!.jsonString)|\(arguments["label"]!.jsonString)|\(arguments["list"]?.jsonString ?? "-")"))
        }
        let json = try await run(schema, "query ($v: Int!) { a: echo(n: $v, list: 7) b: echo(n: 1, label: \"x\") }", variables: ["v": 5])
        #expect(json == #"{"data":{"a":"5|\"dflt\"|[7]","b":"1|\"x\"|-"}}"#)
    }

    @Test("rejects variables that cannot be coerced, with no data")
    func rejectsBadVariables() async throws {
        let source = Source("query ($n: Int!) { pick(n: $n) }")
        let document = try Parser.parse(source)
        let result = await execute(
            ExecutionRequest(schema: self.schema, document: document, variables: ["n": "seven"], source: source))
        #expect(!result.hasData)
        #expect(result.errors.first?.message == "Variable \"$n\" got invalid value \"seven\"; Int cannot represent non-integer value: \"seven\"")
        #expect(result.errors.first?.locations == [GraphQLEngine.SourceLocation(line: 1, column: 8)])
    }

    @Test("variables with a misspelt enum value or input field: the close names are suggested")
    func suggestsInVariables() async throws {
        let schema = try buildSchema("enum Unit { MG ML } input Dose { amount: Int unit: Unit } type Query { give(dose: Dose): String }")
        let source = Source("query ($d: Dose) { give(dose: $d) }")
        let document = try Parser.parse(source)
        let unit = await execute(ExecutionRequest(schema: schema, document: document, variables: ["d": ["amount": 5, "unit": "mg"]], source: source))
        #expect(unit.errors.first?.message.hasSuffix("Value \"mg\" does not exist in \"Unit\" enum. Did you mean the enum value \"MG\" or \"ML\"?") == true)
        let field = await execute(ExecutionRequest(schema: schema, document: document, variables: ["d": ["amout": 5]], source: source))
        #expect(field.errors.first?.message.hasSuffix("Field \"amout\" is not defined by type \"Dose\". Did you mean \"amount\"?") == true)
    }

    @Test("selects the operation by name, and requires a name when there are several")
    func selectsOperation() async throws {
        let document = try Parser.parse("query A { a } query B { b }")
        let request = ExecutionRequest(schema: self.schema, document: document, rootValue: ["a": "A", "b": 1])
        #expect(await execute(request).errors.first?.message == "Must provide operation name if query contains multiple operations.")
        var named = request
        named.operationName = "B"
        #expect(await execute(named).data == ["b": 1])
        named.operationName = "C"
        #expect(await execute(named).errors.first?.message == "Unknown operation named \"C\".")
    }

    @Test("serializes leaves by the scalar rules and reports bad values as field errors naming their kind, never their value")
    func serializesLeaves() async throws {
        let json = try await run(self.schema, "{ b c }", root: ["b": 1.5, "c": "BLUE-SECRET"])
        #expect(json.contains(#""data":{"b":null,"c":null}"#))
        #expect(json.contains(#"Int cannot represent non-integer value (a number)"#))
        #expect(json.contains(#"Enum \"Color\" cannot represent value (a string)"#))
        #expect(!json.contains("1.5") && !json.contains("SECRET"))
    }

    @Test("runs mutation root fields serially, in order")
    func serialMutations() async throws {
        let schema = try buildSchema("type Query { a: Int } type Mutation { first: Int, second: Int }")
        let log = Log()
        for name in ["first", "second"] {
            schema.type(named: "Mutation")!.field(name)!.resolve = { _, _, _ in
                .async {
                    await log.append(name)
                    return .int(await log.count)
                }
            }
        }
        let json = try await run(schema, "mutation { second first }")
        #expect(json == #"{"data":{"second":1,"first":2}}"#)
    }

    @Test("runs async resolvers and completes their values")
    func asyncResolvers() async throws {
        let schema = try buildSchema("type Query { slow: Nested } type Nested { x: Int }")
        schema.type(named: "Query")!.field("slow")!.resolve = { _, _, _ in
            .async {
                await Task.yield()  // a suspension, as real asynchronous work has
                return ["x": 42]
            }
        }
        #expect(try await run(schema, "{ slow { x } }") == #"{"data":{"slow":{"x":42}}}"#)
    }
}

actor Log {
    private var entries: [String] = []
    func append(_ entry: String) { self.entries.append(entry) }
    var count: Int { self.entries.count }
}
