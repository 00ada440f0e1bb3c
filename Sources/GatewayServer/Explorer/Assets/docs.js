// The documentation pane: search across types, fields, arguments, enum values and descriptions;
// a type's page (fields with arguments and defaults, deprecations, implementations) and where
// the type is used.
"use strict";
(function () {
  const L = window.NileGraphQL;
  const el = (tag, props, ...children) => {
    const node = Object.assign(document.createElement(tag), props || {});
    for (const child of children) if (child != null) node.append(child);
    return node;
  };

  class Docs {
    constructor() {
      this.search = document.getElementById("docs-search");
      this.results = document.getElementById("docs-results");
      this.crumbs = document.getElementById("docs-crumbs");
      this.detail = document.getElementById("docs-detail");
      this.schema = null;
      this.search.addEventListener("input", () => this.find(this.search.value));
    }

    setSchema(schema) {
      this.schema = schema;
      this.usages = usagesOf(schema);
      this.entries = entriesOf(schema);
      this.home();
      if (this.search.value) this.find(this.search.value);
    }

    /** Root types first, then every other type by kind. */
    home() {
      const schema = this.schema;
      this.crumbs.replaceChildren();
      const roots = [schema.queryType, schema.mutationType, schema.subscriptionType].filter(Boolean);
      const rest = Object.values(schema.types).filter((t) => !t.name.startsWith("__") && !roots.includes(t.name)).sort((a, b) => a.name.localeCompare(b.name));
      this.detail.replaceChildren(
        el("h3", { textContent: "Root types" }), this.typeList(roots.map((name) => schema.types[name]).filter(Boolean)),
        el("h3", { textContent: "All types" }), this.typeList(rest));
    }

    typeList(types) {
      return el("ul", { className: "type-list" }, ...types.map((type) =>
        el("li", null, this.typeLink(type.name), el("span", { className: "muted", textContent: " " + type.kind.toLowerCase().replace("_", " ") }))));
    }

    typeLink(name, text) {
      const link = el("button", { type: "button", className: "link type", textContent: text || name });
      link.addEventListener("click", () => this.show(name));
      return link;
    }

    /** Shows a type's page, scrolled to one of its fields when given. */
    show(typeName, fieldName) {
      const type = this.schema && this.schema.types[typeName];
      if (!type) return;
      const home = el("button", { type: "button", className: "link", textContent: "Schema" });
      home.addEventListener("click", () => this.home());
      this.crumbs.replaceChildren(home, " › ", el("strong", { textContent: type.name }));
      const parts = [el("h3", { textContent: `${type.name} (${type.kind.toLowerCase().replace("_", " ")})` })];
      if (type.description) parts.push(el("p", { className: "description", textContent: type.description }));
      if ((type.interfaces || []).length) parts.push(el("p", null, "Implements ", ...joinLinks(this, type.interfaces.map((i) => i.name))));
      if ((type.possibleTypes || []).length) parts.push(el("p", null, "Possible types: ", ...joinLinks(this, type.possibleTypes.map((i) => i.name))));
      let focus = null;
      for (const field of type.fields || type.inputFields || []) {
        const row = this.fieldRow(field);
        row.id = `doc-${type.name}-${field.name}`;
        if (field.name === fieldName) { row.classList.add("focus"); focus = row; }
        parts.push(row);
      }
      for (const value of type.enumValues || []) {
        const row = el("div", { className: "doc-field", id: `doc-${type.name}-${value.name}` }, el("code", { textContent: value.name }));
        if (value.isDeprecated) row.append(el("span", { className: "deprecated", textContent: " deprecated: " + (value.deprecationReason || "no reason given") }));
        if (value.description) row.append(el("div", { className: "muted description", textContent: value.description }));
        if (value.name === fieldName) { row.classList.add("focus"); focus = row; }
        parts.push(row);
      }
      const used = this.usages.get(type.name) || [];
      parts.push(el("h3", { textContent: "Used by" }));
      parts.push(used.length
        ? el("ul", { className: "used-by" }, ...used.map((u) => {
            const link = el("button", { type: "button", className: "link", textContent: u.label });
            link.addEventListener("click", () => this.show(u.type, u.field));
            return el("li", null, link);
          }))
        : el("p", { className: "muted", textContent: "No field or argument refers to this type." }));
      this.detail.replaceChildren(...parts);
      if (focus) focus.scrollIntoView({ block: "center" });
    }

    fieldRow(field) {
      const row = el("div", { className: "doc-field" });
      const signature = el("code", { textContent: field.name });
      row.append(signature);
      if ((field.args || []).length) {
        row.append("(");
        field.args.forEach((arg, index) => {
          if (index) row.append(", ");
          row.append(el("span", { className: "arg", textContent: arg.name + ": " }), this.typeLink(L.namedType(arg.type), L.typeString(arg.type)));
          if (arg.defaultValue != null) row.append(el("span", { className: "muted", textContent: " = " + arg.defaultValue }));
        });
        row.append(")");
      }
      row.append(": ", this.typeLink(L.namedType(field.type), L.typeString(field.type)));
      if (field.defaultValue != null) row.append(el("span", { className: "muted", textContent: " = " + field.defaultValue }));
      if (field.isDeprecated) row.append(el("div", { className: "deprecated", textContent: "Deprecated: " + (field.deprecationReason || "no reason given") }));
      if (field.description) row.append(el("div", { className: "muted description", textContent: field.description }));
      for (const arg of (field.args || []).filter((a) => a.description)) {
        row.append(el("div", { className: "muted" }, el("code", { textContent: arg.name }), " — " + arg.description));
      }
      return row;
    }

    /** Lists what matches `text` in names first, then in descriptions. */
    find(text) {
      const query = text.trim().toLowerCase();
      if (!query || !this.entries) { this.results.hidden = true; this.results.replaceChildren(); return; }
      const byName = [], byDescription = [];
      for (const entry of this.entries) {
        if (entry.label.toLowerCase().includes(query)) byName.push(entry);
        else if (entry.description && entry.description.toLowerCase().includes(query)) byDescription.push(entry);
      }
      const found = byName.sort((a, b) => rank(a, query) - rank(b, query) || a.label.localeCompare(b.label)).concat(byDescription).slice(0, 60);
      this.results.replaceChildren(...(found.length ? found.map((entry) => {
        const link = el("button", { type: "button", className: "link", textContent: entry.label });
        link.addEventListener("click", () => this.show(entry.type, entry.field));
        return el("li", null, link, el("span", { className: "muted", textContent: " " + entry.detail }));
      }) : [el("li", { className: "muted", textContent: "Nothing matches." })]));
      this.results.hidden = false;
    }
  }

  function rank(entry, query) {
    const name = (entry.field || entry.type).toLowerCase();
    return name === query ? 0 : name.startsWith(query) ? 1 : 2;
  }

  function joinLinks(docs, names) {
    const parts = [];
    names.forEach((name, index) => { if (index) parts.push(", "); parts.push(docs.typeLink(name)); });
    return parts;
  }

  /** Search entries: every type, field, argument, input field and enum value. */
  function entriesOf(schema) {
    const entries = [];
    for (const type of Object.values(schema.types)) {
      if (type.name.startsWith("__")) continue;
      entries.push({ label: type.name, type: type.name, detail: type.kind.toLowerCase().replace("_", " "), description: type.description });
      for (const field of type.fields || type.inputFields || []) {
        entries.push({ label: `${type.name}.${field.name}`, type: type.name, field: field.name, detail: L.typeString(field.type), description: field.description });
        for (const arg of field.args || []) {
          entries.push({ label: `${type.name}.${field.name}(${arg.name})`, type: type.name, field: field.name, detail: L.typeString(arg.type), description: arg.description });
        }
      }
      for (const value of type.enumValues || []) {
        entries.push({ label: `${type.name}.${value.name}`, type: type.name, field: value.name, detail: "enum value", description: value.description });
      }
    }
    return entries;
  }

  /** For each type, the fields that return it and the arguments and input fields that take it. */
  function usagesOf(schema) {
    const usages = new Map();
    const add = (typeName, usage) => {
      if (!usages.has(typeName)) usages.set(typeName, []);
      usages.get(typeName).push(usage);
    };
    for (const type of Object.values(schema.types)) {
      if (type.name.startsWith("__")) continue;
      for (const field of type.fields || type.inputFields || []) {
        add(L.namedType(field.type), { label: `${type.name}.${field.name}`, type: type.name, field: field.name });
        for (const arg of field.args || []) add(L.namedType(arg.type), { label: `${type.name}.${field.name}(${arg.name})`, type: type.name, field: field.name });
      }
      for (const member of type.possibleTypes || []) add(member.name, { label: `${type.name} (member)`, type: type.name });
      for (const iface of type.interfaces || []) add(iface.name, { label: `${type.name} (implements)`, type: type.name });
    }
    for (const list of usages.values()) list.sort((a, b) => a.label.localeCompare(b.label));
    return usages;
  }

  window.NileDocs = Docs;
})();
