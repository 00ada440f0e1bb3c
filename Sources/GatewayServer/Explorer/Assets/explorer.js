// The explorer page: loads the schema by introspection, wires the editor, the documentation,
// live validation (POST /explorer/validate), running queries, tabs and history (kept in the
// browser's localStorage), the result tree with its errors, the receipt, and copy as curl.
"use strict";
(function () {
  const L = window.NileGraphQL;
  const $ = (id) => document.getElementById(id);
  const TABS_KEY = "nilecare.explorer.tabs";
  const HISTORY_KEY = "nilecare.explorer.history";
  const HISTORY_LIMIT = 50;
  const DEFAULT_QUERY = "{\n  patients(limit: 3) {\n    id\n    firstName\n    appointments {\n      date\n      status\n    }\n  }\n}\n";
  const INTROSPECTION = `query ExplorerSchema { __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { name kind description
      fields(includeDeprecated: true) { name description isDeprecated deprecationReason type { ...T } args { name description type { ...T } defaultValue } }
      inputFields { name description type { ...T } defaultValue }
      interfaces { name } possibleTypes { name }
      enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } }
    directives { name description locations args { name description type { ...T } defaultValue } } } }
    fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;

  let schema = null;
  const load = (key, fallback) => { try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch { return fallback; } };
  const save = (key, value) => { try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* storage full or off: keep working */ } };

  // ---- tabs
  let tabs = load(TABS_KEY, null);
  if (!tabs || !Array.isArray(tabs.list) || !tabs.list.length) {
    tabs = { active: 0, list: [{ name: "Patients", query: DEFAULT_QUERY, variables: "{}", headers: "{}" }] };
  }
  tabs.active = Math.min(Math.max(0, tabs.active | 0), tabs.list.length - 1);
  const current = () => tabs.list[tabs.active];
  const saveTabs = () => save(TABS_KEY, tabs);

  const editor = new window.NileEditor($("query-editor"), {
    label: "Query",
    schema: () => schema,
    onChange: (text) => { current().query = text; saveTabs(); scheduleValidation(); },
  });
  const docs = new window.NileDocs();

  function showTab(index) {
    tabs.active = index;
    const tab = current();
    editor.value = tab.query;
    $("variables").value = tab.variables;
    $("headers").value = tab.headers;
    $("tab-name").value = tab.name;
    checkJSON("variables"); checkJSON("headers");
    renderTabs();
    saveTabs();
    scheduleValidation();
  }

  function renderTabs() {
    const buttons = tabs.list.map((tab, index) => {
      const button = Object.assign(document.createElement("button"), { type: "button", textContent: tab.name || "Untitled" });
      button.setAttribute("role", "tab");
      button.setAttribute("aria-selected", String(index === tabs.active));
      button.addEventListener("click", () => showTab(index));
      return button;
    });
    const add = Object.assign(document.createElement("button"), { type: "button", textContent: "+", title: "New tab", id: "new-tab" });
    add.addEventListener("click", () => { tabs.list.push({ name: "Tab " + (tabs.list.length + 1), query: "{\n  \n}\n", variables: "{}", headers: "{}" }); showTab(tabs.list.length - 1); editor.focus(); });
    const close = Object.assign(document.createElement("button"), { type: "button", textContent: "×", title: "Close this tab", className: "close", id: "close-tab" });
    close.addEventListener("click", () => {
      if (tabs.list.length === 1) return;
      tabs.list.splice(tabs.active, 1);
      showTab(Math.max(0, tabs.active - 1));
    });
    $("tabs").replaceChildren(...buttons, add, close);
  }

  $("tab-name").addEventListener("input", () => { current().name = $("tab-name").value; renderTabs(); saveTabs(); });

  // ---- JSON editors
  function checkJSON(id) {
    const area = $(id);
    try {
      const value = area.value.trim() ? JSON.parse(area.value) : {};
      if (typeof value !== "object" || Array.isArray(value) || value === null) throw new Error("expected a JSON object");
      area.removeAttribute("aria-invalid");
      $(id + "-error").textContent = "";
      return value;
    } catch (error) {
      area.setAttribute("aria-invalid", "true");
      $(id + "-error").textContent = (id === "variables" ? "Variables: " : "Headers: ") + error.message;
      return null;
    }
  }
  for (const id of ["variables", "headers"]) {
    $(id).addEventListener("input", () => { current()[id] = $(id).value; saveTabs(); checkJSON(id); });
  }

  /** Queries with `@defer` or `@stream` ask for the response in parts. */
  const INCREMENTAL = /@(defer|stream)\b/;

  /** Subscriptions stream their events over GraphQL over SSE. */
  const SUBSCRIPTION = /^\s*subscription\b/m;
  /** The running subscription's stream (running another query ends it). */
  let activeStream = null;

  function requestHeaders(incremental, eventStream) {
    const extra = checkJSON("headers") || {};
    const accept = eventStream ? "text/event-stream" : (incremental ? "multipart/mixed, " : "") + "application/graphql-response+json, application/json";
    const headers = { "Content-Type": "application/json", "Accept": accept, "X-NileCare-Receipt": "1" };
    if ($("token").value) headers["Authorization"] = "Bearer " + $("token").value;
    for (const [name, value] of Object.entries(extra)) headers[name] = String(value);
    return headers;
  }

  // ---- schema
  async function loadSchema() {
    try {
      const response = await fetch("/graphql", { method: "POST", headers: requestHeaders(), body: JSON.stringify({ query: INTROSPECTION, operationName: "ExplorerSchema" }) });
      const body = await response.json();
      if (!body.data) throw new Error((body.errors || [{ message: "no schema" }])[0].message);
      const raw = body.data.__schema;
      const types = {};
      for (const type of raw.types) types[type.name] = type;
      schema = {
        types,
        directives: raw.directives || [],
        queryType: raw.queryType && raw.queryType.name,
        mutationType: raw.mutationType && raw.mutationType.name,
        subscriptionType: raw.subscriptionType && raw.subscriptionType.name,
      };
      docs.setSchema(schema);
      editor.render();
      $("status").textContent = Object.keys(types).filter((n) => !n.startsWith("__")).length + " types";
    } catch (error) {
      $("status").textContent = "Schema unavailable: " + error.message;
    }
  }

  // ---- validation as you type, by the gateway's own validator
  let validationTimer = null;
  let validationSerial = 0;
  function scheduleValidation() {
    clearTimeout(validationTimer);
    validationTimer = setTimeout(validateNow, 250);
  }
  async function validateNow() {
    const serial = ++validationSerial;
    const query = editor.value;
    try {
      const response = await fetch("/explorer/validate", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ query }) });
      const body = await response.json();
      if (serial !== validationSerial) return; // a newer text is being checked
      showDiagnostics(body.errors || []);
    } catch (error) {
      if (serial === validationSerial) $("diagnostics").replaceChildren(item("Could not validate: " + error.message));
    }
  }
  function item(text) { return Object.assign(document.createElement("li"), { textContent: text }); }
  function showDiagnostics(errors) {
    const diagnostics = [];
    const rows = [];
    for (const error of errors) {
      const where = (error.locations || [])[0];
      if (where) diagnostics.push({ message: error.message, line: where.line, column: where.column });
      const row = item((where ? `${where.line}:${where.column} ` : "") + error.message);
      if (where) row.addEventListener("click", () => editor.moveTo(where.line, where.column));
      rows.push(row);
    }
    editor.setDiagnostics(diagnostics);
    $("diagnostics").replaceChildren(...rows);
  }

  // ---- running
  /** The operation under the cursor when the document has several. */
  function operationName(text) {
    const tokens = L.lex(text);
    const operations = [];
    let depth = 0;
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      if (t.value === "{") depth++;
      else if (t.value === "}") depth--;
      else if (depth === 0 && /^(query|mutation|subscription)$/.test(t.value) && tokens[k + 1] && tokens[k + 1].type === "name") operations.push({ name: tokens[k + 1].value, start: t.start });
    }
    if (operations.length < 2) return undefined;
    const cursor = editor.input.selectionStart;
    const before = operations.filter((o) => o.start <= cursor);
    return (before.length ? before[before.length - 1] : operations[0]).name;
  }

  async function run() {
    const variables = checkJSON("variables");
    const headers = checkJSON("headers");
    if (!variables || !headers) { $("result-status").textContent = "Fix the JSON above before running."; return; }
    const query = editor.value;
    const payload = { query, variables };
    const name = operationName(query);
    if (name) payload.operationName = name;
    $("result-status").textContent = "Running…";
    const started = performance.now();
    const named = query.match(/^\s*(?:query|mutation|subscription)\s+([A-Za-z_][A-Za-z0-9_]*)/);
    const entry = { at: new Date().toISOString(), tab: current().name, query, variables: $("variables").value, operationName: name || (named && named[1]) || null, status: "failed" };
    $("parts").replaceChildren();
    if (activeStream) { activeStream.abort(); activeStream = null; }
    const subscribing = SUBSCRIPTION.test(query);
    const controller = new AbortController();
    if (subscribing) activeStream = controller;
    try {
      const response = await fetch("/graphql", {
        method: "POST", headers: requestHeaders(INCREMENTAL.test(query), subscribing), body: JSON.stringify(payload), signal: controller.signal });
      if ((response.headers.get("content-type") || "").startsWith("text/event-stream")) {
        entry.status = String(response.status);
        addHistory(entry);
        await readEvents(response, controller);
        return;
      }
      if ((response.headers.get("content-type") || "").startsWith("multipart/mixed")) {
        await readParts(response, started);
        entry.status = String(response.status);
        addHistory(entry);
        return;
      }
      const text = await response.text();
      let body;
      try { body = JSON.parse(text); } catch { body = { errors: [{ message: text.slice(0, 500) }] }; }
      const took = Math.round(performance.now() - started);
      $("result-status").textContent = `HTTP ${response.status} · ${took} ms` + (body.errors ? ` · ${body.errors.length} error(s)` : "");
      entry.status = String(response.status);
      showResult(body);
      $("receipt").textContent = JSON.stringify((body.extensions || {}).receipt || {}, null, 2);
    } catch (error) {
      if (error.name === "AbortError") return;
      $("result-status").textContent = "Could not run the query: " + error.message;
    }
    addHistory(entry);
  }

  /** Reads a GraphQL over SSE stream: each `next` event is shown as the result and listed (newest
   *  first, with its time) under the status line, until `complete` or another run ends it. */
  async function readEvents(response, controller) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const log = [];
    let buffer = "";
    const status = (state) => {
      $("result-status").textContent = `HTTP ${response.status} · subscription ${state} · ${log.length} event(s)`;
    };
    status("open, waiting for events");
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (value) buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split("\n");
          const event = (lines.find((line) => line.startsWith("event:")) || "").slice(6).trim();
          const data = lines.filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trimStart()).join("\n");
          if (event === "next" && data) {
            const body = JSON.parse(data);
            const summary = body.errors ? `${body.errors.length} error(s): ${body.errors[0].message}` : JSON.stringify(body.data).slice(0, 120);
            log.unshift(`${new Date().toLocaleTimeString()} · ${summary}`);
            $("parts").replaceChildren(...log.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
            showResult(body);
            status("open");
          } else if (event === "complete") {
            status("ended");
            return;
          }
        }
        if (done) break;
      }
      status("ended");
    } catch (error) {
      if (error.name !== "AbortError") $("result-status").textContent = "The subscription stopped: " + error.message;
    } finally {
      if (activeStream === controller) activeStream = null;
    }
  }

  /** Reads a multipart/mixed response (incremental delivery) part by part: each part is merged into
   *  the result shown as it arrives, and listed (its label and path) under the status line. Both
   *  shapes: graphql-js's (`pending`, `incremental` by id, `completed`) and Apollo's (`path` on each). */
  async function readParts(response, started) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const merged = { data: null, errors: [] };
    const pending = new Map();
    const log = [];
    let buffer = "";
    let hasNext = true;
    const at = (path) => path.reduce((value, key) => (value == null ? undefined : value[key]), merged.data);
    const apply = (part) => {
      if ("data" in part) { merged.data = part.data; log.push("initial part"); }
      merged.errors.push(...(part.errors || []));
      for (const entry of part.pending || []) pending.set(entry.id, entry);
      for (const entry of part.incremental || []) {
        const announced = pending.get(entry.id) || {};
        const path = entry.path || announced.path || [];
        const label = entry.label || announced.label;
        if (entry.items) {
          const list = at(entry.path ? path.slice(0, -1) : path);
          if (Array.isArray(list)) list.push(...entry.items);
          log.push(`${label || "stream"} · ${entry.items.length} item(s) at ${path.join(".")}`);
        } else {
          const target = at(path);
          if (target && typeof target === "object" && entry.data) Object.assign(target, entry.data);
          log.push(`${label || "deferred"} at ${path.join(".") || "(root)"}`);
        }
        merged.errors.push(...(entry.errors || []));
      }
      for (const entry of part.completed || []) merged.errors.push(...(entry.errors || []));
      if ("hasNext" in part) hasNext = part.hasNext;
      const took = Math.round(performance.now() - started);
      $("result-status").textContent = `HTTP ${response.status} · ${log.length} part(s)${hasNext ? ", more to come" : ", complete"} · ${took} ms`
        + (merged.errors.length ? ` · ${merged.errors.length} error(s)` : "");
      $("parts").replaceChildren(...log.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
      showResult(merged.errors.length ? merged : { data: merged.data });
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buffer += decoder.decode(value, { stream: true });
      // A part is complete once the next delimiter ("\r\n---", or the closing "\r\n-----") has arrived.
      for (;;) {
        const start = buffer.indexOf("\r\n---");
        const end = start < 0 ? -1 : buffer.indexOf("\r\n---", start + 5);
        if (end < 0) break;
        const piece = buffer.slice(start + 5, end);
        buffer = buffer.slice(end);
        const body = piece.indexOf("\r\n\r\n");
        if (body >= 0) {
          try { apply(JSON.parse(piece.slice(body + 4))); } catch { merged.errors.push({ message: "A part could not be read." }); }
        }
      }
      if (done) break;
    }
  }

  function showResult(body) {
    const errors = body.errors || [];
    const paths = new Set(errors.filter((e) => e.path).map((e) => e.path.join(".")));
    $("errors").replaceChildren(...errors.map((error) => {
      const li = document.createElement("li");
      li.className = "error";
      li.append(Object.assign(document.createElement("div"), { textContent: error.message }));
      const where = [];
      if (error.path) where.push("path " + error.path.join("."));
      if (error.locations) where.push(error.locations.map((l) => `${l.line}:${l.column}`).join(", "));
      if (error.extensions && error.extensions.code) where.push(error.extensions.code);
      if (where.length) li.append(Object.assign(document.createElement("code"), { textContent: where.join(" · ") }));
      return li;
    }));
    const result = $("result");
    result.replaceChildren();
    if ("data" in body) result.append(tree("data", body.data, [], paths));
  }

  /** A JSON value as collapsible nodes; nodes at an error's path are marked. */
  function tree(key, value, path, errorPaths) {
    const label = key === null ? "" : JSON.stringify(key) + ": ";
    const marked = errorPaths.has(path.join("."));
    if (value !== null && typeof value === "object") {
      const details = document.createElement("details");
      details.open = true;
      if (marked) details.classList.add("at-error");
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
      const summary = Object.assign(document.createElement("summary"), { textContent: label + (Array.isArray(value) ? `[${value.length}]` : `{${entries.length}}`) });
      details.append(summary);
      for (const [k, v] of entries) details.append(tree(Array.isArray(value) ? null : k, v, path.concat([k]), errorPaths));
      return details;
    }
    const leaf = Object.assign(document.createElement("div"), { className: "leaf" + (marked ? " at-error" : "") });
    leaf.append(label);
    const kind = value === null ? "null" : typeof value === "boolean" ? "bool" : typeof value;
    leaf.append(Object.assign(document.createElement("span"), { className: "json-" + kind, textContent: JSON.stringify(value) }));
    return leaf;
  }

  // ---- history
  function addHistory(entry) {
    const history = load(HISTORY_KEY, []);
    history.unshift(entry);
    save(HISTORY_KEY, history.slice(0, HISTORY_LIMIT));
    renderHistory();
  }
  function renderHistory() {
    const history = load(HISTORY_KEY, []);
    $("history").replaceChildren(...history.map((entry) => {
      const li = document.createElement("li");
      const first = entry.operationName || entry.query.replace(/\s+/g, " ").trim().slice(0, 60);
      const button = Object.assign(document.createElement("button"), { type: "button", className: "link", textContent: first, title: "Open in this tab" });
      button.addEventListener("click", () => {
        editor.value = entry.query;
        current().query = entry.query;
        $("variables").value = entry.variables || "{}";
        current().variables = $("variables").value;
        saveTabs();
        checkJSON("variables");
        scheduleValidation();
      });
      li.append(button, Object.assign(document.createElement("span"), { className: "muted", textContent: `${entry.status} · ${new Date(entry.at).toLocaleTimeString()}` }));
      return li;
    }));
    if (!history.length) $("history").append(Object.assign(document.createElement("li"), { className: "muted", textContent: "Queries you run appear here." }));
  }

  // ---- prettify and curl
  function prettify() {
    const pretty = L.prettify(editor.value);
    if (pretty === null) { $("result-status").textContent = "Prettify needs a document without syntax errors."; return; }
    editor.value = pretty;
    current().query = pretty;
    saveTabs();
    scheduleValidation();
  }

  function curl() {
    const quote = (s) => "'" + s.replace(/'/g, "'\\''") + "'";
    const payload = { query: editor.value, variables: checkJSON("variables") || {} };
    const name = operationName(editor.value);
    if (name) payload.operationName = name;
    const parts = ["curl", "-sS", quote(location.origin + "/graphql")];
    for (const [header, value] of Object.entries(requestHeaders())) parts.push("-H", quote(`${header}: ${value}`));
    parts.push("--data-raw", quote(JSON.stringify(payload)));
    const command = parts.join(" ");
    const output = $("curl-output");
    output.hidden = false;
    output.value = command;
    output.select();
    const done = () => { $("result-status").textContent = "The curl command is in the box under the editor (and on the clipboard where the browser allows)."; };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(command).then(done, done);
    else done();
  }

  // ---- keyboard and buttons
  $("run").addEventListener("click", run);
  $("prettify").addEventListener("click", prettify);
  $("copy-curl").addEventListener("click", curl);
  document.addEventListener("keydown", (event) => {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key === "Enter") { event.preventDefault(); run(); }
    else if (mod && event.shiftKey && (event.key === "P" || event.key === "p")) { event.preventDefault(); prettify(); }
  });
  $("token").addEventListener("change", loadSchema);

  /** The loaded schema, for the page's tests. */
  window.NileExplorerSchema = () => schema;

  showTab(tabs.active);
  renderHistory();
  loadSchema();
})();
