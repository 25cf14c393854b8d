// Small DOM helpers shared by the page's modules.

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

export function debounce(fn, ms) {
  let t;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

/** The sentence of an error from Rust ({kind, message, field, lints}). */
export function errorMessage(err) {
  if (err && typeof err === "object" && err.message) return err.message;
  return String(err);
}

/** A line, with the rest behind "More" when there is a rest. */
export function lineWithMore(cls, line, more) {
  if (!more) return el("p", { class: cls, text: line });
  return el("details", { class: `more ${cls}` },
    el("summary", {}, el("span", { text: line }), el("span", { class: "more-label", text: "More" })),
    el("p", { text: more }));
}
