import Foundation

/// The schema explorer: one self-contained page (HTML, CSS and JavaScript, no CDN, no build step)
/// that reads the schema by introspection, lets a developer browse types, fields, arguments,
/// descriptions and deprecations, and run a query with variables and headers, showing the result
/// and the receipt of what it cost downstream.
enum ExplorerPage {
    /// - Parameter tokens: ready-made bearer tokens offered in development (label, token).
    static func html(tokens: [(label: String, token: String)]) -> String {
        let options = tokens.map { #"<option value="\#($0.token)">\#($0.label)</option>"# }.joined()
        return head + body.replacingOccurrences(of: "<!--TOKENS-->", with: options) + script
    }

    private static let head = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>NileCare schema explorer</title>
        <style>
        :root { --line: #c8ccd2; --muted: #55606e; --accent: #0b5cad; --bad: #a3261b; font: 15px/1.45 system-ui, sans-serif; color: #15191e; }
        body { margin: 0; display: grid; grid-template-rows: auto 1fr; height: 100vh; }
        header { display: flex; gap: 1rem; align-items: center; padding: .5rem 1rem; border-bottom: 1px solid var(--line); }
        header h1 { font-size: 1.1rem; margin: 0; }
        main { display: grid; grid-template-columns: minmax(14rem, 22%) 1fr 1fr; min-height: 0; }
        section { padding: .75rem 1rem; overflow: auto; border-right: 1px solid var(--line); min-height: 0; }
        h2 { font-size: 1rem; margin: .2rem 0 .5rem; }
        ul { list-style: none; padding: 0; margin: 0; }
        li button.type { background: none; border: 0; padding: .15rem .2rem; color: var(--accent); cursor: pointer; font: inherit; text-align: left; }
        li button.type:focus-visible, button:focus-visible, textarea:focus-visible, select:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
        .field { border-top: 1px solid #eceef1; padding: .35rem 0; }
        .field code { font-weight: 600; }
        .muted { color: var(--muted); font-size: .9em; }
        .deprecated { color: var(--bad); }
        label { display: block; font-weight: 600; margin: .5rem 0 .2rem; }
        textarea { width: 100%; box-sizing: border-box; font: 13px/1.4 ui-monospace, monospace; border: 1px solid var(--line); border-radius: 4px; padding: .4rem; }
        #query { height: 14rem; } #variables, #headers { height: 5rem; }
        button.run { margin-top: .6rem; background: var(--accent); color: white; border: 0; border-radius: 4px; padding: .45rem 1.2rem; font: inherit; cursor: pointer; }
        pre { background: #f6f7f9; border: 1px solid var(--line); border-radius: 4px; padding: .5rem; white-space: pre-wrap; word-break: break-word; font: 13px/1.4 ui-monospace, monospace; }
        </style>
        </head>
        """

    private static let body = """
        <body>
        <header><h1>NileCare schema explorer</h1><span class="muted" id="status" role="status">Loading the schema…</span></header>
        <main>
        <section aria-labelledby="types-title"><h2 id="types-title">Types</h2><ul id="types"></ul></section>
        <section aria-labelledby="type-title"><h2 id="type-title">Pick a type</h2><div id="type-detail"></div>
          <h2>Query</h2>
          <form id="run-form">
            <label for="query">Query</label>
            <textarea id="query" spellcheck="false">{\n  patients(limit: 3) {\n    id\n    firstName\n    appointments { date status }\n  }\n}</textarea>
            <label for="variables">Variables (JSON)</label>
            <textarea id="variables" spellcheck="false">{}</textarea>
            <label for="token">Token</label>
            <select id="token"><option value="">none</option><!--TOKENS--></select>
            <label for="headers">Headers (JSON)</label>
            <textarea id="headers" spellcheck="false">{}</textarea>
            <button class="run" type="submit" id="run">Run</button>
          </form>
        </section>
        <section aria-labelledby="result-title" aria-live="polite"><h2 id="result-title">Result</h2><pre id="result">Run a query to see its result.</pre>
          <h2>Receipt</h2><pre id="receipt">What the query cost downstream appears here.</pre></section>
        </main>
        """

    private static let script = """
        <script>
        const $ = (id) => document.getElementById(id);
        const typeRef = (t) => t.kind === "NON_NULL" ? typeRef(t.ofType) + "!" : t.kind === "LIST" ? "[" + typeRef(t.ofType) + "]" : t.name;
        const named = (t) => t.ofType ? named(t.ofType) : t.name;
        const text = (s) => { const span = document.createElement("span"); span.textContent = s; return span; };
        const introspection = `{ __schema { types { name kind description
          fields(includeDeprecated: true) { name description isDeprecated deprecationReason type { ...T } args { name description type { ...T } defaultValue } }
          inputFields { name description type { ...T } } enumValues(includeDeprecated: true) { name description isDeprecated } } } }
          fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;
        let types = {};
        function headers() {
          const extra = JSON.parse($("headers").value || "{}");
          const result = { "Content-Type": "application/json", "Accept": "application/graphql-response+json, application/json", "X-NileCare-Receipt": "1", ...extra };
          if ($("token").value) result["Authorization"] = "Bearer " + $("token").value;
          return result;
        }
        function showType(name) {
          const type = types[name];
          $("type-title").textContent = type.name + " (" + type.kind.toLowerCase().replace("_", " ") + ")";
          const detail = $("type-detail");
          detail.replaceChildren();
          if (type.description) detail.appendChild(Object.assign(document.createElement("p"), { textContent: type.description }));
          for (const field of (type.fields || type.inputFields || [])) {
            const row = document.createElement("div");
            row.className = "field";
            const code = document.createElement("code");
            const args = (field.args || []).map((a) => a.name + ": " + typeRef(a.type) + (a.defaultValue ? " = " + a.defaultValue : "")).join(", ");
            code.textContent = field.name + (args ? "(" + args + ")" : "") + ": ";
            row.appendChild(code);
            const link = Object.assign(document.createElement("button"), { className: "type", type: "button", textContent: typeRef(field.type) });
            link.addEventListener("click", () => showType(named(field.type)));
            row.appendChild(link);
            if (field.isDeprecated) row.appendChild(Object.assign(text(" deprecated: " + (field.deprecationReason || "")), { className: "deprecated" }));
            if (field.description) row.appendChild(Object.assign(document.createElement("div"), { className: "muted", textContent: field.description }));
            detail.appendChild(row);
          }
          for (const value of (type.enumValues || [])) {
            const row = Object.assign(document.createElement("div"), { className: "field" });
            row.appendChild(Object.assign(document.createElement("code"), { textContent: value.name }));
            if (value.isDeprecated) row.appendChild(Object.assign(text(" deprecated"), { className: "deprecated" }));
            if (value.description) row.appendChild(Object.assign(document.createElement("div"), { className: "muted", textContent: value.description }));
            detail.appendChild(row);
          }
        }
        async function loadSchema() {
          try {
            const response = await fetch("/graphql", { method: "POST", headers: headers(), body: JSON.stringify({ query: introspection }) });
            const body = await response.json();
            if (!body.data) throw new Error((body.errors || [{ message: "no schema" }])[0].message);
            types = {};
            const list = $("types");
            list.replaceChildren();
            for (const type of body.data.__schema.types.filter((t) => !t.name.startsWith("__")).sort((a, b) => a.name.localeCompare(b.name))) {
              types[type.name] = type;
              const item = document.createElement("li");
              const button = Object.assign(document.createElement("button"), { className: "type", type: "button", textContent: type.name });
              button.addEventListener("click", () => showType(type.name));
              item.appendChild(button);
              list.appendChild(item);
            }
            $("status").textContent = Object.keys(types).length + " types";
          } catch (error) {
            $("status").textContent = "Schema unavailable: " + error.message;
          }
        }
        $("run-form").addEventListener("submit", async (event) => {
          event.preventDefault();
          $("result").textContent = "Running…";
          try {
            const payload = { query: $("query").value, variables: JSON.parse($("variables").value || "{}") };
            const response = await fetch("/graphql", { method: "POST", headers: headers(), body: JSON.stringify(payload) });
            const body = await response.json();
            $("result").textContent = "HTTP " + response.status + "\\n" + JSON.stringify({ data: body.data, errors: body.errors }, null, 2);
            $("receipt").textContent = JSON.stringify((body.extensions || {}).receipt || {}, null, 2);
          } catch (error) {
            $("result").textContent = "Could not run the query: " + error.message;
          }
        });
        loadSchema();
        </script>
        </body>
        </html>
        """
}
