import Foundation
import GraphQLEngine

/// `nilecare serve --config FILE`: a JSON object of `serve` options by their long names
/// (`{"port": 4000, "max-depth": 12, "service": ["clinical=http://..."], "watch": true}`). The
/// file's options come first and the command line's after, so a flag given on the command line
/// wins. With `--watch`, a change to the file re-applies its execution settings (limits,
/// introspection, batch size, downstream budget, stale-if-error, request timeout) without a restart.
enum ConfigFile {
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// The file as command-line arguments.
    static func arguments(_ path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Invalid(description: "\(path): cannot read") }
        let value: Value
        do {
            value = try JSONReader.parse([UInt8](data))
        } catch {
            throw Invalid(description: "\(path): not valid JSON (\(error))")
        }
        guard case .object(let options) = value else { throw Invalid(description: "\(path): must be a JSON object of option names") }
        var arguments: [String] = []
        for (name, setting) in options.sorted(by: { $0.key < $1.key }) {
            let flag = "--" + name
            switch setting {
            case .bool(true): arguments.append(flag)
            case .bool(false), .null: continue
            case .list(let items): for item in items { arguments += [flag, Self.text(item)] }
            default: arguments += [flag, Self.text(setting)]
            }
        }
        return arguments
    }

    /// `serve …` with the options of its `--config` file inserted before the command line's.
    static func expand(_ arguments: [String]) throws -> [String] {
        guard arguments.first == "serve", let index = arguments.firstIndex(of: "--config"), index + 1 < arguments.count else {
            if arguments.first == "serve", let path = ProcessInfo.processInfo.environment["NILECARE_CONFIG"] {
                return ["serve"] + (try self.arguments(path)) + Array(arguments.dropFirst())
            }
            return arguments
        }
        return ["serve"] + (try self.arguments(arguments[index + 1])) + Array(arguments.dropFirst())
    }

    private static func text(_ value: Value) -> String {
        switch value {
        case .string(let string): string
        case .int(let int): String(int)
        case .float(let double): String(double)
        case .bool(let bool): String(bool)
        default: value.jsonString
        }
    }
}
