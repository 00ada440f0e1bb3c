import Foundation
import GraphQLEngine

enum WorkloadError: Error { case notAList }

/// The workload on our engine: schema from SDL, resolvers for the root fields and `Appointment.patient`.
struct OurEngine {
    let schema: GraphQLSchema
    /// The workload's data as JSON bytes (the size of a large downstream answer), for the reader's benchmark.
    let dataJSON: [UInt8]

    init(_ workload: Workload) throws {
        self.schema = try buildSchema(workload.schemaSDL)
        // Read as the gateway reads a downstream answer: JSON bytes through our reader, so objects
        // of one kind share a shape (as graphql-js's objects share V8 hidden classes); made whole
        // once, as data kept and served many times is (the gateway's cached entries).
        let json = try JSONSerialization.data(withJSONObject: workload.patients, options: .sortedKeys)
        self.dataJSON = Array(json)
        guard case .list(let patients) = try JSONReader.parse(self.dataJSON).materialized else { throw WorkloadError.notAList }
        var byId: [String: Value] = [:]
        var appointmentsById: [String: Value] = [:]
        for patient in patients {
            byId[patient["id"]!.stringValue!] = patient
            if case .list(let appointments)? = patient["appointments"] {
                for appointment in appointments { appointmentsById[appointment["id"]!.stringValue!] = appointment }
            }
        }
        let query = self.schema.queryType!
        query.field("patient")!.resolve = { [byId] _, arguments, _ in .value(byId[arguments["id"]?.stringValue ?? ""] ?? .null) }
        query.field("patients")!.resolve = { _, arguments, _ in
            guard case .int(let limit)? = arguments["limit"], case .int(let offset)? = arguments["offset"] else { return .value([]) }
            let low = min(max(offset, 0), patients.count)
            let high = min(low + max(limit, 0), patients.count)
            return .value(.list(Array(patients[low..<high])))
        }
        query.field("appointment")!.resolve = { [appointmentsById] _, arguments, _ in
            .value(appointmentsById[arguments["id"]?.stringValue ?? ""] ?? .null)
        }
        self.schema.type(named: "Appointment")!.field("patient")!.resolve = { [byId] source, _, _ in
            .value(byId[source["patientId"]?.stringValue ?? ""] ?? .null)
        }
    }

    func variables(_ document: Workload.Document) -> [String: Value] {
        document.variables.mapValues(toValue)
    }
}

func toValue(_ any: Any) -> Value {
    switch any {
    case let string as String: return .string(string)
    case let bool as Bool: return .bool(bool)
    case let int as Int: return .int(int)
    case let double as Double: return .float(double)
    case let list as [Any]: return .list(list.map(toValue))
    case let object as [String: Any]: return .object(object.mapValues(toValue))
    default: return .null
    }
}
