// The demo tenant inside the app: a namespace of its own (Rust keeps its
// profiles, ledger and store apart from everything real) until the
// technician leaves it, clears the form or pastes real values.

import * as api from "./api.js";
import { $, errorMessage } from "./dom.js";
import { state } from "./state.js";
import { render, answered } from "./render.js";
import { outcomeNote, resetLadder } from "./ladder.js";
import { chooseVendor, updateZone, edited, clearBlame, clearAllMessages, forgetSecret } from "./form.js";
import { clearHandoff } from "./handoff.js";
import { refreshProfiles } from "./profiles.js";
import { setReportAvailable } from "./report.js";
import { clearWebhooks } from "./webhooks.js";

/** The demo's visible values into the fields; its secret is already in Rust. */
export async function fillWithDemo(filled, afterVendorChange) {
  // The demo user has its own integration code: "my own integration".
  $("vendor").value = "custom";
  chooseVendor(afterVendorChange, { quiet: true });
  $("zone").value = filled.fields.zone;
  $("username").value = filled.fields.username;
  $("integration_code").value = filled.fields.integration_code;
  forgetSecret();
  if (state.nameFrom !== "typed") $("profile-name").value = "";
  clearBlame();
  updateZone();
  await edited();
  $("test").scrollIntoView({ block: "center" });
  $("test").focus({ preventScroll: true });
}

export async function startDemo(afterVendorChange) {
  let started;
  try {
    started = answered(await api.startDemo());
  } catch (err) {
    outcomeNote(errorMessage(err));
    return;
  }
  $("demo-start").hidden = true;
  $("demo-banner").hidden = false;
  $("demo-route").textContent = `Autotask is simulated inside this app (${started.route}). Until you leave the demo, the form, the saved profiles below and every test of them are the demo's own: nothing reaches the real Autotask, your credential store or your profiles, and the demo's profiles are gone when you leave.`;
  $("demo-actions").hidden = false;
  $("demo-fill").hidden = true;
  resetLadder("pending");
  setReportAvailable(false);
  clearHandoff();
  clearWebhooks(); // a real profile's webhooks are not the demo's
  await fillWithDemo(started, afterVendorChange);
  await refreshProfiles();
}

/** The demo is over (left, cleared, real values pasted): back to the real things. */
export async function demoEnded(note) {
  $("demo-banner").hidden = true;
  $("demo-start").hidden = false;
  clearAllMessages();
  clearHandoff();
  clearWebhooks(); // the demo's profiles are gone, and their webhooks with them
  resetLadder("pending");
  setReportAvailable(false);
  outcomeNote(note);
  await refreshProfiles();
}

export async function leaveDemo() {
  render(await api.leaveDemo());
  await demoEnded("Left the demo: its profiles are gone, and checks go to the real Autotask.");
  $("demo-start").focus();
}
