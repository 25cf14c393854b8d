// "Enter these in <vendor>": each value in the vendor's order and format,
// with Copy (done by Rust: the secret never comes to the page).

import * as api from "./api.js";
import { $, el, errorMessage } from "./dom.js";
import { state } from "./state.js";
import { vendorById } from "./form.js";

let clearedTimer = null;

export function clearHandoff() {
  $("handoff").hidden = true;
  delete $("handoff").dataset.from;
  $("handoff-fields").replaceChildren();
  $("checklist-items").replaceChildren();
  $("handoff-checklist").hidden = true;
  $("handoff-status").textContent = "";
  $("handoff-status").className = "status";
}

/** `source` is { from: "form", fields } or { from: "profile", name }. */
export function showHandoff(h, source) {
  const v = vendorById(h.vendor);
  $("handoff").dataset.from = source.from;
  $("handoff-title").textContent = v.id === "custom" ? "Enter these in your integration" : `Enter these in ${v.name}`;
  const where = source.from === "profile"
    ? `From the saved profile “${source.name}”. Its secret is read from the ${state.form ? state.form.store : state.storeBackend} when you copy it.`
    : "In this order. A copied secret is marked sensitive for clipboard managers and cleared from the clipboard after a while.";
  // Where the vendor's own test is the only test, its wait is said here too.
  $("handoff-note").textContent = v.bound
    ? `${where} ${v.name}'s own test is the test of the secret: Autotask can take up to ${v.setup.ready_after_minutes} minutes to accept a new API user.`
    : where;
  const list = $("handoff-fields");
  list.replaceChildren();
  h.fields.forEach((f, i) => {
    const status = el("p", { class: "copy-status", "aria-live": "polite" });
    const shown = f.value !== null ? f.value
      : f.kind === "secret" ? "•••••••• (not shown)" : "(not known)";
    const button = el("button", { type: "button", class: "secondary", "aria-label": `Copy ${f.label}`, text: "Copy" });
    button.addEventListener("click", async () => {
      // Only the last copy is on the clipboard: no other row says "Copied".
      for (const other of list.querySelectorAll(".copy-status")) other.textContent = "";
      clearTimeout(clearedTimer);
      status.className = "copy-status";
      try {
        const c = await api.copyValue(source, i);
        status.textContent = c.sensitive
          ? `Copied. The clipboard will be cleared in ${c.clears_in_seconds} seconds if it still holds the secret.`
          : "Copied.";
        if (c.sensitive) {
          clearedTimer = setTimeout(() => {
            if (status.textContent.startsWith("Copied.")) status.textContent = "Cleared from the clipboard (if nothing else was copied since).";
          }, c.clears_in_seconds * 1000 + 500);
        }
      } catch (err) {
        status.textContent = errorMessage(err);
        status.className = "copy-status bad";
      }
    });
    list.append(el("div", { class: "handoff-row", role: "listitem" },
      el("span", { class: "label", text: f.label }),
      el("span", { class: "value", text: shown }),
      button, status));
  });
  // The vendor's recipe where nothing here tested it (a vendor-bound user).
  $("checklist-items").replaceChildren(...h.checklist.map((line) => el("li", { text: line })));
  $("handoff-checklist").hidden = h.checklist.length === 0;
  $("handoff-status").textContent = "";
  $("handoff").hidden = false;
}

export async function showFormHandoff(tested) {
  clearHandoff();
  try {
    showHandoff(await api.formHandoff(tested), { from: "form", fields: tested });
  } catch (err) {
    $("handoff-status").textContent = errorMessage(err);
  }
}

/** A saved profile's values. Without a passing last test they are what was
 *  saved, not what is known to work: said above them. */
export async function showProfileHandoff(p) {
  clearHandoff();
  try {
    showHandoff(await api.profileHandoff(p.name), { from: "profile", name: p.name });
    const c = p.last_check;
    if (!c || !c.passed) {
      $("handoff-status").textContent = c
        ? `Caution: the last test of “${p.name}” did not pass. These are the saved values, not values known to work: test the profile first.`
        : `Caution: “${p.name}” was never tested. These are the saved values, not values known to work: test the profile first.`;
      $("handoff-status").className = "status bad";
    }
    $("handoff").scrollIntoView({ block: "nearest" });
  } catch (err) {
    $("profiles-note").textContent = errorMessage(err);
  }
}
