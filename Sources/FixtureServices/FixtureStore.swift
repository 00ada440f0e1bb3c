import Foundation
import GraphQLEngine
import Synchronization

/// The fixture data (Fixtures/*.json) in memory, indexed for the services' look-ups; POSTs add
/// to it. Shared by the four services of one process.
public final class FixtureStore: Sendable {
    /// One collection: rows in id order, by id, and by patient id.
    struct Collection {
        var rows: [Value] = []
        var byId: [String: Int] = [:]
        var byPatient: [String: [Int]] = [:]

        init(_ rows: [Value]) {
            for row in rows { self.append(row) }
        }

        mutating func append(_ row: Value) {
            let index = self.rows.count
            self.rows.append(row)
            if let id = row["id"]?.stringValue { self.byId[id] = index }
            if let patientId = row["patientId"]?.stringValue { self.byPatient[patientId, default: []].append(index) }
        }

        func find(ids: [String]) -> [Value] { ids.compactMap { self.byId[$0].map { self.rows[$0] } } }

        func find(patientIds: [String]) -> [Value] {
            patientIds.flatMap { (self.byPatient[$0] ?? []).map { self.rows[$0] } }
        }

        var nextId: String { String((self.rows.compactMap { $0["id"]?.stringValue.flatMap(Int.init) }.max() ?? 0) + 1) }
    }

    public static let collectionNames = ["patients", "providers", "appointments", "medications", "lab-orders", "coverage", "claims"]
    private let collections: Mutex<[String: Collection]>
    /// The insurance subgraph's SDL as its authors wrote it (`insurance.graphql`).
    public let insuranceSDL: String

    /// Loads every collection from `directory` (the repository's `Fixtures/`).
    public init(directory: String) throws {
        var collections: [String: Collection] = [:]
        for name in Self.collectionNames {
            let path = (directory as NSString).appendingPathComponent("\(name).json")
            guard let data = FileManager.default.contents(atPath: path) else {
                throw FixtureError("cannot read \(path)")
            }
            guard case .list(let rows) = try JSONReader.parse([UInt8](data)) else { throw FixtureError("\(path): not a JSON list") }
            // Made whole once: the rows are served over and over.
            collections[name] = Collection(rows.map(\.materialized))
        }
        self.collections = Mutex(collections)
        let sdlPath = (directory as NSString).appendingPathComponent("insurance.graphql")
        guard let sdl = FileManager.default.contents(atPath: sdlPath) else { throw FixtureError("cannot read \(sdlPath)") }
        self.insuranceSDL = String(decoding: sdl, as: UTF8.self)
    }

    func withCollection<T>(_ name: String, _ body: (inout Collection) -> T) -> T {
        self.collections.withLock { collections in body(&collections[name, default: Collection([])]) }
    }

    /// Finds `Fixtures/` from the working directory or the executable's location.
    public static func locateDirectory() -> String? {
        var candidates = [FileManager.default.currentDirectoryPath]
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(url.path)
            url.deleteLastPathComponent()
        }
        for candidate in candidates {
            let path = (candidate as NSString).appendingPathComponent("Fixtures")
            if FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("patients.json")) {
                return path
            }
        }
        return nil
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
