import Synchronization
import Testing

@testable import GraphQLEngine

/// `@defer` as the incremental delivery RFC and graphql-js 17 define it: what the initial payload
/// holds and announces, what each later payload delivers, batching inside a deferred group.
@Suite("Execute: incremental delivery of @defer")
struct IncrementalDeliveryTests {
    static let sdl = """
        directive @defer(if: Boolean! = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
        directive @stream(if: Boolean! = true, label: String, initialCount: Int = 0) on FIELD
        type Query { patient: Patient, patients: [Patient!]! }
        type Mutation { touch: Int }
        type Patient { id: Int!, name: String, medications: [Medication!], notes: String! }
        type Medication { name: String, dose: String }
        """

    /// A schema whose `Patient.medications` loads through `loader` (one batch per dispatch).
    static func schema(_ loader: CountingLoader) throws -> GraphQLSchema {
        let schema = try buildSchema(Self.sdl)
        schema.type(named: "Patient")?.field("medications")?.resolve = { source, _, _ in
            guard case .int(let id)? = source["id"] else { return .value(.list([])) }
            return .pending(loader.enqueue(id))
        }
        return schema
    }

    static func run(_ schema: GraphQLSchema, _ query: String, root: Value, loader: CountingLoader) async throws -> IncrementalExecution {
        let source = Source(query)
        let document = try Parser.parse(source)
        let errors = validate(schema: schema, document: document, source: source)
        #expect(errors.isEmpty, "validation errors: \(errors)")
        return await executeIncrementally(ExecutionRequest(schema: schema, document: document, rootValue: root, dispatcher: loader, source: source))
    }

    static func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    @Test("the initial payload leaves the deferred fragment out and announces it; the next delivers it")
    func deferredFragment() async throws {
        let loader = CountingLoader { id in .list([["name": .string("med-\(id)"), "dose": "5mg"]]) }
        let schema = try Self.schema(loader)
        let execution = try await Self.run(
            schema, #"{ patient { id name ... @defer(label: "meds") { medications { name } } } }"#,
            root: ["patient": ["id": 7, "name": "Amani"]], loader: loader)
        #expect(execution.initial.data == ["patient": ["id": 7, "name": "Amani"]])
        #expect(loader.batches.isEmpty)  // nothing of the deferred fragment ran for the initial payload
        #expect(execution.pending.map(\.id) == ["0"])
        #expect(execution.pending.first?.path == [.key("patient")])
        #expect(execution.pending.first?.label == "meds")
        #expect(execution.hasNext)
        let next = await execution.next()
        #expect(next?.delivered.count == 1)
        #expect(Self.text(next?.delivered.first?.data) == #"{"medications":[{"name":"med-7"}]}"#)
        #expect(next?.hasNext == false)
        #expect(await execution.next() == nil)
    }

    @Test("a fragment deferred under a list is one group: one dispatch per level for all its objects")
    func batchedGroup() async throws {
        let loader = CountingLoader { id in .list([["name": .string("med-\(id)")]]) }
        let schema = try Self.schema(loader)
        let root: Value = ["patients": .list((1...20).map { ["id": .int($0)] })]
        let execution = try await Self.run(schema, "{ patients { id ... @defer { medications { name } } } }", root: root, loader: loader)
        #expect(execution.pending.count == 20)
        #expect(execution.pending.map(\.path) == (0..<20).map { [.key("patients"), .index($0)] })
        let next = await execution.next()
        #expect(loader.batches == [Array(1...20)])
        #expect(next?.delivered.map(\.pending.id) == (0..<20).map(String.init))
        #expect(Self.text(next?.delivered.last?.data) == #"{"medications":[{"name":"med-20"}]}"#)
        #expect(next?.hasNext == false)
    }

    @Test("a @defer inside a deferred fragment is announced by the payload that delivers its parent")
    func nestedDefer() async throws {
        let loader = CountingLoader { _ in .list([["name": "a", "dose": "1mg"]]) }
        let schema = try Self.schema(loader)
        let execution = try await Self.run(
            schema, #"{ patient { id ... @defer(label: "outer") { name ... @defer(label: "inner") { medications { dose } } } } }"#,
            root: ["patient": ["id": 1, "name": "Baraka"]], loader: loader)
        #expect(execution.pending.map(\.label) == ["outer"])
        let first = await execution.next()
        #expect(Self.text(first?.delivered.first?.data) == #"{"name":"Baraka"}"#)
        #expect(first?.pending.map(\.label) == ["inner"])
        #expect(first?.pending.first?.path == [.key("patient")])
        #expect(first?.hasNext == true)
        let second = await execution.next()
        #expect(Self.text(second?.delivered.first?.data) == #"{"medications":[{"dose":"1mg"}]}"#)
        #expect(second?.hasNext == false)
    }

