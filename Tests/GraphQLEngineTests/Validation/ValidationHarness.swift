import Testing

@testable import GraphQLEngine

/// The test schema of graphql-js's validation harness (`src/validation/__tests__/harness.ts`), trimmed.
let validationTestSchema: GraphQLSchema = {
    try! buildSchema(
        """
        interface Mammal { mother: Mammal father: Mammal }
        interface Pet { name(surname: Boolean): String }
        interface Canine implements Mammal { name(surname: Boolean): String mother: Canine father: Canine }
        enum DogCommand { SIT HEEL DOWN }
        type Dog implements Pet & Mammal & Canine {
          name(surname: Boolean): String
          nickname: String
          barkVolume: Int
          barks: Boolean
          doesKnowCommand(dogCommand: DogCommand): Boolean
          isHouseTrained(atOtherHomes: Boolean = true): Boolean
          isAtLocation(x: Int, y: Int): Boolean
          mother: Dog
          father: Dog
        }
        type Cat implements Pet { name(surname: Boolean): String nickname: String meows: Boolean furColor: FurColor }
        union CatOrDog = Cat | Dog
        type Human { name(surname: Boolean): String pets: [Pet] relatives: [Human] }
        enum FurColor { BROWN BLACK TAN SPOTTED NO_FUR UNKNOWN }
        input ComplexInput {
          requiredField: Boolean!
          nonNullField: Boolean! = false
          intField: Int
          stringField: String
          booleanField: Boolean
          stringListField: [String]
        }
        input OneOfInput @oneOf { stringField: String intField: Int }
        type ComplicatedArgs {
          intArgField(intArg: Int): String
          nonNullIntArgField(nonNullIntArg: Int!): String
          stringArgField(stringArg: String): String
          booleanArgField(booleanArg: Boolean): String
          enumArgField(enumArg: FurColor): String
          idArgField(idArg: ID): String
          stringListArgField(stringListArg: [String]): String
          complexArgField(complexArg: ComplexInput): String
          oneOfArgField(oneOfArg: OneOfInput): String
          multipleReqs(req1: Int!, req2: Int!): String
        }
        type QueryRoot {
          human(id: ID): Human
          dog: Dog
          cat: Cat
          pet: Pet
          catOrDog: CatOrDog
          complicatedArgs: ComplicatedArgs
        }
        type SubscriptionRoot { importantEmails: [String] notImportantEmails: [String] }
        schema { query: QueryRoot subscription: SubscriptionRoot }
        directive @onField on FIELD
        directive @repeatable repeatable on FIELD
        """)
}()

/// An expected validation error: message and (line, column) locations.
struct ExpectedError: Equatable, CustomStringConvertible {
    let message: String
    let locations: [GraphQLEngine.SourceLocation]

    init(_ message: String, locations: [(Int, Int)]) {
        self.message = message
        self.locations = locations.map { GraphQLEngine.SourceLocation(line: $0.0, column: $0.1) }
    }

    init(_ error: GraphQLError) {
        self.message = error.message
        self.locations = error.locations
    }

    var description: String { "\(self.message) @ \(self.locations)" }
}

/// Validates `query` with only `rule` and compares the errors (as data, in order).
func expectErrors<Rule: ValidationRule>(
    _ rule: @autoclosure () -> Rule, _ query: String, _ expected: [ExpectedError],
    schema: GraphQLSchema = validationTestSchema, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws {
    let source = Source(query)
    let document = try Parser.parse(source)
    let errors = validate(schema: schema, document: document, source: source, rules: [rule()]).map(ExpectedError.init)
    #expect(errors == expected, sourceLocation: sourceLocation)
}

func expectValid<Rule: ValidationRule>(
    _ rule: @autoclosure () -> Rule, _ query: String, schema: GraphQLSchema = validationTestSchema,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws {
    try expectErrors(rule(), query, [], schema: schema, sourceLocation: sourceLocation)
}
