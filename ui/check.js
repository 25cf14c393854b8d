// Running a check: of the form, of a saved profile, or of a new secret for
// one. Every run says what it tested; only a form check marks form fields.

import * as api from "./api.js";
import { $, errorMessage } from "./dom.js";
import { state } from "./state.js";
import { openDialog } from "./dialog.js";
import { resetLadder, showStep, renderReport, outcomeNote, bringVerdictIntoView } from "./ladder.js";
import { clearBlame, blameFields, showInputError, fieldLabel, vendorById } from "./form.js";
import { clearHandoff } from "./handoff.js";
import { setReportAvailable } from "./report.js";
import { answered, render } from "./render.js";

export function setBusy(busy) {
  state.busy = busy;
  // Everything that can send a secret waits for the running check.
  $("test").disabled = busy;
  for (const b of document.querySelectorAll("[data-sends-secret]")) b.disabled = busy;
  $("ladder").setAttribute("aria-busy", busy ? "true" : "false");
  document.dispatchEvent(new Event("busy-changed"));
}

/** The door's questions, as the window asks them: the safe answer is the
 *  default, and each yes is sent back as that one consent. */
const QUESTIONS = {
  lockout_risk: { consent: "force", title: "Risk of locking the API user", ok: "Try anyway",
    cancel: "Cancel", after: " Try anyway only if you have just fixed the secret." },
  guard_record_unreadable: { consent: "force", title: "The lockout guard's record cannot be read",
    ok: "Test once anyway", cancel: "Cancel", after: "" },
  person_login: { consent: "person_login", title: "Send a person's password?", ok: "Send anyway",
    cancel: "Don't send", after: "" },
  secret_length: { consent: "secret_length", title: "Send a secret of an unusual length?",
    ok: "Send anyway", cancel: "Don't send", after: "" },
};

/**
 * Asks before a risky send, with the safe answer as the default, whatever
 * Rust's door asks: a third login inside the lockout window, an unreadable
 * guard record, a password to what looks like a person's login, a secret of
 * another length than Autotask's. `run(consent)`; `null` when the technician
 * said no (nothing was sent). `asking(true)` while a question is open,
 * `asking(false)` when the test goes on, for a status outside the ladder.
 */
export async function withAsking(run, asking = () => {}) {
  return askingAbout(run, {
    waiting: () => {
      resetLadder("pending");
      outcomeNote("Waiting for your answer: nothing has been sent.");
      asking(true);
    },
    going: () => {
      resetLadder("running");
      outcomeNote("Testing the connection…");
      asking(false);
    },
  });
}

/**
 * The door's questions for any read that sends the secret (a check, the
 * webhook doctor): `run(consent)`, asking with the safe answer as the
 * default; `null` when the technician said no. `waiting()`/`going()` say
 * so where that read shows its result.
 */
export async function askingAbout(run, { waiting, going }) {
  const consent = { person_login: false, secret_length: false, force: false };
  for (;;) {
    try {
      return await run({ ...consent });
    } catch (err) {
      const q = QUESTIONS[err.kind];
      if (!q || consent[q.consent]) throw err;
      waiting();
      const r = await openDialog({ title: q.title, text: `${err.message}${q.after}`, ok: q.ok, cancel: q.cancel, risky: true });
      if (!r.ok) return null;
      consent[q.consent] = true;
      going();
    }
  }
}

/**
 * Runs `run(onStep)` with the live ladder and renders what it found.
 * `subject`: { kind: "form" } | { kind: "profile", name } | { kind: "rotation", name }.
 */
export async function streamingCheck(run, vendor, subject, hooks = {}) {
  // A new run replaces every finding of the last one, whatever its subject.
  clearBlame();
  clearHandoff();
  setReportAvailable(false);
  resetLadder("running");
  outcomeNote("Testing the connection…");
  setBusy(true);
  let focusField = null;
  try {
    const report = await run((step) => showStep(step));
    if (!report) {
      // The technician said no at a warning: nothing was sent.
      resetLadder("pending");
      outcomeNote("Not tested: nothing was sent to Autotask.");
      return null;
    }
    renderReport(report, {
      vendor, subject, fieldLabel, onUseZone: hooks.onUseZone, onRetest: hooks.onRetest,
      movedZone: state.form ? state.form.moved_zone : null,
    });
    if (subject.kind === "form") blameFields(report);
    setReportAvailable(true);
    return report;
  } catch (err) {
    resetLadder("pending");
    if (subject.kind === "form" && (err.field || (err.lints && err.lints.length))) {
      showInputError(err);
      // The fix is in the form: go to the first field to fix, not the verdict.
      focusField = err.field || (err.lints.find((l) => l.severity === "error") || err.lints[0]).field;
      outcomeNote(QUESTIONS[err.kind] ? errorMessage(err) : "Not tested: fix the highlighted fields first.", "verdict fail");
    } else {
      outcomeNote(`Not tested: ${errorMessage(err)}`, "verdict fail");
    }
    return null;
  } finally {
    setBusy(false);
    if (focusField && $(focusField)) $(focusField).focus();
    else bringVerdictIntoView();
  }
}

/** Test connection on a saved profile: its stored secret, its saved needs. */
export async function checkProfile(p) {
  if (state.busy) return null;
  return streamingCheck((onStep) => withAsking(async (consent) => answered(await api.checkProfile(p.name, consent, onStep))),
    vendorById(p.vendor), { kind: "profile", name: p.name }, { onRetest: () => checkProfile(p) });
}

/** Rotate: the new secret (typed in the dialog) is tested before it replaces the stored one. */
export async function rotateProfile(p) {
  if (state.busy) return;
  const r = await openDialog({
    title: `New secret for “${p.name}”`,
    text: "Generate a new secret in Autotask (edit the API user, Credentials, Generate Secret) and paste it here. It is tested first; the stored secret is replaced only if the test passes.",
    input: { label: "New API secret", type: "password" },
    ok: "Test and replace", cancel: "Cancel",
  });
  if (!r.ok) return;
  render(await api.setSecret(r.value));
  const vendor = vendorById(p.vendor);
  // Rust says whether the new secret replaced the stored one and why:
  // refused by Autotask is not "never sent".
  let message = null;
  const report = await streamingCheck((onStep) => withAsking(async (consent) => {
    const rotated = answered(await api.rotateProfile(p.name, consent, onStep));
    message = rotated.message;
    return rotated.check;
  }), vendor, { kind: "rotation", name: p.name });
  if (report && message) document.querySelector("#outcome .verdict").textContent = message;
  render(await api.setSecret(""));
}
