import Testing

@testable import GraphQLEngine

@Suite("Validate: Values of correct type")
struct ValuesOfCorrectTypeRuleTests {
    @Test("good values of every kind")
    func valid() throws {
        try expectValid(
            ValuesOfCorrectTypeRule(),
            """
            { complicatedArgs {
              intArgField(intArg: 2) stringArgField(stringArg: "s") enumArgField(enumArg: BROWN) idArgField(idArg: 1)
              stringListArgField(stringListArg: "single") complexArgField(complexArg: { requiredField: true })
              oneOfArgField(oneOfArg: { intField: 1 })
            } }
            """)
    }

    @Test("bad scalars, enums, missing required input fields, unknown fields, OneOf")
    func invalid() throws {
        try expectErrors(
            ValuesOfCorrectTypeRule(), "{ complicatedArgs { intArgField(intArg: \"3\") } }",
            [.init("Int cannot represent non-integer value: \"3\"", locations: [(1, 41)])])
        try expectErrors(
            ValuesOfCorrectTypeRule(), "{ complicatedArgs { intArgField(intArg: 3000000000) } }",
            [.init("Int cannot represent non 32-bit signed integer value: 3000000000", locations: [(1, 41)])])
        try expectErrors(
            ValuesOfCorrectTypeRule(), "{ complicatedArgs { enumArgField(enumArg: brown) } }",
            [.init("Value \"brown\" does not exist in \"FurColor\" enum. Did you mean the enum value \"BROWN\"?", locations: [(1, 43)])])
        try expectErrors(
            ValuesOfCorrectTypeRule(), "{ complicatedArgs { complexArgField(complexArg: { requiredField: true, intFeild: 1 }) } }",
            [.init("Field \"intFeild\" is not defined by type \"ComplexInput\". Did you mean \"intField\"?", locations: [(1, 72)])])
        try expectErrors(
            ValuesOfCorrectTypeRule(), "{ complicatedArgs { enumArgField(enumArg: PURPLE) } }",
            [.init("Value \"PURPLE\" does not exist in \"FurColor\" enum.", locations: [(1, 43)])])
        try expectErrors(
            ValuesOfCorrectTypeRule(), "{ complicatedArgs { complexArgField(complexArg: { intField: 4, bad: 1 }) } }",
            [
                .init("Field \"ComplexInput.requiredField\" of required type \"Boolean!\" was not provided.", locations: [(1, 49)]),
                .init("Field \"bad\" is not defined by type \"ComplexInput\".", locations: [(1, 64)]),
            ])
        try expectErrors(
            ValuesOfCorrectTypeRule(), "{ complicatedArgs { oneOfArgField(oneOfArg: { stringField: \"a\", intField: 1 }) } }",
            [.init("OneOf Input Object \"OneOfInput\" must specify exactly one key.", locations: [(1, 45)])])
        try expectErrors(
            ValuesOfCorrectTypeRule(), "{ complicatedArgs { nonNullIntArgField(nonNullIntArg: null) } }",
            [.init("Expected value of type \"Int!\", found null.", locations: [(1, 55)])])
        // A OneOf field given a variable: only a variable declared non-null may be (locations as
        // graphql-core 3.2 reports them).
        try expectValid(
            ValuesOfCorrectTypeRule(), "query ($v: String!) { complicatedArgs { oneOfArgField(oneOfArg: { stringField: $v }) } }")
        try expectErrors(
            ValuesOfCorrectTypeRule(), "query ($v: String, $w: String!) { complicatedArgs { oneOfArgField(oneOfArg: { stringField: $v }) } }",
            [.init("Variable \"v\" must be non-nullable to be used for OneOf Input Object \"OneOfInput\".", locations: [(1, 77)])])
    }
}
