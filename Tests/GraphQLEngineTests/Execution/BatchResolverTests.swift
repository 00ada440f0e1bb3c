import Synchronization
import Testing

@testable import GraphQLEngine

/// A loader for batch resolvers: slots queued with their keys while a level is resolved, filled
/// all at once when dispatched.
final class SlotLoader: BatchDispatcher, @unchecked Sendable {
    private let state = Mutex<(queued: [(Int, BatchSlot)], dispatches: [[Int]])>(([], []))
    let load: @Sendable (Int) -> Value?

    init(load: @escaping @Sendable (Int) -> Value?) {
        self.load = load
    }

    func enqueue(_ key: Int, _ slot: BatchSlot) {
        self.state.withLock { $0.queued.append((key, slot)) }
    }

    var dispatches: [[Int]] { self.state.withLock { $0.dispatches } }

    func dispatch() async {
        let queued = self.state.withLock { state in
            defer { state.queued = [] }
            state.dispatches.append(state.queued.map(\.0))
            return state.queued
        }
        // A key the loader does not know leaves its slot empty.
        for (key, slot) in queued { if let value = self.load(key) { slot.fill(value) } }
    }
}

/// Counts calls of batch resolvers, by field.
final class CallCounter: Sendable {
    private let calls = Mutex<[String: [Int]]>([:])
    func record(_ field: String, parents: Int) { self.calls.withLock { $0[field, default: []].append(parents) } }
    subscript(field: String) -> [Int] { self.calls.withLock { $0[field] ?? [] } }
}

@Suite("Execute: batch resolvers, one call per field per level")
struct BatchResolverTests {
    static let sdl = """
        type Query { patients: [Patient!]! }
        type Patient { id: Int!, appointments: [Appointment!]!, doctor(style: Style = SHORT): String }
        type Appointment { id: Int!, patient: Patient }
        enum Style { SHORT LONG }
        """

    /// `Patient.appointments` and `Appointment.patient` through `loader`; `doctor` answered inline.
    static func schema(_ loader: SlotLoader, _ counter: CallCounter, sdl: String = sdl) throws -> GraphQLSchema {
        let schema = try buildSchema(sdl)
        schema.type(named: "Patient")!.field("appointments")!.batchResolve = { sources, _, _, batch in
            counter.record("appointments", parents: sources.count)
            for (index, source) in sources.enumerated() {
                guard case .int(let id)? = source["id"] else { batch.fill(index, .list([])); continue }
                loader.enqueue(id, batch.slot(index))
            }
        }
        schema.type(named: "Appointment")!.field("patient")!.batchResolve = { sources, _, _, batch in
            counter.record("patient", parents: sources.count)
            for (index, source) in sources.enumerated() {
                guard case .int(let id)? = source["patientId"] else { batch.fill(index, .null); continue }
                loader.enqueue(1000 + id, batch.slot(index))
            }
        }
        schema.type(named: "Patient")!.field("doctor")!.batchResolve = { sources, arguments, _, batch in
            counter.record("doctor", parents: sources.count)
            for index in sources.indices { batch.fill(index, .string(arguments["style"]?.stringValue == "LONG" ? "Dr. Ada Osei" : "Osei")) }
        }
        return schema
    }

    /// A root value with patients 1...count.
    static func patients(_ count: Int) -> Value {
        ["patients": .list((1...count).map { ["id": .int($0)] })]
    }

    static let loader = { @Sendable (key: Int) -> Value? in
        key >= 1000 ? ["id": .int(key - 1000)] : .list([["id": .int(key * 10), "patientId": .int(key)]])
    }

    @Test("each batched field is resolved once per level for all its parents, values by position")
    func oneCallPerLevel() async throws {
        let loader = SlotLoader(load: Self.loader)
        let counter = CallCounter()
        let root = Self.patients(50)
        let json = try await run(
            try Self.schema(loader, counter), "{ patients { id appointments { id patient { id doctor } } } }", root: root, dispatcher: loader)
        #expect(counter["appointments"] == [50])
        #expect(counter["patient"] == [50])
        #expect(counter["doctor"] == [50])
        #expect(loader.dispatches == [Array(1...50), (1...50).map { 1000 + $0 }])
        for id in [1, 2, 50] {
            #expect(json.contains(#"{"id":\#(id),"appointments":[{"id":\#(id * 10),"patient":{"id":\#(id),"doctor":"Osei"}}]}"#))
        }
    }

