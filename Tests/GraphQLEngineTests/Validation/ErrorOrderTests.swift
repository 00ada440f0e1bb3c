import Testing

@testable import GraphQLEngine

@Suite("Validate: errors in graphql-js's order")
struct ErrorOrderTests {
    private func messages(_ query: String, style: MessageStyle = .graphQLJS) throws -> [String] {
        let source = Source(query)
        let document = try Parser.parse(source)
        return MessageStyle.$current.withValue(style) {
            validate(schema: validationTestSchema, document: document, source: source).map(\.message)
        }
    }

    @Test("rules that need the whole document report where graphql-js's walk does: cycles on entering the fragment, variables on leaving the operation, unused fragments at the end")
    func wholeDocumentRules() throws {
        let query = """
            query Foo($unused: Int) { dog { ...A name(surname: $undefined) } }
            fragment A on Dog { ...B nope }
            fragment B on Dog { ...A }
            fragment C on Dog { name }
            query Bar { dog { name(surname: $alsoUndefined) } }
            """
        #expect(
            try self.messages(query) == [
                #"Variable "$undefined" is not defined by operation "Foo"."#,
                #"Variable "$unused" is never used in operation "Foo"."#,
                #"Cannot spread fragment "A" within itself via "B"."#,
                #"Cannot query field "nope" on type "Dog". Did you mean "name"?"#,
                #"Variable "$alsoUndefined" is not defined by operation "Bar"."#,
                #"Fragment "C" is never used."#,
            ])
    }

    @Test("repeated directives are reported on entering their node, before what is inside it")
    func directivesBeforeChildren() throws {
        #expect(
            try self.messages("fragment F on Nope @onField @onField { name } { dog { ...F } }") == [
                #"The directive "@onField" can only be used once at this location."#,
                #"Unknown type "Nope"."#,
                #"Directive "@onField" may not be used on FRAGMENT_DEFINITION."#,
                #"Directive "@onField" may not be used on FRAGMENT_DEFINITION."#,
            ])
        #expect(
            try self.messages("{ dog { isAtLocation(x: \"a\") @onField @onField } }") == [
                #"The directive "@onField" can only be used once at this location."#, #"Int cannot represent non-integer value: "a""#,
            ])
    }

    @Test("wording: a directive location as each implementation names it; a string for an enum suggests the value it names")
    func wording() throws {
        #expect(
            try self.messages("query ($v: Boolean @onField) { dog { name(surname: $v) } }", style: .graphQLCore)
                == ["Directive '@onField' may not be used on variable definition."])
        #expect(
            try self.messages("query ($v: Boolean @onField) { dog { name(surname: $v) } }")
                == [#"Directive "@onField" may not be used on VARIABLE_DEFINITION."#])
        #expect(
            try self.messages(#"{ dog { doesKnowCommand(dogCommand: "SIT") } }"#)
                == [#"Enum "DogCommand" cannot represent non-enum value: "SIT". Did you mean the enum value "SIT"?"#])
    }
}
