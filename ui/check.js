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

function setBusy(busy) {
  state.busy = busy;
  // Everything that can send a secret waits for the running check.
  $("test").disabled = busy;
  for (const b of document.querySelectorAll("[data-sends-secret]")) b.disabled = busy;
  $("ladder").setAttribute("aria-busy", busy ? "true" : "false");
  document.dispatchEvent(new Event("busy-changed"));
}

/**
 * Asks before a risky send, with the safe answer as the default: a third
 * login inside the lockout window, or a password to what looks like a
 * person's login. `run(force, personLoginOk)`; `null` when the technician
 * said no (nothing was sent). `asking(true)` while a question is open,
 * `asking(false)` when the test goes on, for a status outside the ladder.
 */
export async function withAsking(run, asking = () => {}) {
  const waitingForAnswer = () => {
    resetLadder("pending");
    outcomeNote("Waiting for your answer: nothing has been sent.");
    asking(true);
  };
  const testing = () => {
    resetLadder("running");
    outcomeNote("Testing the connection…");
    asking(false);
  };
  let force = false;
  let personLoginOk = false;
  for (;;) {
    try {
      return await run(force, personLoginOk);
    } catch (err) {
      if (err.kind === "lockout_risk" && !force) {
        waitingForAnswer();
        const r = await openDialog({
          title: "Risk of locking the API user",
          text: `${err.message} Try anyway only if you have just fixed the secret.`,
          ok: "Try anyway", cancel: "Cancel", risky: true,
        });
        if (!r.ok) return null;
        force = true;
        testing();
      } else if (err.kind === "person_login" && !personLoginOk) {
        waitingForAnswer();
        const r = await openDialog({
          title: "Send a person's password?",
          text: `${err.message} Use the API user's Username (Key) instead. Send only if you are sure this is an API user.`,
          ok: "Send anyway", cancel: "Don't send", risky: true,
        });
        if (!r.ok) return null;
        personLoginOk = true;
        testing();
      } else {
        throw err;
      }
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
    renderReport(report, { vendor, subject, fieldLabel, onUseZone: hooks.onUseZone });
    if (subject.kind === "form") blameFields(report);
    setReportAvailable(true);
    return report;
  } catch (err) {
    resetLadder("pending");
    if (subject.kind === "form" && (err.field || (err.lints && err.lints.length))) {
      showInputError(err);
      // The fix is in the form: go to the first field to fix, not the verdict.
      focusField = err.field || (err.lints.find((l) => l.severity === "error") || err.lints[0]).field;
      outcomeNote(err.kind === "person_login" ? errorMessage(err) : "Not tested: fix the highlighted fields first.", "verdict fail");
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
  return streamingCheck((onStep) => withAsking((force) => api.checkProfile(p.name, force, onStep)),
    vendorById(p.vendor), { kind: "profile", name: p.name });
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
  await api.setSecret(r.value);
  const vendor = vendorById(p.vendor);
  const report = await streamingCheck((onStep) => withAsking((force) => api.rotateProfile(p.name, force, onStep)),
    vendor, { kind: "rotation", name: p.name });
  if (report) {
    const untested = report.steps.some((s) => s.id === "authentication" && s.status === "skipped");
    const line = report.passed && untested
      ? `The new secret replaced the one stored for “${p.name}”. It was not tested here: ${vendor.name}'s own Test button verifies it.`
      : report.passed
      ? `The new secret works and replaced the one stored for “${p.name}”.`
      : `The new secret did not pass; the secret stored for “${p.name}” was kept.`;
    document.querySelector("#outcome .verdict").textContent = line;
  }
  await api.setSecret("");
}
