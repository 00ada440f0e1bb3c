import ArgumentParser
import GraphQLEngine

/// `--wording`: whose error-message wording `validate` and `execute` print. These two commands are
/// the engine's differential-test surface, checked against graphql-core 3.2.8, so they default to its
/// wording (single quotes); the server always speaks graphql-js's (double quotes).
struct WordingOption: ParsableArguments {
    enum Wording: String, ExpressibleByArgument, CaseIterable {
        case graphqlCore = "graphql-core"
        case graphqlJS = "graphql-js"

        var style: MessageStyle { self == .graphqlJS ? .graphQLJS : .graphQLCore }
    }

    @Option(help: "Error-message wording: graphql-core (single quotes, the conformance oracle's) or graphql-js (double quotes, the server's).")
    var wording: Wording = .graphqlCore
}
