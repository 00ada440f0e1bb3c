import ArgumentParser
import Foundation
import GraphQLEngine

/// `nilecare validate`: checks operation documents against a schema.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate GraphQL operation documents against a schema.",
        discussion: "Exit status: 0 when every document is valid, 1 when one is not, 2 on bad input."
    )

    enum Format: String, ExpressibleByArgument {
        case text, json
    }

    @Option(help: "The schema, as SDL.")
    var schema: String

    @Option(help: "Output format: `text` (file:line:col: message) or `json`.")
    var format: Format = .text

    @OptionGroup var wording: WordingOption

    @ArgumentParser.Argument(help: "Operation documents: .graphql files, or folders of them (searched recursively).")
    var documents: [String]

    func run() throws {
        let schema: GraphQLSchema
        do {
            schema = try FileInput.schema(self.schema)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        var invalid = false
        var jsonErrors: [(file: String, error: GraphQLError)] = []
        let paths = self.documents.flatMap(FileInput.graphQLFiles)
        for path in paths {
            let source: Source
            do {
                source = try FileInput.source(path)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
            let errors = MessageStyle.$current.withValue(self.wording.wording.style) { validateDocument(source, schema: schema) }
            if !errors.isEmpty { invalid = true }
            switch self.format {
            case .text:
                for error in errors { print("\(path):\(error)") }
            case .json:
                jsonErrors += errors.map { (path, $0) }
            }
        }
        if self.format == .json {
            FileInput.printJSON(errorsDocument(jsonErrors.map(\.error)))
        } else if !invalid {
            print("\(paths.count) document(s) valid")
        }
        if invalid { throw ExitCode(1) }
    }
}

/// Parses and validates one document; a syntax error is the only error when parsing fails.
func validateDocument(_ source: Source, schema: GraphQLSchema) -> [GraphQLError] {
    do {
        let document = try Parser.parse(source)
        return validate(schema: schema, document: document, source: source)
    } catch {
        return [error.graphQLError(in: source)]
    }
}
