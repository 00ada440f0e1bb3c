import Testing

@testable import GraphQLEngine

@Suite("Execute: compiled plans shared by executions of one document")
struct CompiledPlanTests {
    let schema = try! buildSchema(
        """
        type Query { pet(name: String!): Pet, pets: [Pet], dog: Dog }
        interface Pet { name: String }
        type Dog implements Pet { name: String, barks: Boolean, mother: Dog, friend(name: String): Dog }
        type Cat implements Pet { name: String, meows: Boolean, mother: Cat }
        """)

    let root: Value = [
        "pets": [
            ["__typename": "Dog", "name": "Rex", "barks": true, "mother": ["__typename": "Dog", "name": "Ma"]],
            ["__typename": "Cat", "name": "Tom", "meows": false],
        ],
        "dog": ["name": "Rex", "barks": true, "mother": ["name": "Ma", "mother": ["name": "Gran"]]],
    ]

    private func run(_ document: Document, _ source: Source, _ cache: PlanCache, variables: [String: Value] = [:]) async -> String {
        let result = await execute(
            ExecutionRequest(schema: self.schema, document: document, variables: variables, rootValue: self.root, source: source, plans: cache))
        return String(decoding: result.jsonBytes(), as: UTF8.self)
    }

    @Test("a kept plan gives each execution its own variables' arguments, and abstract types their own fields")
    func sharedPlanWithVariables() async throws {
        let source = Source("query ($n: String!) { pet(name: $n) { name } pets { __typename name ... on Dog { barks mother { name } } ... on Cat { meows } } }")
        let document = try Parser.parse(source)
        let cache = PlanCache()
        self.schema.type(named: "Query")!.field("pet")!.resolve = { _, arguments, _ in .value(["__typename": "Dog", "name": arguments["name"] ?? .null]) }
        let first = await self.run(document, source, cache, variables: ["n": "Rex"])
        let second = await self.run(document, source, cache, variables: ["n": "Fido"])
        let pets = #""pets":[{"__typename":"Dog","name":"Rex","barks":true,"mother":{"name":"Ma"}},{"__typename":"Cat","name":"Tom","meows":false}]"#
        #expect(first == #"{"data":{"pet":{"name":"Rex"},"#.dropLast(0) + pets + "}}")
        #expect(second == #"{"data":{"pet":{"name":"Fido"},"#.dropLast(0) + pets + "}}")
    }

    @Test("@include on a variable: a plan is kept per value of the variable, each execution collects its own fields")
    func variableDirectivesAreKeptPerValue() async throws {
        let source = Source("query ($b: Boolean!) { dog { name barks @include(if: $b) } }")
        let document = try Parser.parse(source)
        let cache = PlanCache()
        #expect(await self.run(document, source, cache, variables: ["b": true]) == #"{"data":{"dog":{"name":"Rex","barks":true}}}"#)
        #expect(await self.run(document, source, cache, variables: ["b": false]) == #"{"data":{"dog":{"name":"Rex"}}}"#)
        #expect(await self.run(document, source, cache, variables: ["b": true]) == #"{"data":{"dog":{"name":"Rex","barks":true}}}"#)
        #expect(await self.run(document, source, cache, variables: ["b": false]) == #"{"data":{"dog":{"name":"Rex"}}}"#)
        // Compiled once per value: the plan for `true` is the one kept.
        var compilations = 0
        let compile = { () -> CompiledOperation in
            compilations += 1
            return PlanCompiler.compile(
                document.operations[0], rootType: self.schema.queryType!, schema: self.schema, fragments: [:], variables: ["b": true])
        }
        let kept = cache.compiled(nil, defersFragments: false, schema: self.schema, variables: ["b": true], compile: compile)
        #expect(compilations == 0)
        #expect(kept.conditionVariables == ["b"])
        // A variable the directives do not read does not split the plans.
        _ = cache.compiled(nil, defersFragments: false, schema: self.schema, variables: ["b": true, "other": 1], compile: compile)
        #expect(compilations == 0)
    }

