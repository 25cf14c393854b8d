// The form's state, as Rust decides it (view::FormState), drawn on the page.
// The only module that writes `state.form`: every form command answers with
// the state after it, and this draws it. The page keeps no rules of its own.

import { $ } from "./dom.js";
import { state } from "./state.js";
import { clearHandoff } from "./handoff.js";
import { setLints, secretBeingTyped } from "./form.js";

/** The secret state last drawn: its lints replace the field's messages only
 *  when it changes (a check's own finding under the field stays). */
let drawnSecret = "";

/** The held secret: what the field cannot show. */
function renderSecret(form) {
  const s = form.secret;
  const held = $("secret-held");
  const field = $("secret");
  if (s.present && (s.source === "pasted" || s.source === "demo")) {
    field.value = "";
    field.placeholder = "Held by the app — type here to replace it";
    held.textContent = s.source === "demo"
      ? `✓ The demo secret (${s.length} characters) is held by the app; it is not shown.`
      : `✓ A secret of ${s.length} characters was taken from the pasted text; it is held by the app and not shown.`;
    held.className = "derived ok";
  } else if (form.saved_profile) {
    field.placeholder = "";
    held.textContent = `Test connection now tests the saved profile “${form.saved_profile}” with the secret in the ${form.store}; to change its secret, use Rotate secret.`;
    held.className = "derived note";
  } else {
    if (!s.present) field.placeholder = "";
    held.textContent = "";
  }
  // What is being typed is not the held secret yet: its lints come on change.
  const key = JSON.stringify(s);
  if (!secretBeingTyped() && key !== drawnSecret) {
    drawnSecret = key;
    setLints("secret", s.lints || []);
  }
  const typed = field.value !== "";
  const toggle = $("secret-toggle");
  toggle.disabled = !typed;
  toggle.title = typed ? "" : s.present && s.source !== "typed"
    ? "The app holds this secret and never shows it again."
    : "Nothing typed to show.";
}

/** Save: live or not (and why), the untested choice, the line under it. */
function renderSave(form) {
  const save = form.save;
  const untested = $("save-untested");
  untested.parentElement.hidden = !save.offer_untested;
  if (!save.offer_untested) untested.checked = false;
  $("save").disabled = !save.enabled || state.busy;
  $("save").title = save.reason || "";
  $("bar-save").disabled = $("save").disabled;
  $("bar-save").title = $("save").title;
  if (!state.busy) {
    $("save-status").textContent = save.status;
    $("save-status").className = `status ${save.tone}`;
  }
}

/** A result on screen that no longer describes the form says so. */
function renderLast(form) {
  const subject = document.querySelector("#outcome .subject");
  if (!subject) return;
  const stale = Boolean(form.last && form.last.subject === "form" && form.last.stale);
  if (stale && subject.dataset.kind === "form") {
    subject.textContent = "Tested: the form as it was before your last change. Test again for these values.";
    subject.classList.add("stale");
  }
  const use = document.querySelector("#outcome .use-zone");
  if (use && form.moved_zone === null) use.hidden = true;
}

export function render(form) {
  state.form = form;
  renderSecret(form);
  renderSave(form);
  renderLast(form);
  // The form's hand-off only while a passing check vouches for the form.
  if (!form.handoff && $("handoff").dataset.from === "form") clearHandoff();
  $("demo-leave").hidden = !form.demo;
  return form;
}

/** A command's answer: the form's state drawn, the result handed back. */
export function answered(answer) {
  render(answer.form);
  return answer.result;
}
