import Foundation

/// The schema explorer: a page, its styles and four scripts (`Explorer/Assets`, compiled into the
/// binary: nothing is fetched from anywhere but the gateway). `graphql-language.js` knows GraphQL
/// (lexing, context, completion, prettifying), `editor.js` the editor, `docs.js` the documentation
/// pane and `explorer.js` the rest of the page.
enum ExplorerPage {
    /// The page, offering `tokens` (label, token) as development tokens.
    static func html(tokens: [(label: String, token: String)]) -> String {
        let options = tokens.map { #"<option value="\#(escapeHTML($0.token))">\#(escapeHTML($0.label))</option>"# }.joined()
        return page.replacingOccurrences(of: "<!--TOKENS-->", with: options)
    }

    /// A file of the page by its name under `/explorer/assets/`, with its media type.
    static func asset(named name: String) -> (bytes: [UInt8], contentType: String)? {
        switch name {
        case "explorer.css": (PackageResources.explorer_css, "text/css; charset=utf-8")
        case "graphql-language.js": (PackageResources.graphql_language_js, "text/javascript; charset=utf-8")
        case "editor.js": (PackageResources.editor_js, "text/javascript; charset=utf-8")
        case "docs.js": (PackageResources.docs_js, "text/javascript; charset=utf-8")
        case "explorer.js": (PackageResources.explorer_js, "text/javascript; charset=utf-8")
        default: nil
        }
    }

    /// What the page may load and reach: the gateway only (no inline script, no other origin).
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    private static let page = String(decoding: PackageResources.explorer_html, as: UTF8.self)

    private static func escapeHTML(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
