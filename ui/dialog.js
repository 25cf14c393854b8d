// The one modal question. The safe choice is the default in every risky one.

import { $ } from "./dom.js";

/** A modal question. With `risky`, the confirming button is drawn as a
 *  warning and the safe one (Cancel) is the default: Enter does not delete,
 *  replace, send a third login or a person's password. */
export function openDialog({ title, text = "", input = null, ok = "OK", cancel = "Cancel", risky = false }) {
  const d = $("dialog");
  $("dialog-title").textContent = title;
  $("dialog-text").textContent = text;
  $("dialog-input-wrap").hidden = !input;
  const field = $("dialog-input");
  field.value = "";
  if (input) {
    $("dialog-input-label").textContent = input.label;
    field.type = input.type || "text";
    field.value = input.value || "";
  }
  $("dialog-ok").textContent = ok;
  $("dialog-ok").className = risky ? "danger" : "primary";
  $("dialog-cancel").hidden = cancel === null;
  $("dialog-cancel").textContent = cancel || "";
  $("dialog-cancel").className = risky ? "primary" : "secondary";
  // Enter submits the form's first submit button: put the safe one first.
  const actions = $("dialog-ok").parentElement;
  if (risky) actions.prepend($("dialog-cancel"));
  else actions.prepend($("dialog-ok"));
  return new Promise((resolve) => {
    d.addEventListener("close", () => {
      const value = field.value;
      field.value = ""; // a secret typed here does not stay in the page
      resolve({ ok: d.returnValue === "ok", value });
    }, { once: true });
    d.returnValue = "";
    d.showModal();
    (input ? field : risky ? $("dialog-cancel") : $("dialog-ok")).focus();
  });
}