    @Test("a document's operations run in turn through one cache: each answers its own fields and is compiled once; deferring or a new schema compiles anew")
    func operationsInTurn() async throws {
        let source = Source("query A { dog { name } } query B { dog { barks } } query C($b: Boolean!) { dog { name @include(if: $b) } }")
        let document = try Parser.parse(source)
        let cache = PlanCache()
        func run(_ name: String, _ variables: [String: Value] = [:]) async -> String {
            let result = await execute(
                ExecutionRequest(
                    schema: self.schema, document: document, operationName: name, variables: variables, rootValue: self.root, source: source,
                    plans: cache))
            return String(decoding: result.jsonBytes(), as: UTF8.self)
        }
        for _ in 0..<3 {
            #expect(await run("A") == #"{"data":{"dog":{"name":"Rex"}}}"#)
            #expect(await run("B") == #"{"data":{"dog":{"barks":true}}}"#)
            #expect(await run("C", ["b": false]) == #"{"data":{"dog":{}}}"#)
            #expect(await run("C", ["b": true]) == #"{"data":{"dog":{"name":"Rex"}}}"#)
            #expect(await run("A") == #"{"data":{"dog":{"name":"Rex"}}}"#)
        }
        var compilations: [String] = []
        func compiled(_ name: String, defers: Bool = false, schema: GraphQLSchema) -> CompiledOperation {
            cache.compiled(name, defersFragments: defers, schema: schema, variables: [:]) {
                compilations.append(name + (defers ? " deferring" : ""))
                let operation = document.operations.first { $0.name?.value == name } ?? document.operations[0]
                return PlanCompiler.compile(
                    operation, rootType: schema.queryType!, schema: schema, fragments: [:], variables: [:], defersFragments: defers)
            }
        }
        // The runs above kept A's and B's plans: asked in turn, neither is compiled again.
        let a = compiled("A", schema: self.schema)
        let b = compiled("B", schema: self.schema)
        #expect(compiled("A", schema: self.schema) === a)
        #expect(compiled("B", schema: self.schema) === b)
        #expect(compilations.isEmpty)
        let deferring = compiled("A", defers: true, schema: self.schema)
        #expect(deferring !== a)
        #expect(compiled("A", schema: self.schema) === a)
        #expect(compilations == ["A deferring"])
        let reloaded = try buildSchema(printSchema(self.schema))
        let recompiled = compiled("A", schema: reloaded)
        #expect(recompiled !== a && recompiled.schema === reloaded)
        #expect(compilations == ["A deferring", "A"])
    }

    @Test("a plan depending on variables is kept for the last few combinations of their values only")
    func variantsAreBounded() throws {
        let source = Source("query ($b: Boolean!) { dog { name barks @include(if: $b) } }")
        let document = try Parser.parse(source)
        let cache = PlanCache()
        var compilations = 0
        func compiled(_ value: Int) {
            _ = cache.compiled(nil, defersFragments: false, schema: self.schema, variables: ["b": .int(value)]) {
                compilations += 1
                return PlanCompiler.compile(
                    document.operations[0], rootType: self.schema.queryType!, schema: self.schema, fragments: [:], variables: ["b": .int(value)])
            }
        }
        for value in 0..<100 { compiled(value) }
        #expect(compilations == 100)
        compiled(99)
        compiled(100 - PlanCache.maxVariants)
        #expect(compilations == 100)
        compiled(0)
        #expect(compilations == 101)
    }

    @Test("concurrent executions of one kept plan each get their own answer")
    func concurrentExecutions() async throws {
        let source = Source("query ($n: String!) { pet(name: $n) { name } dog { mother { mother { name } } } }")
        let document = try Parser.parse(source)
        let cache = PlanCache()
        self.schema.type(named: "Query")!.field("pet")!.resolve = { _, arguments, _ in .value(["__typename": "Dog", "name": arguments["name"] ?? .null]) }
        let results = await withTaskGroup(of: (Int, String).self) { group in
            for index in 0..<64 {
                group.addTask { (index, await self.run(document, source, cache, variables: ["n": .string("p\(index)")])) }
            }
            var collected: [Int: String] = [:]
            for await (index, json) in group { collected[index] = json }
            return collected
        }
        for (index, json) in results {
            #expect(json == #"{"data":{"pet":{"name":"p\#(index)"},"dog":{"mother":{"mother":{"name":"Gran"}}}}}"#)
        }
    }