    @Test("leaf fields a payload already sent are not sent again by a fragment deferred under it; object fields are")
    func sentLeavesNotRepeated() async throws {
        let loader = CountingLoader { id in .list([["name": .string("med-\(id)"), "dose": "5mg"]]) }
        let schema = try Self.schema(loader)
        let execution = try await Self.run(
            schema,
            #"{ patient { id name medications { name } ... @defer(label: "a") { id name notes medications { dose } ... @defer(label: "b") { notes name } } ... @defer(label: "c") { id } } }"#,
            root: ["patient": ["id": 3, "name": "Zawadi", "notes": "ok"]], loader: loader)
        // "c" only repeats `id`: nothing left to defer, so it is not announced.
        #expect(execution.pending.map(\.label) == ["a"])
        let first = await execution.next()
        #expect(Self.text(first?.delivered.first?.data) == #"{"notes":"ok","medications":[{"dose":"5mg"}]}"#)
        // "b" repeats what the initial payload and "a" sent: not announced either.
        #expect(first?.pending.isEmpty == true)
        #expect(first?.hasNext == false)
    }

    @Test("an error in a deferred non-null field nulls that fragment only, with the error at its full path")
    func errorInDeferredFragment() async throws {
        let loader = CountingLoader { _ in .list([]) }
        let schema = try Self.schema(loader)
        let execution = try await Self.run(
            schema, "{ patients { id ... @defer { notes } } }", root: ["patients": [["id": 1, "notes": "ok"], ["id": 2]]], loader: loader)
        let next = await execution.next()
        #expect(Self.text(next?.delivered[0].data) == #"{"notes":"ok"}"#)
        #expect(next?.delivered[0].errors.isEmpty == true)
        #expect(next?.delivered[1].data == nil)
        #expect(next?.delivered[1].errors.map(\.path) == [[.key("patients"), .index(1), .key("notes")]])
    }

    @Test("@defer(if: false), and an execution that does not defer, deliver everything at once")
    func notDeferred() async throws {
        let loader = CountingLoader { _ in .list([["name": "x"]]) }
        let schema = try Self.schema(loader)
        let off = try await Self.run(
            schema, "{ patient { id ... @defer(if: false) { medications { name } } } }", root: ["patient": ["id": 3]], loader: loader)
        #expect(off.pending.isEmpty && !off.hasNext)
        #expect(off.initial.data == ["patient": ["id": 3, "medications": [["name": "x"]]]])
        let json = try await GraphQLEngineTests.run(
            schema, "{ patient { id ... @defer { medications { name } } } }", root: ["patient": ["id": 3]], dispatcher: loader)
        #expect(json == #"{"data":{"patient":{"id":3,"medications":[{"name":"x"}]}}}"#)
    }

