import Foundation
import GraphQLEngine

/// A readable reference of the REST facades (plain HTML, no scripts): each route with its
/// parameters, what it returns, and the envelopes of both versions.
public enum APIReferencePage {
    public static func html(_ gatewaySchema: GatewaySchema) -> String {
        var rows = ""
        for route in gatewaySchema.restRoutes {
            let parameters = (route.pathParameters.map { "<code>{\($0)}</code>" } + route.queryArguments.map { "<code>?\($0.name)</code>" })
                .joined(separator: " ")
            let returns = route.returnsList ? "list of \(route.resultType.name)" : route.resultType.name
            rows += """
                <tr><td><code>\(route.method.rawValue)</code></td><td><code>\(escape(route.path))</code></td>\
                <td>\(escape(route.description ?? ""))</td><td>\(parameters)</td><td>\(escape(returns))</td></tr>\n
                """
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>NileCare REST API reference</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
            table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}
            code{background:#f3f3f3;padding:0 .2rem}</style></head>
            <body><main>
            <h1>NileCare REST API</h1>
            <p>Generated from the GraphQL schema; each route runs as a GraphQL operation. Served at <code>/api/v1</code>
            (deprecated), <code>/api/v2</code>, and <code>/api</code> with <code>X-API-Version: v1|v2</code> (default v1).
            Send <code>Authorization: Bearer &lt;JWT&gt;</code>. OpenAPI: <a href="/openapi/v1.json">v1</a>, <a href="/openapi/v2.json">v2</a>.</p>
            <h2>Routes</h2>
            <table><thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What</th><th scope="col">Parameters</th><th scope="col">Returns</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            <h2>Envelopes</h2>
            <p>v1: <code>{"success": true, "data": …, "count": n}</code>. v2: <code>{"success": true, "data": …, "pagination": {"total", "page", "limit", "pages"}, "meta": {"version", "timestamp"}}</code>;
            v2 pages with <code>?page=&amp;limit=</code> and selects fields with <code>?fields=id,firstName,appointments.date</code>.
            Errors: <code>{"success": false, "error": {"code", "message"}}</code> with 400, 401, 403, 404, 502 or 504. A POST answers 201.</p>
            </main></body></html>
            """
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