    @Test("fragments that double at every level compile a bounded plan and cost what the data reaches")
    func exponentialExpansionIsBounded() async throws {
        var text = "{ dog { ...F30 } } fragment F0 on Dog { name }"
        for level in 1...30 { text += " fragment F\(level) on Dog { a: mother { ...F\(level - 1) } b: friend { ...F\(level - 1) } }" }
        let source = Source(text)
        let document = try Parser.parse(source)
        let compiled = PlanCompiler.compile(
            document.operations[0], rootType: self.schema.queryType!, schema: self.schema, fragments: document.fragments, variables: [:])
        #expect(compiled.plans.count <= 1_100)
        let json = await self.run(document, source, PlanCache())
        #expect(json == #"{"data":{"dog":{"a":{"a":{"a":null,"b":null},"b":null},"b":null}}}"#)
    }

    @Test("one execution without a plan cache compiles the same plans, with the same answer")
    func singleExecutionCompilesTheSamePlans() async throws {
        let source = Source("{ dog { name mother { name mother { name mother { name } } } friend { name } } pets { name ... on Dog { mother { name } } } }")
        let document = try Parser.parse(source)
        let compiled = PlanCompiler.compile(
            document.operations[0], rootType: self.schema.queryType!, schema: self.schema, fragments: [:], variables: [:])
        // The root, `dog`, its three nested `mother`s and `friend`; `pets` is abstract (per type, when reached).
        #expect(compiled.plans.count == 6)
        let uncached = await execute(ExecutionRequest(schema: self.schema, document: document, rootValue: self.root, source: source))
        let cached = await self.run(document, source, PlanCache())
        let expected =
            #"{"data":{"dog":{"name":"Rex","mother":{"name":"Ma","mother":{"name":"Gran","mother":null}},"friend":null},"pets":[{"name":"Rex","mother":{"name":"Ma"}},{"name":"Tom"}]}}"#
        #expect(String(decoding: uncached.jsonBytes(), as: UTF8.self) == expected)
        #expect(cached == expected)
    }

    @Test("fields that select a fragment's inner set on one type share one plan of it")
    func sharedSelectionSetsShareAPlan() async throws {
        let source = Source(
            """
            { dog { mother { ...M } friend { ...M } } pets { ... on Dog { ...M } } }
            fragment M on Pet { name ... on Dog { mother { name barks } } }
            """)
        let document = try Parser.parse(source)
        let compiled = PlanCompiler.compile(
            document.operations[0], rootType: self.schema.queryType!, schema: self.schema, fragments: document.fragments, variables: [:])
        // The root, `dog`, one plan of M on Dog (`mother { ...M }` and `friend { ...M }` only spread
        // M, so they share it), and one plan for M's `mother { name barks }` on Dog.
        #expect(compiled.plans.count == 4)
        let inner = compiled.plans.filter { $0.keys == ["name", "barks"] }
        #expect(inner.count == 1)
        let onDog = compiled.plans.filter { $0.keys == ["name", "mother"] }
        #expect(onDog.count == 1)
        #expect(onDog.first?.groups[1].objectSubPlan === inner.first)
        let dogPlan = compiled.plans.first { $0.keys == ["mother", "friend"] }
        #expect(dogPlan?.groups[0].objectSubPlan === onDog.first)
        #expect(dogPlan?.groups[1].objectSubPlan === onDog.first)
        let json = await self.run(document, source, PlanCache())
        #expect(
            json
                == #"{"data":{"dog":{"mother":{"name":"Ma","mother":{"name":"Gran","barks":null}},"friend":null},"pets":[{"name":"Rex","mother":{"name":"Ma","barks":null}},{}]}}"#
        )
    }
}
