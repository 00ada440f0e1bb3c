import GraphQL
import OrderedCollections

/// Lets `Appointment.patient` refer to `Patient`, which is built after it.
final class TypeBox: @unchecked Sendable {
    var type: GraphQLObjectType?
}

/// The same workload on GraphQLSwift 4.3.0. Its resolvers cannot be attached to an SDL-built
/// schema, so the schema is built in code, field for field the same as `nilecare.graphql`.
struct SwiftGraphQLEngine {
    let schema: GraphQLSchema

    init(_ workload: Workload) throws {
        let patients: [[String: any Sendable]] = workload.patients.map(toSendable) as! [[String: any Sendable]]
        var byId: [String: [String: any Sendable]] = [:]
        var appointmentsById: [String: [String: any Sendable]] = [:]
        for patient in patients {
            byId[patient["id"] as! String] = patient
            for appointment in patient["appointments"] as! [any Sendable] {
                let appointment = appointment as! [String: any Sendable]
                appointmentsById[appointment["id"] as! String] = appointment
            }
        }
        let lookup = byId
        let appointmentLookup = appointmentsById

        let appointmentStatus = try GraphQLEnumType(
            name: "AppointmentStatus",
            values: OrderedDictionary(uniqueKeysWithValues: Workload.appointmentStatus.map { ($0, GraphQLEnumValue(value: .string($0))) }))
        let labOrderStatus = try GraphQLEnumType(
            name: "LabOrderStatus",
            values: OrderedDictionary(uniqueKeysWithValues: Workload.labStatus.map { ($0, GraphQLEnumValue(value: .string($0))) }))
        let medication = try GraphQLObjectType(
            name: "Medication",
            fields: [
                "id": GraphQLField(type: GraphQLNonNull(GraphQLID)),
                "patientId": GraphQLField(type: GraphQLNonNull(GraphQLID)),
                "name": GraphQLField(type: GraphQLNonNull(GraphQLString)),
                "dosage": GraphQLField(type: GraphQLNonNull(GraphQLString)),
                "frequency": GraphQLField(type: GraphQLNonNull(GraphQLString)),
                "startDate": GraphQLField(type: GraphQLNonNull(GraphQLString)),
            ])
        let labOrder = try GraphQLObjectType(
            name: "LabOrder",
            fields: [
                "id": GraphQLField(type: GraphQLNonNull(GraphQLID)),
                "patientId": GraphQLField(type: GraphQLNonNull(GraphQLID)),
                "test": GraphQLField(type: GraphQLNonNull(GraphQLString)),
                "status": GraphQLField(type: GraphQLNonNull(labOrderStatus)),
                "orderedAt": GraphQLField(type: GraphQLNonNull(GraphQLString)),
            ])
        let patientBox = TypeBox()
        let appointment = try GraphQLObjectType(
            name: "Appointment",
            fields: {
                [
                    "id": GraphQLField(type: GraphQLNonNull(GraphQLID)),
                    "patientId": GraphQLField(type: GraphQLNonNull(GraphQLID)),
                    "providerId": GraphQLField(type: GraphQLNonNull(GraphQLID)),
                    "date": GraphQLField(type: GraphQLNonNull(GraphQLString)),
                    "time": GraphQLField(type: GraphQLNonNull(GraphQLString)),
                    "status": GraphQLField(type: GraphQLNonNull(appointmentStatus)),
                    "patient": GraphQLField(
                        type: patientBox.type!,
                        resolve: { source, _, _, _ in lookup[(source as! [String: any Sendable])["patientId"] as! String] }),
                ]
            })
        let patient = try GraphQLObjectType(
            name: "Patient",
            fields: [
                "id": GraphQLField(type: GraphQLNonNull(GraphQLID)),
                "firstName": GraphQLField(type: GraphQLNonNull(GraphQLString)),
                "lastName": GraphQLField(type: GraphQLNonNull(GraphQLString)),
                "email": GraphQLField(type: GraphQLString),
                "dateOfBirth": GraphQLField(type: GraphQLNonNull(GraphQLString)),
                "appointments": GraphQLField(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(appointment)))),
                "medications": GraphQLField(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(medication)))),
                "labOrders": GraphQLField(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(labOrder)))),
            ])
        patientBox.type = patient
        let patientInput = try GraphQLInputObjectType(
            name: "PatientInput",
            fields: [
                "firstName": InputObjectField(type: GraphQLNonNull(GraphQLString)),
                "lastName": InputObjectField(type: GraphQLNonNull(GraphQLString)),
                "email": InputObjectField(type: GraphQLString),
                "dateOfBirth": InputObjectField(type: GraphQLNonNull(GraphQLString)),
            ])
        let appointmentInput = try GraphQLInputObjectType(
            name: "AppointmentInput",
            fields: [
                "patientId": InputObjectField(type: GraphQLNonNull(GraphQLID)),
                "providerId": InputObjectField(type: GraphQLNonNull(GraphQLID)),
                "date": InputObjectField(type: GraphQLNonNull(GraphQLString)),
                "time": InputObjectField(type: GraphQLNonNull(GraphQLString)),
                "status": InputObjectField(type: appointmentStatus, defaultValue: .string("SCHEDULED")),
            ])
        let query = try GraphQLObjectType(
            name: "Query",
            fields: [
                "patient": GraphQLField(
                    type: patient, args: ["id": GraphQLArgument(type: GraphQLNonNull(GraphQLID))],
                    resolve: { _, args, _, _ in lookup[args["id"].string ?? ""] }),
                "patients": GraphQLField(
                    type: GraphQLNonNull(GraphQLList(GraphQLNonNull(patient))),
                    args: [
                        "limit": GraphQLArgument(type: GraphQLInt, defaultValue: .number(20)),
                        "offset": GraphQLArgument(type: GraphQLInt, defaultValue: .number(0)),
                    ],
                    resolve: { _, args, _, _ in
                        let offset = args["offset"].int ?? 0
                        let limit = args["limit"].int ?? 20
                        let low = min(max(offset, 0), patients.count)
                        let high = min(low + max(limit, 0), patients.count)
                        return Array(patients[low..<high])
                    }),
                "appointment": GraphQLField(
                    type: appointment, args: ["id": GraphQLArgument(type: GraphQLNonNull(GraphQLID))],
                    resolve: { _, args, _, _ in appointmentLookup[args["id"].string ?? ""] }),
            ])
        let mutation = try GraphQLObjectType(
            name: "Mutation",
            fields: [
                "createPatient": GraphQLField(
                    type: GraphQLNonNull(patient), args: ["input": GraphQLArgument(type: GraphQLNonNull(patientInput))],
                    resolve: { _, _, _, _ in nil }),
                "createAppointment": GraphQLField(
                    type: GraphQLNonNull(appointment), args: ["input": GraphQLArgument(type: GraphQLNonNull(appointmentInput))],
                    resolve: { _, _, _, _ in nil }),
            ])
        self.schema = try GraphQLSchema(query: query, mutation: mutation, types: [patient, appointment])
    }

    func variables(_ document: Workload.Document) -> [String: Map] {
        document.variables.mapValues(toMap)
    }
}

private func toSendable(_ any: Any) -> any Sendable {
    switch any {
    case let string as String: return string
    case let bool as Bool: return bool
    case let int as Int: return int
    case let list as [Any]: return list.map(toSendable)
    case let object as [String: Any]: return object.mapValues(toSendable) as [String: any Sendable]
    default: return Optional<String>.none
    }
}

private func toMap(_ any: Any) -> Map {
    switch any {
    case let string as String: return .string(string)
    case let bool as Bool: return .bool(bool)
    case let int as Int: return .number(Number(int))
    case let list as [Any]: return .array(list.map(toMap))
    case let object as [String: Any]: return .dictionary(OrderedDictionary(uniqueKeysWithValues: object.map { ($0.key, toMap($0.value)) }))
    default: return .null
    }
}
