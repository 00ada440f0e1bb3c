import Testing

@testable import GraphQLEngine

@Suite("Message style: graphql-js wording by default, graphql-core's on request")
struct MessageStyleTests {
    let schema = try! buildSchema("input Dose { amount: Int! } type Query { patient(id: ID!, dose: Dose): String }")

    private func messages(_ query: String, variables: [String: Value] = [:]) async -> [String] {
        let source = Source(query)
        guard let document = try? Parser.parse(source) else {
            do { _ = try Parser.parse(source) } catch { return [error.graphQLError(in: source).message] }
            return []
        }
        let errors = validate(schema: self.schema, document: document, source: source)
        if !errors.isEmpty { return errors.map(\.message) }
        let result = await execute(ExecutionRequest(schema: self.schema, document: document, variables: variables, source: source))
        return result.errors.map(\.message)
    }

    @Test("names are in double quotes unless graphql-core's style is asked for")
    func quotesNames() async {
        let query = "{ patiant(id: 1) }"
        #expect(await self.messages(query) == [#"Cannot query field "patiant" on type "Query". Did you mean "patient"?"#])
        let core = await MessageStyle.$current.withValue(.graphQLCore) { await self.messages(query) }
        #expect(core == ["Cannot query field 'patiant' on type 'Query'. Did you mean 'patient'?"])
    }

    @Test("syntax errors quote the character the way each library does, the other quote for a quote")
    func quotesCharacters() async {
        let dot = await self.messages("{ a.b }")
        #expect(dot == [#"Syntax Error: Unexpected character: "."."#])
        #expect(await MessageStyle.$current.withValue(.graphQLCore) { await self.messages("{ a.b }") } == ["Syntax Error: Unexpected character: '.'."])
        #expect(await self.messages("{ a\u{0} }") == ["Syntax Error: Unexpected character: U+0000."])
        #expect(await self.messages(#"{ a(x: "\u{110000}") }"#) == [#"Syntax Error: Invalid Unicode escape sequence: "\u{110000}"."#])
    }

    @Test("values in variable errors print as JavaScript or as Python prints them")
    func inspectsValues() async {
        let query = "query ($d: Dose!) { patient(id: 1, dose: $d) }"
        let variables: [String: Value] = ["d": ["amount": .null, "extra": "it's"]]
        let js = await self.messages(query, variables: variables)
        #expect(js == [
            #"Variable "$d" got invalid value null at "d.amount"; Expected non-nullable type "Int!" not to be null."#,
            #"Variable "$d" got invalid value { amount: null, extra: "it's" }; Field "extra" is not defined by type "Dose"."#,
        ])
        let core = await MessageStyle.$current.withValue(.graphQLCore) { await self.messages(query, variables: variables) }
        #expect(core == [
            "Variable '$d' got invalid value None at 'd.amount'; Expected non-nullable type 'Int!' not to be None.",
            #"Variable '$d' got invalid value {'amount': None, 'extra': "it's"}; Field 'extra' is not defined by type 'Dose'."#,
        ])
    }
}