    @Test("with loaders forked per group, groups run concurrently and every payload is delivered once, the last saying so")
    func concurrentGroups() async throws {
        let load: @Sendable (Int) -> Value = { id in .list([["name": .string("med-\(id)"), "dose": "1mg"]]) }
        let loader = CountingLoader(load: load)
        // Resolvers queue on the loader of the context they run in (the request's, or a group's own).
        let schema = try buildSchema(Self.sdl)
        schema.type(named: "Patient")?.field("medications")?.resolve = { source, _, info in
            guard case .int(let id)? = source["id"], let queue = info.context as? CountingLoader else { return .value(.list([])) }
            return .pending(queue.enqueue(id))
        }
        let forks = Mutex<[CountingLoader]>([])
        let source = Source(#"{ patients { id ... @defer(label: "a") { medications { name } } ... @defer(label: "b") { medications { dose } } } }"#)
        var request = ExecutionRequest(
            schema: schema, document: try Parser.parse(source), rootValue: ["patients": [["id": 1], ["id": 2]]], context: loader,
            dispatcher: loader, source: source)
        request.forkLoaders = {
            let forked = CountingLoader(load: load)
            forks.withLock { $0.append(forked) }
            return (context: forked, dispatcher: forked)
        }
        let execution = await executeIncrementally(request)
        #expect(execution.pending.map(\.label) == ["a", "b", "a", "b"])
        var payloads: [IncrementalExecution.Subsequent] = []
        while let payload = await execution.next() { payloads.append(payload) }
        #expect(payloads.count == 2)
        #expect(payloads.map(\.hasNext) == [true, false])
        let delivered = payloads.flatMap(\.delivered)
        #expect(Set(delivered.map(\.pending.id)) == ["0", "1", "2", "3"])
        #expect(delivered.allSatisfy { $0.errors.isEmpty })
        #expect(Set(delivered.compactMap { Self.text($0.data) }) == [
            #"{"medications":[{"name":"med-1"}]}"#, #"{"medications":[{"name":"med-2"}]}"#, #"{"medications":[{"dose":"1mg"}]}"#,
        ])
        // Each group ran on loaders of its own: one batch of both patients each, none on the request's.
        #expect(loader.batches.isEmpty)
        #expect(forks.withLock { $0.map(\.batches) } == [[[1, 2]], [[1, 2]]])
    }

    @Test("@stream: the first items come with the list, the rest in a later payload, each part batched")
    func streamedList() async throws {
        let loader = CountingLoader { id in .list([["name": .string("med-\(id)")]]) }
        let schema = try Self.schema(loader)
        let root: Value = ["patients": .list((1...5).map { ["id": .int($0)] })]
        let execution = try await Self.run(
            schema, #"{ patients @stream(initialCount: 2, label: "rest") { id medications { name } } }"#, root: root, loader: loader)
        #expect(execution.initial.data?["patients"] == [["id": 1, "medications": [["name": "med-1"]]], ["id": 2, "medications": [["name": "med-2"]]]])
        #expect(execution.pending.map(\.path) == [[.key("patients")]])
        #expect(execution.pending.first?.label == "rest")
        let next = await execution.next()
        #expect(next?.delivered.first?.firstIndex == 2)
        #expect(Self.text(next?.delivered.first?.data) == #"[{"id":3,"medications":[{"name":"med-3"}]},{"id":4,"medications":[{"name":"med-4"}]},{"id":5,"medications":[{"name":"med-5"}]}]"#)
        #expect(loader.batches == [[1, 2], [3, 4, 5]])
        #expect(next?.hasNext == false)
    }

    @Test("@stream: an error in a streamed item has the item's index in the whole list")
    func streamedItemError() async throws {
        let loader = CountingLoader { _ in .list([]) }
        let schema = try Self.schema(loader)
        let root: Value = ["patients": [["id": 1, "notes": "a"], ["id": 2, "notes": "b"], ["id": 3, "notes": "c"], ["id": 4]]]
        let execution = try await Self.run(schema, "{ patients @stream(initialCount: 1) { id notes } }", root: root, loader: loader)
        let next = await execution.next()
        // `[Patient!]!`: a failed item nulls the streamed part; its error names the item's place in the list.
        #expect(next?.delivered.first?.data == nil)
        #expect(next?.delivered.first?.errors.map(\.path) == [[.key("patients"), .index(3), .key("notes")]])
    }

    @Test("validation: not on a mutation's root fields; labels static and unique")
    func validation() throws {
        let schema = try buildSchema(Self.sdl)
        func messages(_ query: String) throws -> [String] {
            let source = Source(query)
            return validate(schema: schema, document: try Parser.parse(source), source: source).map(\.message)
        }
        #expect(try messages("mutation { ... @defer { touch } }") == [#"Defer directive cannot be used on root mutation type "Mutation"."#])
        #expect(
            try messages(#"{ patient { ... @defer(label: "a") { id } ... @defer(label: "a") { name } } }"#)
                == ["Defer/Stream directive label argument must be unique."])
        #expect(
            try messages(#"query ($l: String) { patient { ... @defer(label: $l) { id } } }"#)
                == [#"Directive "defer"'s label argument must be a static string."#])
        #expect(try messages("{ patient { ... @defer { id } } }") == [])
        #expect(
            try messages("{ patient @stream { id } }")
                == [#"Directive "@stream" cannot be used on non-list field "patient" on type "Query"."#])
        #expect(try messages(#"{ patients @stream(label: "a") { id } patient { ... @defer(label: "a") { id } } }"#)
            == ["Defer/Stream directive label argument must be unique."])
        // Where the schema does not declare them, they are unknown directives, and only that.
        let plain = try buildSchema("type Query { patient: Query id: ID } type Mutation { touch: ID }")
        let unknown = validate(
            schema: plain, document: try Parser.parse(Source(#"mutation M { ... @defer(label: "a") { touch } ... @defer(label: "a") { touch } } query Q { patient @stream { id } }"#)),
            source: Source(""))
        #expect(unknown.map(\.message) == Array(repeating: #"Unknown directive "@defer"."#, count: 2) + [#"Unknown directive "@stream"."#])
    }
}
