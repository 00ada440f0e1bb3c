import Testing

@testable import GraphQLEngine

@Suite("Printer")
struct PrinterTests {
    static let documents = [
        """
        query Q($a: Int = 1, $b: [String!]! @d) @live {
          alias: field(arg: {x: [1, 2.5, "s", ENUM, null, true]}, other: $a) @include(if: $b) {
            ...F
            ... on T @skip(if: false) {
              nested
            }
            ... {
              bare
            }
          }
        }

        fragment F on T {
          id
        }
        """,
        """
        {
          a
        }
        """,
        """
        mutation {
          create(input: {name: "x\\n\\"y\\""})
        }
        """,
        """
        "Described"
        type A implements B & C @key {
          f(a: Int = 1, b: [ID!] = ["x"]): [A!]! @deprecated(reason: "old")
        }

        union U = A | D

        enum E {
          ONE
          TWO
        }

        input I @oneOf {
          a: Int
        }

        directive @d(x: Int) repeatable on FIELD | OBJECT

        extend type A {
          g: Int
        }
        """,
    ]

    @Test("prints documents that parse back to the same text", arguments: Self.documents)
    func roundTrips(_ text: String) throws {
        let printed = Printer.print(try Parser.parse(text))
        #expect(printed == text)
        #expect(Printer.print(try Parser.parse(printed)) == printed)
    }

    @Test("wraps long argument lists over several lines")
    func wrapsLongArguments() throws {
        let text = "{ field(argumentNumberOne: \"aaaaaaaaaaaaaaaa\", argumentNumberTwo: \"bbbbbbbbbbbbbbbbbbbbbb\") }"
        let printed = Printer.print(try Parser.parse(text))
        #expect(printed.contains("field(\n    argumentNumberOne"))
        #expect(Printer.print(try Parser.parse(printed)) == printed)
    }
}
