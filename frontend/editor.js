// The Swagger editor: CodeMirror 6 on top of the page's <textarea data-swagger-editor>.
//
// The textarea stays the form's field (the page saves without JavaScript too): the editor
// hides it, writes every change back into it and announces the change with an "input" event,
// so the wizard's unsaved-changes warning and live validation panel see it as any other edit.
// The server's findings arrive as JSON (json_script) with a line, a column and a length each;
// they become lint diagnostics that follow the text as it is edited. JSON is also checked as
// it is typed. Built by `make assets` (esbuild) into static/js/editor.bundle.js.
//
// The editor lives in a shadow root: there CodeMirror's styles go into a constructed
// stylesheet, which the Content-Security-Policy (style-src 'self', no inline styles) allows;
// in the document itself it would add a <style> element, which the policy blocks.
import { EditorView, basicSetup } from "codemirror";
import { EditorState, StateField } from "@codemirror/state";
import { json, jsonParseLinter } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { linter, lintGutter } from "@codemirror/lint";

const views = new WeakMap();

// Server diagnostics: a line and a column (1-based) and a length, placed on the document as it
// is when the page opens, then mapped through every edit.
function placed(doc, found) {
  return found.map((item) => {
    const line = doc.line(Math.min(Math.max(item.line, 1), doc.lines));
    const from = Math.min(line.from + Math.max(item.column - 1, 0), line.to);
    const to = Math.min(from + Math.max(item.length, 1), line.to);
    const severity = ["error", "warning", "info"].includes(item.severity) ? item.severity : "info";
    return { from, to: Math.max(to, from), severity, message: item.message, source: "Validation" };
  });
}

function serverField(found) {
  return StateField.define({
    create: (state) => placed(state.doc, found),
    update(value, tr) {
      if (!tr.docChanged) return value;
      return value.map((d) => ({ ...d, from: tr.changes.mapPos(d.from, -1), to: tr.changes.mapPos(d.to, 1) }));
    },
  });
}

function readDiagnostics(textarea) {
  const holder = document.getElementById(textarea.dataset.diagnostics || "");
  if (!holder) return [];
  try {
    const found = JSON.parse(holder.textContent);
    return Array.isArray(found) ? found : [];
  } catch (error) {
    return [];
  }
}

// The page's look inside the shadow root: custom properties (the theme's colours and fonts)
// are inherited through it, the page's stylesheets are not.
const theme = EditorView.theme({
  "&": {
    height: "min(70vh, 48rem)",
    minHeight: "20rem",
    border: "1px solid var(--td-stroke)",
    borderRadius: "var(--bs-border-radius)",
    backgroundColor: "var(--td-surface)",
    color: "var(--td-fg)",
    fontSize: ".8125rem",
  },
  "&.cm-focused": { outline: "2px solid var(--bs-primary)", outlineOffset: "1px" },
  ".cm-scroller": { fontFamily: "var(--bs-font-monospace)", lineHeight: "1.5" },
  ".cm-gutters": {
    backgroundColor: "#fafafa",
    color: "var(--td-fg-3)",
    borderRight: "1px solid var(--td-stroke-2)",
    borderRadius: "var(--bs-border-radius) 0 0 var(--bs-border-radius)",
  },
  ".cm-activeLineGutter": { backgroundColor: "#ebebeb", color: "var(--td-fg)" },
  ".cm-tooltip": { fontFamily: "var(--bs-body-font-family)", maxWidth: "min(32rem, 85vw)" },
});

function labelText(textarea) {
  const label = textarea.id && document.querySelector(`label[for="${textarea.id}"]`);
  return { label, text: label ? label.textContent.trim() : "Swagger" };
}

function create(textarea) {
  // A page restored from htmx's history holds the previous editor's lifeless host.
  textarea.parentNode.querySelectorAll(":scope > .code-editor-host").forEach((old) => old.remove());
  const format = textarea.dataset.format === "yaml" ? "yaml" : "json";
  const server = serverField(readDiagnostics(textarea));
  const syntax = format === "json" ? jsonParseLinter() : () => [];
  const { label, text } = labelText(textarea);
  // tabindex: axe counts the editable content as keyboard access to its scrolling box.
  const contentAttributes = { "aria-label": text, tabindex: "0" };
  const extensions = [
    basicSetup,
    format === "json" ? json() : yaml(),
    theme,
    server,
    linter((view) => [...view.state.field(server), ...syntax(view)], { delay: 400 }),
    lintGutter(),
    EditorView.contentAttributes.of(contentAttributes),
    EditorState.readOnly.of(textarea.readOnly),
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      textarea.value = update.state.doc.toString();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }),
  ];
  const host = document.createElement("div");
  host.className = "code-editor-host";
  const shadow = host.attachShadow({ mode: "open" });
  textarea.insertAdjacentElement("afterend", host);
  const view = new EditorView({
    state: EditorState.create({ doc: textarea.value, extensions }),
    parent: shadow,
    root: shadow,
  });
  textarea.classList.add("editor-hidden");
  if (label) label.addEventListener("click", () => view.focus());
  views.set(textarea, view);
  return view;
}

function initialise(root) {
  root.querySelectorAll("textarea[data-swagger-editor]").forEach((textarea) => {
    if (!views.has(textarea)) create(textarea);
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => initialise(document));
} else {
  initialise(document);
}
// htmx: a swapped-in or history-restored page.
document.addEventListener("htmx:load", () => initialise(document));
document.addEventListener("htmx:historyRestore", () => initialise(document));
