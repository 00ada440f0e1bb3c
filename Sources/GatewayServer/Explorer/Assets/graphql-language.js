// GraphQL for the explorer's editor: a tolerant lexer, a walker that classifies each token
// (for highlighting) and knows the schema context at any offset (for completion), bracket
// matching and a prettifier. No DOM here: node runs it in the tests as well as the browser.
"use strict";
(function (exports) {
  const PUNCT = "!$&()[]{}:=@|";

  /** Tokens of `src`, never throwing: unknown characters and unterminated strings are tokens too. */
  function lex(src) {
    const tokens = [];
    let i = 0;
    const n = src.length;
    const push = (type, start, end) => tokens.push({ type, start, end, value: src.slice(start, end) });
    while (i < n) {
      const c = src[i];
      if (c === " " || c === "\t" || c === "," || c === "\n" || c === "\r" || c === "\ufeff") { i++; continue; }
      const start = i;
      if (c === "#") {
        while (i < n && src[i] !== "\n" && src[i] !== "\r") i++;
        push("comment", start, i);
      } else if (c === "." && src.startsWith("...", i)) {
        i += 3; push("spread", start, i);
      } else if (PUNCT.includes(c)) {
        i++; push("punct", start, i);
      } else if (/[A-Za-z_]/.test(c)) {
        while (i < n && /[A-Za-z0-9_]/.test(src[i])) i++;
        push("name", start, i);
      } else if (/[-0-9]/.test(c)) {
        i++;
        while (i < n && /[0-9.eE+\-]/.test(src[i])) i++;
        push(/[.eE]/.test(src.slice(start, i)) ? "float" : "int", start, i);
      } else if (src.startsWith('"""', i)) {
        i += 3;
        while (i < n && !src.startsWith('"""', i)) i += src[i] === "\\" && src.startsWith('"""', i + 1) ? 4 : 1;
        const closed = i < n;
        i = Math.min(n, i + 3);
        tokens.push({ type: "string", start, end: i, value: src.slice(start, i), unterminated: !closed });
      } else if (c === '"') {
        i++;
        while (i < n && src[i] !== '"' && src[i] !== "\n" && src[i] !== "\r") i += src[i] === "\\" ? 2 : 1;
        const closed = src[i] === '"';
        if (closed) i++;
        i = Math.min(i, n);
        tokens.push({ type: "string", start, end: i, value: src.slice(start, i), unterminated: !closed });
      } else {
        i++; push("invalid", start, i);
      }
    }
    return tokens;
  }

  /** The type a reference names, unwrapped: `[Patient!]!` → `Patient`. */
  function namedType(ref) {
    return ref && ref.ofType ? namedType(ref.ofType) : ref && ref.name;
  }

  /** A type reference as SDL writes it. */
  function typeString(ref) {
    if (!ref) return "";
    if (ref.kind === "NON_NULL") return typeString(ref.ofType) + "!";
    if (ref.kind === "LIST") return "[" + typeString(ref.ofType) + "]";
    return ref.name;
  }

  /**
   * Walks the tokens once, as a parser would, giving each token a highlighting class and
   * recording, before each token, the context a completion there would need.
   * `schema`: { types: {name → introspected type}, directives: [...], queryType, mutationType, subscriptionType }.
   */
  function analyze(src, schema) {
    const tokens = lex(src);
    const types = (schema && schema.types) || {};
    const fieldOf = (typeName, name) => {
      const type = types[typeName];
      if (name === "__typename") return { name, type: { kind: "NON_NULL", ofType: { kind: "SCALAR", name: "String" } }, args: [] };
      return type && (type.fields || []).find((f) => f.name === name);
    };
    const directiveOf = (name) => ((schema && schema.directives) || []).find((d) => d.name === name);
    const rootOf = (keyword) => schema && (keyword === "mutation" ? schema.mutationType : keyword === "subscription" ? schema.subscriptionType : schema.queryType);

    // Frames: selection {type}, args {owner: field|directive, given:Set}, object {type: input type}, list {type}, vars {}
    const stack = [];
    const variables = []; // of the operation being read
    const fragments = [];
    let expect = "definition"; // what the next token may be, for context
    let pending = null; // the type a following "{" selects on
    let lastField = null; // in a selection: the field just named (for its args)
    let argType = null; // the input type of the value being written
    let afterSpread = false;
    const contexts = [];

    const top = () => stack[stack.length - 1];
    const frameKind = () => (top() ? top().kind : "document");

    // First pass for fragment names (so spreads before the definition complete too).
    for (let k = 0; k + 3 < tokens.length; k++) {
      if (tokens[k].value === "fragment" && tokens[k + 1].type === "name" && tokens[k + 2].value === "on" && tokens[k + 3].type === "name") {
        fragments.push({ name: tokens[k + 1].value, on: tokens[k + 3].value });
      }
    }

    for (let k = 0; k < tokens.length; k++) {
      const token = tokens[k];
      contexts.push(snapshot());
      const v = token.value;
      if (token.type === "comment") { token.cls = "comment"; contexts[contexts.length - 1] = null; continue; }
      if (token.type === "string") { token.cls = "string"; valueDone(); continue; }
      if (token.type === "int" || token.type === "float") { token.cls = "number"; valueDone(); continue; }
      if (token.type === "invalid") { token.cls = "invalid"; continue; }
      const kind = frameKind();
      if (token.type === "spread") { token.cls = "punct"; afterSpread = true; expect = "spread"; continue; }
      if (v === "@") { token.cls = "directive"; expect = "directiveName"; continue; }
      if (v === "$") {
        token.cls = "variable";
        const next = tokens[k + 1];
        if (next && next.type === "name" && next.start === token.end) {
          next.cls = "variable";
          contexts.push(snapshot("variable"));
          k++;
          if (kind === "vars") { variables.push({ name: next.value, type: null }); expect = "varColon"; }
          else valueDone();
        }
        continue;
      }
      if (token.type === "name") {
        if (expect === "directiveName") {
          token.cls = "directive";
          pending = { directive: directiveOf(v) };
          expect = kind === "selection" ? "afterDirective" : expect === "directiveName" ? "afterDirective" : expect;
          continue;
        }
        if (expect === "spread") {
          if (v === "on") { token.cls = "keyword"; expect = "typeCondition"; continue; }
          token.cls = "fragment"; afterSpread = false; expect = "selection"; continue;
        }
        if (expect === "typeCondition") {
          token.cls = "type"; pending = { type: v }; expect = kind === "document" ? "fragmentBody" : "inlineBody"; continue;
        }
        if (kind === "document") {
          if (expect === "definition") {
            if (v === "query" || v === "mutation" || v === "subscription") {
              token.cls = "keyword"; pending = { type: rootOf(v) }; variables.length = 0; expect = "operationName"; continue;
            }
            if (v === "fragment") { token.cls = "keyword"; expect = "fragmentName"; continue; }
            token.cls = "invalid"; continue;
          }
          if (expect === "operationName") { token.cls = "def"; expect = "operationHead"; continue; }
          if (expect === "fragmentName") { token.cls = "def"; expect = "fragmentOn"; continue; }
          if (expect === "fragmentOn" && v === "on") { token.cls = "keyword"; expect = "typeCondition"; continue; }
          token.cls = "name"; continue;
        }
        if (kind === "vars") {
          if (expect === "varType") { token.cls = "type"; const last = variables[variables.length - 1]; if (last) last.type = (last.type || "") + v; expect = "varTypeDone"; continue; }
          token.cls = v === "true" || v === "false" || v === "null" ? "keyword" : "enum"; valueDone(); continue;
        }
        if (kind === "selection") {
          const next = tokens[k + 1];
          if (next && next.value === ":") { token.cls = "alias"; continue; } // alias: the field name follows
          token.cls = "field";
          const field = fieldOf(top().type, v);
          lastField = { name: v, parent: top().type, field };
          pending = { type: field ? namedType(field.type) : null, field };
          expect = "afterField";
          continue;
        }
        if (kind === "args") {
          if (expect === "argValue") { token.cls = v === "true" || v === "false" || v === "null" ? "keyword" : "enum"; valueDone(); continue; }
          token.cls = "argument";
          const owner = top().owner;
          const arg = owner && (owner.args || []).find((a) => a.name === v);
          top().given.add(v);
          argType = arg ? arg.type : null;
          expect = "argColon";
          continue;
        }
        if (kind === "object") {
          if (expect === "argValue") { token.cls = v === "true" || v === "false" || v === "null" ? "keyword" : "enum"; valueDone(); continue; }
          token.cls = "argument";
          const input = types[top().type];
          const field = input && (input.inputFields || []).find((f) => f.name === v);
          top().given.add(v);
          argType = field ? field.type : null;
          expect = "argColon";
          continue;
        }
        if (kind === "list") { token.cls = v === "true" || v === "false" || v === "null" ? "keyword" : "enum"; valueDone(); continue; }
        token.cls = "name";
        continue;
      }
      // Punctuation.
      token.cls = "punct";
      if (v === "{") {
        if (kind === "args" || kind === "object" || kind === "list") {
          const typeName = kind === "list" ? top().type : namedType(argType);
          stack.push({ kind: "object", type: typeName, given: new Set() });
          expect = "argName";
        } else {
          stack.push({ kind: "selection", type: pending && pending.type ? pending.type : kind === "document" ? schema && schema.queryType : null });
          expect = "selection";
        }
        pending = null; afterSpread = false;
      } else if (v === "}") {
        const frame = stack.pop();
        if (frame && frame.kind === "object") valueDone();
        else expect = stack.length === 0 ? "definition" : "selection";
      } else if (v === "(") {
        if (expect === "operationHead" || (kind === "document" && expect !== "fragmentBody")) { stack.push({ kind: "vars" }); expect = "varName"; }
        else {
          const owner = pending && pending.directive ? pending.directive : lastField && lastField.field;
          stack.push({ kind: "args", owner, given: new Set() });
          expect = "argName";
        }
      } else if (v === ")") {
        stack.pop();
        expect = frameKind() === "selection" ? "afterField" : frameKind() === "document" ? "operationHead" : expect;
      } else if (v === "[") {
        if (kind === "vars" && (expect === "varType")) { const last = variables[variables.length - 1]; if (last) last.type = (last.type || "") + "["; continue; }
        const inner = argType && argType.kind === "NON_NULL" ? argType.ofType : argType;
        stack.push({ kind: "list", type: namedType(inner && inner.ofType ? inner.ofType : inner), itemType: inner && inner.ofType });
        argType = inner && inner.kind === "LIST" ? inner.ofType : inner;
        expect = "argValue";
      } else if (v === "]") {
        if (kind === "vars") { const last = variables[variables.length - 1]; if (last && last.type) last.type += "]"; continue; }
        stack.pop(); valueDone();
      } else if (v === ":") {
        if (kind === "vars") expect = "varType";
        else if (kind === "args" || kind === "object") expect = "argValue";
        else if (kind === "selection") expect = "aliasedField";
      } else if (v === "!") {
        if (kind === "vars") { const last = variables[variables.length - 1]; if (last && last.type) last.type += "!"; }
      } else if (v === "=") {
        expect = "argValue";
      }
    }
    contexts.push(snapshot());

    function valueDone() {
      const kind = frameKind();
      if (kind === "args" || kind === "object") { expect = "argName"; argType = null; }
      else if (kind === "list") expect = "argValue";
      else if (kind === "vars") expect = "varName";
    }

    function snapshot(override) {
      const frame = top();
      return {
        expect: override || expect,
        frame: frame ? { ...frame, given: frame.given ? new Set(frame.given) : undefined } : { kind: "document" },
        argType,
        variables: variables.slice(),
      };
    }

    return { tokens, contexts, fragments, variables };
  }

  /** What completing at `offset` would replace and offer: { from, to, prefix, items: [{label, detail, doc, kind}] }. */
  function completionsAt(src, offset, schema) {
    const { tokens, contexts, fragments } = analyze(src, schema);
    let index = tokens.findIndex((t) => t.end >= offset);
    if (index === -1) index = tokens.length;
    let token = tokens[index];
    let from = offset;
    let prefix = "";
    if (token && token.type === "name" && token.start < offset && offset <= token.end) {
      from = token.start;
      prefix = src.slice(token.start, offset);
    } else if (token && token.start >= offset) {
      token = null;
    } else if (token && !(token.type === "name" && token.start <= offset)) {
      // Inside a string, comment or right after punctuation: context of what follows.
      if (token.type === "string" || token.type === "comment") return { from, to: offset, prefix, items: [] };
      index = index + 1;
    }
    const ctx = contexts[Math.min(index, contexts.length - 1)];
    if (!ctx) return { from, to: offset, prefix, items: [] };
    const types = (schema && schema.types) || {};
    const items = [];
    const previous = tokens[index - 1];
    const add = (label, detail, doc, kind, deprecated) => items.push({ label, detail: detail || "", doc: doc || "", kind, deprecated: !!deprecated });
    const frame = ctx.frame;
    const expect = ctx.expect;

    if (expect === "variable" || (previous && previous.value === "$" && previous.end === offset - prefix.length)) {
      for (const v of ctx.variables) add(v.name, v.type || "", "", "variable");
      from = from; // the name after "$"
    } else if (expect === "directiveName" || (previous && previous.value === "@" && previous.end === from)) {
      const executable = new Set(["QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION"]);
      for (const d of (schema && schema.directives) || []) {
        if (d.locations.some((l) => executable.has(l))) add(d.name, d.locations.join(" | ").toLowerCase(), d.description, "directive");
      }
    } else if (expect === "spread") {
      add("on", "inline fragment", "Select fields of a type", "keyword");
      for (const f of fragments) add(f.name, "on " + f.on, "", "fragment");
    } else if (expect === "typeCondition" || (frame.kind === "vars" && expect === "varType")) {
      const wantInput = frame.kind === "vars";
      for (const t of Object.values(types)) {
        if (t.name.startsWith("__")) continue;
        const composite = t.kind === "OBJECT" || t.kind === "INTERFACE" || t.kind === "UNION";
        const input = t.kind === "SCALAR" || t.kind === "ENUM" || t.kind === "INPUT_OBJECT";
        if (wantInput ? input : composite) add(t.name, t.kind.toLowerCase().replace("_", " "), t.description, "type");
      }
    } else if (frame.kind === "selection" && (expect === "selection" || expect === "afterField" || expect === "aliasedField" || expect === "afterDirective")) {
      const type = types[frame.type];
      for (const f of (type && type.fields) || []) add(f.name, typeString(f.type), f.description, "field", f.isDeprecated);
      if (type) add("__typename", "String!", "The name of the object's type", "field");
    } else if ((frame.kind === "args" || frame.kind === "object") && expect === "argName") {
      const candidates = frame.kind === "args" ? (frame.owner && frame.owner.args) || [] : ((types[frame.type] || {}).inputFields || []);
      for (const a of candidates) {
        if (frame.given && frame.given.has(a.name) && a.name !== prefix) continue;
        add(a.name, typeString(a.type) + (a.defaultValue != null ? " = " + a.defaultValue : ""), a.description, "argument");
      }
    } else if (expect === "argValue") {
      const named = types[namedType(ctx.argType)];
      if (named && named.kind === "ENUM") for (const e of named.enumValues || []) add(e.name, named.name, e.description, "enum", e.isDeprecated);
      if (named && named.name === "Boolean") { add("true", "Boolean", "", "keyword"); add("false", "Boolean", "", "keyword"); }
      for (const v of ctx.variables) add("$" + v.name, v.type || "", "variable", "variable");
    } else if (frame.kind === "document" && expect === "definition") {
      for (const k of ["query", "mutation", "subscription", "fragment"]) add(k, "keyword", "", "keyword");
    }
    return { from, to: offset, prefix, items: rank(items, prefix) };
  }

  /** Items matching `prefix`: those it starts first, then those containing it, each alphabetical. */
  function rank(items, prefix) {
    const p = prefix.toLowerCase();
    const starts = [], contains = [];
    for (const item of items) {
      const label = item.label.replace(/^\$/, "").toLowerCase();
      if (label.startsWith(p)) starts.push(item);
      else if (p && label.includes(p)) contains.push(item);
    }
    const byLabel = (a, b) => (a.deprecated - b.deprecated) || a.label.localeCompare(b.label);
    return starts.sort(byLabel).concat(contains.sort(byLabel));
  }

  /** Pairs of matching bracket offsets, and offsets of brackets without a partner. */
  function brackets(tokens) {
    const pairs = new Map();
    const unmatched = [];
    const open = [];
    const partner = { ")": "(", "]": "[", "}": "{" };
    for (const t of tokens) {
      if (t.type !== "punct") continue;
      if (t.value === "(" || t.value === "[" || t.value === "{") open.push(t);
      else if (partner[t.value]) {
        const o = open.length && open[open.length - 1].value === partner[t.value] ? open.pop() : null;
        if (o) { pairs.set(o.start, t.start); pairs.set(t.start, o.start); } else unmatched.push(t.start);
      }
    }
    for (const o of open) unmatched.push(o.start);
    return { pairs, unmatched };
  }

  /** The document reformatted (two-space indentation, one selection per line); `null` when it does not lex cleanly. */
  function prettify(src) {
    const tokens = lex(src);
    if (tokens.some((t) => t.type === "invalid" || t.unterminated)) return null;
    let out = "";
    let depth = 0; // selection-set depth
    const inline = []; // open "(", "[" and value "{" (written on one line)
    let complete = false; // a selection just ended: a following name starts the next one
    let prev = null;
    const trim = () => { out = out.replace(/[ ]+$/, ""); };
    const newline = () => { trim(); out += "\n" + "  ".repeat(depth); };
    const atLineStart = () => out === "" || /\n *$/.test(out);
    const space = () => { if (!atLineStart() && !out.endsWith(" ")) out += " "; };
    const isValueEnd = (t) => t && (t.type !== "punct" && t.type !== "spread" || t.value === "]" || t.value === "}");
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k], v = t.value, next = tokens[k + 1];
      if (t.type === "comment") { if (!atLineStart()) space(); out += v; newline(); continue; }
      if (inline.length) {
        const opener = prev && (prev.value === "(" || prev.value === "[" || prev.value === "{");
        const entry = (t.type === "name" && next && next.value === ":" && !(prev && prev.value === "$")) || (v === "$" && inline[inline.length - 1] === "(" && tokens[k + 2] && tokens[k + 2].value === ":");
        const listItem = inline[inline.length - 1] === "[" && isValueEnd(prev) && v !== "]" && v !== "!";
        if (v === ")" || v === "]") { out += v; inline.pop(); }
        else if (v === "}") { out += " }"; inline.pop(); }
        else {
          if ((entry || listItem) && !opener) out += ", ";
          else if (v === "{" && opener) {}
          else if (prev && prev.value === "{" && inline[inline.length - 1] === "{") out += " ";
          else if (v === "=" || v === "@" || prev.value === ":" || prev.value === "=") space();
          else if (prev.type === "name" && (t.type === "name" || t.type === "string" || /int|float/.test(t.type))) space();
          out += v;
          if (v === "(" || v === "[" || v === "{") inline.push(v);
        }
        if (!inline.length) complete = depth > 0;
        prev = t;
        continue;
      }
      if (v === "{") { space(); out += "{"; depth++; newline(); complete = false; }
      else if (v === "}") {
        depth = Math.max(0, depth - 1);
        out = out.replace(/\s+$/, "");
        newline();
        out += "}";
        if (depth === 0) out += "\n";
        complete = depth > 0;
      } else if (v === "(") { trim(); out += "("; inline.push("("); }
      else {
        const startsSelection = depth > 0 && (t.type === "name" || t.type === "spread") && complete;
        if (depth === 0 && prev && prev.value === "}") out += "\n";
        if (startsSelection) newline();
        else if (v !== ":" && v !== "!" && !(prev && (prev.value === "$" || prev.value === "@")) && !(prev && prev.type === "spread" && t.type === "name" && v !== "on")) space();
        out += v;
        if (v === ":") space();
        // What ends a selection: a field or fragment name, a directive name; not an alias, "...", "on" or "@".
        complete = depth > 0 && ((t.type === "name" && !(next && next.value === ":") && v !== "on" && !(prev && prev.value === "on")) || false);
      }
      prev = t;
    }
    return out.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
  }

  exports.lex = lex;
  exports.analyze = analyze;
  exports.completionsAt = completionsAt;
  exports.brackets = brackets;
  exports.prettify = prettify;
  exports.typeString = typeString;
  exports.namedType = namedType;
})(typeof module !== "undefined" ? module.exports : (window.NileGraphQL = {}));