    @Test("two selections of one field (aliases, arguments) are two calls, each with its arguments")
    func aliases() async throws {
        let loader = SlotLoader(load: Self.loader)
        let counter = CallCounter()
        let root = Self.patients(3)
        let json = try await run(
            try Self.schema(loader, counter), "{ patients { short: doctor long: doctor(style: LONG) } }", root: root, dispatcher: loader)
        #expect(counter["doctor"] == [3, 3])
        #expect(json == #"{"data":{"patients":[{"short":"Osei","long":"Dr. Ada Osei"},{"short":"Osei","long":"Dr. Ada Osei"},{"short":"Osei","long":"Dr. Ada Osei"}]}}"#)
        // Answered inline: no level waited for a loader.
        #expect(loader.dispatches.isEmpty)
    }

    @Test("a slot no loader filled is an error at that parent's path only")
    func openSlot() async throws {
        // Patient 2's appointments are never loaded.
        let loader = SlotLoader { key in key == 2 ? nil : Self.loader(key) }
        let counter = CallCounter()
        let nullable = Self.sdl.split(separator: "\n").map { $0.contains("type Patient") ? "type Patient { id: Int!, appointments: [Appointment!], doctor: String }" : String($0) }
        let schema = try Self.schema(loader, counter, sdl: nullable.joined(separator: "\n"))
        let root = Self.patients(3)
        let json = try await run(schema, "{ patients { id appointments { id } } }", root: root, dispatcher: loader)
        #expect(json.contains(#"{"id":2,"appointments":null}"#))
        #expect(json.contains(#"{"id":3,"appointments":[{"id":30}]}"#))
        #expect(json.contains(#""message":"The value of field \"appointments\" was never loaded.","locations":[{"line":1,"column":17}],"path":["patients",1,"appointments"]"#))
    }

    @Test("a resolver filling slots outside its batch changes nothing: no trap, every parent keeps its own value")
    func slotsOutsideTheBatch() async throws {
        let loader = SlotLoader(load: Self.loader)
        let counter = CallCounter()
        let schema = try Self.schema(loader, counter)
        schema.type(named: "Patient")!.field("doctor")!.batchResolve = { sources, _, _, batch in
            for index in sources.indices { batch.fill(index, .string("Osei \(index)")) }
            batch.fill(-1, .string("before the first"))
            batch.fill(sources.count, .string("past the last"))
            batch.fail(sources.count + 7, GraphQLError("past the last"))
        }
        let json = try await run(schema, "{ patients { doctor } }", root: Self.patients(3), dispatcher: loader)
        #expect(json == #"{"data":{"patients":[{"doctor":"Osei 0"},{"doctor":"Osei 1"},{"doctor":"Osei 2"}]}}"#)
    }

    @Test("a thrown error fails every parent, each at its own path; a non-null one propagates")
    func thrownError() async throws {
        struct Unavailable: Error, CustomStringConvertible { var description: String { "scheduling is down" } }
        let schema = try buildSchema(Self.sdl)
        schema.type(named: "Patient")!.field("doctor")!.batchResolve = { _, _, _, _ in throw Unavailable() }
        schema.type(named: "Patient")!.field("appointments")!.batchResolve = { _, _, _, _ in throw Unavailable() }
        let root = Self.patients(2)
        let nullable = try await run(schema, "{ patients { id doctor } }", root: root)
        #expect(nullable.contains(#""path":["patients",0,"doctor"]"#))
        #expect(nullable.contains(#""path":["patients",1,"doctor"]"#))
        #expect(nullable.contains(#""data":{"patients":[{"id":1,"doctor":null},{"id":2,"doctor":null}]}"#))
        // `appointments: [Appointment!]!` in `[Patient!]!`: the first error nulls `data`.
        let nonNull = try await run(schema, "{ patients { id appointments { id } } }", root: root)
        #expect(nonNull.contains(#""data":null"#))
        #expect(nonNull.contains(#""message":"scheduling is down""#))
    }

    @Test("a synchronous execution runs batch resolvers that answer at once, level by level")
    func synchronous() throws {
        let loader = SlotLoader(load: Self.loader)
        let counter = CallCounter()
        let schema = try Self.schema(loader, counter)
        let source = Source("{ patients { id doctor(style: LONG) appointments { id } } }")
        let document = try Parser.parse(source)
        let result = executeSync(
            ExecutionRequest(schema: schema, document: document, rootValue: ["patients": [["id": 1], ["id": 2]]], source: source))
        let json = String(decoding: result.jsonBytes(), as: UTF8.self)
        #expect(counter["doctor"] == [2])
        // `appointments` waits for a loader, which a synchronous execution cannot dispatch.
        #expect(json.contains(#""data":null"#))
        #expect(json.contains(#"Field \"appointments\" resolved asynchronously in a synchronous execution."#))
    }
}
