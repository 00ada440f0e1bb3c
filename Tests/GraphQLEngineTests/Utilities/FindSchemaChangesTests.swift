import Testing

@testable import GraphQLEngine

@Suite("findSchemaChanges: breaking, dangerous and safe changes")
struct FindSchemaChangesTests {
    @Test("classifies removals, type changes, additions and enum growth as graphql-inspector does")
    func classifies() throws {
        let old = try buildSchema(
            """
            type Query { patient(id: ID!): Patient patients(limit: Int = 20): [Patient] }
            type Patient { id: ID! name: String email: String status: Status }
            enum Status { ACTIVE INACTIVE }
            input PatientInput { name: String! email: String }
            type Mutation { create(input: PatientInput!): Patient }
            """)
        let new = try buildSchema(
            """
            type Query { patient(id: ID!, ward: String!): Patient patients(limit: Int = 50): [Patient] doctors: [String] }
            type Patient { id: ID! name: String! status: Status }
            enum Status { ACTIVE INACTIVE ARCHIVED }
            input PatientInput { name: String email: String! }
            type Mutation { create(input: PatientInput!): Patient }
            """)
        let changes = findSchemaChanges(from: old, to: new)
        let summary = Set(changes.map { "\($0.criticality.rawValue) \($0.type) \($0.path)" })
        #expect(
            summary == [
                "BREAKING FIELD_REMOVED Patient.email",
                "BREAKING REQUIRED_ARG_ADDED Query.patient(ward:)",
                "BREAKING FIELD_CHANGED_KIND PatientInput.email",
                "DANGEROUS ARG_DEFAULT_VALUE_CHANGE Query.patients(limit:)",
                "DANGEROUS VALUE_ADDED_TO_ENUM Status.ARCHIVED",
                "SAFE FIELD_ADDED Query.doctors",
            ])
        #expect(changes.first?.criticality == .breaking)
        #expect(findSchemaChanges(from: old, to: old).isEmpty)
    }
}
