// The query editor: a textarea over a highlighted copy of its text, with line numbers, bracket
// matching, inline error marks and a completion list. Language knowledge comes from
// graphql-language.js; this file only deals with the page.
"use strict";
(function () {
  const L = window.NileGraphQL;
  const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const NAME_CHAR = /[A-Za-z0-9_]/;

  class Editor {
    /** `options`: { schema() → the schema for completion, onChange(text), label }. */
    constructor(root, options) {
      this.options = options;
      this.diagnostics = [];
      this.completion = null;
      root.classList.add("editor");
      root.innerHTML = '<div class="gutter" aria-hidden="true"></div><div class="scroller"><pre aria-hidden="true"></pre>' +
        '<textarea spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off" role="combobox" aria-autocomplete="list" aria-expanded="false"></textarea></div>' +
        '<ul class="completions" role="listbox" hidden></ul><div class="completion-doc" hidden></div>';
      this.root = root;
      this.gutter = root.querySelector(".gutter");
      this.layer = root.querySelector("pre");
      this.input = root.querySelector("textarea");
      this.list = root.querySelector(".completions");
      this.doc = root.querySelector(".completion-doc");
      this.input.setAttribute("aria-label", options.label || "Query");
      this.input.addEventListener("input", (event) => this.changed(event));
      this.input.addEventListener("scroll", () => this.syncScroll());
      this.input.addEventListener("keydown", (event) => this.keydown(event));
      this.input.addEventListener("keyup", (event) => { if (event.key.startsWith("Arrow") || event.key === "Home" || event.key === "End") this.render(); });
      this.input.addEventListener("click", () => { this.close(); this.render(); });
      this.input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
      this.list.addEventListener("mousedown", (event) => {
        const item = event.target.closest("li");
        if (!item) return;
        event.preventDefault();
        this.accept(Number(item.dataset.index));
      });
      this.render();
    }

    get value() { return this.input.value; }
    set value(text) { this.input.value = text; this.close(); this.render(); }
    focus() { this.input.focus(); }

    /** Errors to mark: [{ message, line, column }] (1-based, as GraphQL locations). */
    setDiagnostics(diagnostics) { this.diagnostics = diagnostics; this.render(); }

    /** The offset of a 1-based line and column in the text. */
    offsetOf(line, column) {
      const lines = this.input.value.split("\n");
      let offset = 0;
      for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
      return Math.min(this.input.value.length, offset + column - 1);
    }

    moveTo(line, column) {
      const offset = this.offsetOf(line, column);
      this.input.focus();
      this.input.setSelectionRange(offset, offset);
      this.render();
    }

    changed(event) {
      this.render();
      this.options.onChange && this.options.onChange(this.input.value);
      const typed = event && event.data;
      if (typed && (NAME_CHAR.test(typed) || typed === "$" || typed === "@" || typed === ".")) this.complete(false);
      else if (typed === " " && /\.\.\.\s*on\s$|:\s$/.test(this.input.value.slice(0, this.input.selectionStart))) this.complete(false);
      else this.close();
    }

    keydown(event) {
      const open = this.completion && !this.list.hidden;
      if (event.key === " " && (event.ctrlKey || event.metaKey)) { event.preventDefault(); this.complete(true); return; }
      if (open) {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          const count = this.completion.items.length;
          this.completion.chosen = true;
          this.select((this.completion.selected + (event.key === "ArrowDown" ? 1 : count - 1)) % count);
          return;
        }
        // Enter takes a suggestion the developer asked for or is typing; otherwise it is a new line.
        const wanted = event.key === "Tab" || this.completion.explicit || this.completion.chosen || this.completion.prefix !== "";
        if ((event.key === "Enter" || event.key === "Tab") && wanted) { event.preventDefault(); this.accept(this.completion.selected); return; }
        if (event.key === "Enter") this.close();
        if (event.key === "Escape") { event.preventDefault(); this.close(); return; }
      }
      if ((event.key === "}" || event.key === ")" || event.key === "]") && !event.ctrlKey && !event.metaKey) {
        // A closing bracket typed first on its line moves back one level.
        const start = this.input.selectionStart;
        const lineStart = this.input.value.lastIndexOf("\n", start - 1) + 1;
        if (start === this.input.selectionEnd && start - lineStart >= 2 && /^\s+$/.test(this.input.value.slice(lineStart, start))) {
          event.preventDefault();
          this.input.setSelectionRange(start - 2, start);
          this.insert(event.key);
          return;
        }
      }
      if (event.key === "Tab" && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        this.insert("  ");
      } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
        event.preventDefault();
        const before = this.input.value.slice(0, this.input.selectionStart);
        const indent = (before.split("\n").pop().match(/^\s*/) || [""])[0];
        const opens = /[{(\[]\s*$/.test(before);
        this.insert("\n" + indent + (opens ? "  " : ""));
      }
    }

    /** Types `text` at the cursor, keeping the browser's undo history where it can. */
    insert(text) {
      this.input.focus();
      if (!document.execCommand || !document.execCommand("insertText", false, text)) {
        this.input.setRangeText(text, this.input.selectionStart, this.input.selectionEnd, "end");
        this.changed();
      }
    }

    complete(explicit) {
      const schema = this.options.schema && this.options.schema();
      const offset = this.input.selectionStart;
      if (!schema || offset !== this.input.selectionEnd) return this.close();
      const result = L.completionsAt(this.input.value, offset, schema);
      const exact = result.items.length === 1 && result.items[0].label === result.prefix;
      if (!result.items.length || (!explicit && exact)) return this.close();
      // Complete the whole word when the cursor is inside one.
      let to = offset;
      while (to < this.input.value.length && NAME_CHAR.test(this.input.value[to])) to++;
      this.completion = { ...result, to, selected: 0, explicit, chosen: false };
      this.list.replaceChildren(...result.items.slice(0, 200).map((item, index) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        li.dataset.index = index;
        li.dataset.label = item.label;
        li.id = "completion-" + index;
        const label = Object.assign(document.createElement("span"), { className: "label" + (item.deprecated ? " deprecated" : ""), textContent: item.label });
        const detail = Object.assign(document.createElement("span"), { className: "detail", textContent: item.detail });
        li.append(label, detail);
        return li;
      }));
      this.list.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
      this.place();
      this.select(0);
    }

    select(index) {
      if (!this.completion) return;
      this.completion.selected = index;
      for (const li of this.list.children) li.setAttribute("aria-selected", String(Number(li.dataset.index) === index));
      const current = this.list.children[index];
      if (current) { current.scrollIntoView({ block: "nearest" }); this.input.setAttribute("aria-activedescendant", current.id); }
      const item = this.completion.items[index];
      this.doc.hidden = !item || !item.doc;
      if (item && item.doc) this.doc.textContent = item.doc;
    }

    accept(index) {
      const completion = this.completion;
      if (!completion) return;
      const item = completion.items[index];
      if (!item) return this.close();
      const label = item.kind === "variable" && this.input.value[completion.from - 1] === "$" ? item.label.replace(/^\$/, "") : item.label;
      this.input.focus();
      this.input.setSelectionRange(completion.from, completion.to);
      this.close();
      this.insert(label);
    }

    close() {
      this.completion = null;
      this.list.hidden = true;
      this.doc.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.input.removeAttribute("aria-activedescendant");
    }

    /** Puts the completion list under the cursor (the font is monospaced). */
    place() {
      const before = this.input.value.slice(0, this.input.selectionStart);
      const line = before.split("\n").length - 1;
      const column = before.length - before.lastIndexOf("\n") - 1;
      const style = getComputedStyle(this.input);
      const lineHeight = parseFloat(style.lineHeight) || 19;
      const left = this.gutter.offsetWidth + parseFloat(style.paddingLeft) + column * this.charWidth() - this.input.scrollLeft;
      const top = parseFloat(style.paddingTop) + (line + 1) * lineHeight - this.input.scrollTop + 2;
      this.list.style.left = Math.max(0, left) + "px";
      this.list.style.top = top + "px";
      this.doc.style.left = Math.max(0, left) + this.list.offsetWidth + 8 + "px";
      this.doc.style.top = top + "px";
    }

    charWidth() {
      if (!this.measured) {
        const probe = Object.assign(document.createElement("span"), { textContent: "x".repeat(100) });
        this.layer.appendChild(probe);
        this.measured = probe.getBoundingClientRect().width / 100 || 7.8;
        probe.remove();
      }
      return this.measured;
    }

    syncScroll() {
      this.layer.scrollTop = this.input.scrollTop;
      this.layer.scrollLeft = this.input.scrollLeft;
      this.gutter.scrollTop = this.input.scrollTop;
      if (this.completion) this.place();
    }

    /** Redraws the highlighted layer: token classes, matched brackets, error marks; then the gutter. */
    render() {
      const text = this.input.value;
      const schema = this.options.schema && this.options.schema();
      const { tokens } = L.analyze(text, schema);
      const cursor = this.input.selectionStart;
      const { pairs, unmatched } = L.brackets(tokens);
      const marked = new Set();
      for (const offset of [cursor - 1, cursor]) {
        if (pairs.has(offset)) { marked.add(offset); marked.add(pairs.get(offset)); break; }
      }
      const bad = new Set(unmatched);
      const errors = new Map();
      const errorLines = new Set();
      for (const d of this.diagnostics) {
        const offset = this.offsetOf(d.line, d.column);
        errorLines.add(d.line);
        const token = tokens.find((t) => t.start <= offset && offset < t.end) || tokens.find((t) => t.start >= offset);
        const key = token ? token.start : -1;
        errors.set(key, (errors.get(key) ? errors.get(key) + "\n" : "") + d.message);
      }
      let html = "";
      let last = 0;
      for (const t of tokens) {
        html += escape(text.slice(last, t.start));
        const classes = ["tok-" + (t.cls || "name")];
        if (marked.has(t.start)) classes.push("bracket-match");
        if (bad.has(t.start)) classes.push("bracket-bad");
        let open = `<span class="${classes.join(" ")}">`;
        if (errors.has(t.start)) {
          const pos = this.lineColumn(t.start);
          open = `<span class="error-mark" data-line="${pos.line}" data-column="${pos.column}" title="${escape(errors.get(t.start)).replace(/"/g, "&quot;")}">` + open;
          html += open + escape(t.value) + "</span></span>";
        } else html += open + escape(t.value) + "</span>";
        last = t.end;
      }
      html += escape(text.slice(last));
      if (errors.has(-1)) {
        const pos = this.lineColumn(text.length);
        html += `<span class="error-mark" data-line="${pos.line}" data-column="${pos.column}">\u00a0</span>`;
      }
      this.layer.innerHTML = html + "\n ";
      const count = text.split("\n").length;
      let gutter = "";
      for (let i = 1; i <= count; i++) gutter += `<div${errorLines.has(i) ? ' class="has-error"' : ""}>${i}</div>`;
      this.gutter.innerHTML = gutter + "<div></div>";
      this.syncScroll();
    }

    lineColumn(offset) {
      const before = this.input.value.slice(0, offset);
      return { line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
    }
  }

  window.NileEditor = Editor;
})();
