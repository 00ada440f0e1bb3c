import Synchronization
import Testing

@testable import GraphQLEngine

/// A loader that queues keys while the executor works through a level, then loads them all in
/// one call when dispatched, as the gateway's loaders do.
final class CountingLoader: BatchDispatcher, @unchecked Sendable {
    private let state = Mutex<(queued: [(Int, PendingValue)], batches: [[Int]])>(([], []))
    let load: @Sendable (Int) -> Value

    init(load: @escaping @Sendable (Int) -> Value) {
        self.load = load
    }

    func enqueue(_ key: Int) -> PendingValue {
        let pending = PendingValue()
        self.state.withLock { $0.queued.append((key, pending)) }
        return pending
    }

    var batches: [[Int]] { self.state.withLock { $0.batches } }

    func dispatch() async {
        let queued = self.state.withLock { state in
            let queued = state.queued
            state.queued = []
            state.batches.append(queued.map(\.0))
            return queued
        }
        for (key, pending) in queued { pending.fill(self.load(key)) }
    }
}

@Suite("Execute: batching hook")
struct BatchDispatchTests {
    @Test("every key of a level reaches the loader before one dispatch per level")
    func oneDispatchPerLevel() async throws {
        let schema = try buildSchema(
            """
            type Query { patients: [Patient!]! }
            type Patient { id: Int!, appointments: [Appointment!]! }
            type Appointment { id: Int!, patient: Patient }
            """)
        let loader = CountingLoader { key in
            key >= 1000 ? ["id": .int(key - 1000)] : .list([["id": .int(key * 10), "patientId": .int(key)]])
        }
        schema.type(named: "Patient")!.field("appointments")!.resolve = { source, _, _ in
            guard case .int(let id)? = source["id"] else { return .value(.list([])) }
            return .pending(loader.enqueue(id))
        }
        schema.type(named: "Appointment")!.field("patient")!.resolve = { source, _, _ in
            guard case .int(let id)? = source["patientId"] else { return .value(.null) }
            return .pending(loader.enqueue(1000 + id))
        }
        let root: Value = ["patients": .list((1...50).map { ["id": .int($0)] })]
        let json = try await run(
            schema, "{ patients { id appointments { id patient { id } } } }", root: root, dispatcher: loader)
        #expect(loader.batches.count == 2)
        #expect(loader.batches[0] == Array(1...50))
        #expect(loader.batches[1] == (1...50).map { 1000 + $0 })
        #expect(json.hasPrefix(#"{"data":{"patients":[{"id":1,"appointments":[{"id":10,"patient":{"id":1}}]},"#))
    }

    @Test("a pending value that fails nulls only its field, with the error at its path")
    func failedLoad() async throws {
        let schema = try buildSchema("type Query { items: [Item] } type Item { id: Int, detail: String }")
        struct Unavailable: Error, CustomStringConvertible { var description: String { "downstream unavailable" } }
        schema.type(named: "Item")!.field("detail")!.resolve = { _, _, _ in
            let pending = PendingValue()
            pending.fail(Unavailable())
            return .pending(pending)
        }
        let json = try await run(schema, "{ items { id detail } }", root: ["items": [["id": 1]]])
        #expect(json.contains(#""path":["items",0,"detail"]"#))
        #expect(json.contains(#""data":{"items":[{"id":1,"detail":null}]}"#))
    }
}
