import Testing

@testable import GraphQLEngine

@Suite("NameTable: a schema's names by position")
struct NameTableTests {
    @Test("every name keeps the position it was added at, through the table's growth; others are absent")
    func positionsSurviveGrowth() {
        let names = (0..<300).map { "field\($0)" } + ["", "é", "a_very_long_name_that_is_not_a_small_string"]
        let table = NameTable(names)
        #expect(table.count == names.count)
        for (position, name) in names.enumerated() { #expect(table.position(of: name) == position) }
        for absent in ["field300", "Field1", "field1 ", "e", "a_very_long_name_that_is_not_a_small_strin"] {
            #expect(table.position(of: absent) == nil)
        }
    }

    @Test("a repeated name keeps its first position and is not added again")
    func repeatedNames() {
        let table = NameTable(["id", "name"])
        #expect(table.insert("id") == (0, false))
        #expect(table.insert("email") == (2, true))
        #expect(table.names == ["id", "name", "email"])
    }

    @Test("a type's fields, input fields and enum values are found by name, a repeated one added once")
    func schemaLookups() throws {
        let schema = try buildSchema(
            """
            type Query { patient(id: ID!): Patient, status: Status, find(filter: Filter): Patient }
            type Patient { id: ID!, firstName: String }
            enum Status { ACTIVE, INACTIVE }
            input Filter { name: String, born: String }
            """)
        let patient = try #require(schema.type(named: "Patient"))
        #expect(patient.field("firstName")?.name == "firstName")
        #expect(patient.field("lastName") == nil)
        #expect(schema.type(named: "Filter")?.inputField("born")?.name == "born")
        #expect(schema.type(named: "Status")?.hasEnumValue("INACTIVE") == true)
        #expect(schema.type(named: "Status")?.hasEnumValue("inactive") == false)
        #expect(schema.type(named: "Nope") == nil)
        let extra = GraphQLField(name: "id", type: .named(patient))
        patient.addField(extra)
        #expect(patient.fields.count == 2 && patient.field("id") !== extra)
    }
}
