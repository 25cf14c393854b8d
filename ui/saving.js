// Save, Load, Clear form, and what the profile list's Rename and Delete
// mean for the form. What Save may do and what its line says is Rust's
// (FormState); this module sends what was typed and draws the answer.

import * as api from "./api.js";
import { $, errorMessage } from "./dom.js";
import { state } from "./state.js";
import { openDialog } from "./dialog.js";
import { render, answered } from "./render.js";
import { recipeNeeds } from "./present.js";
import { resetLadder, outcomeNote } from "./ladder.js";
import {
  fields, updateZone, edited, forgetSecret, clearBlame, clearAllMessages, chooseVendor, vendorById,
  setNeeds, showInputError, hideSecret,
} from "./form.js";
import { clearHandoff, showHandoff } from "./handoff.js";
import { refreshProfiles } from "./profiles.js";
import { setReportAvailable } from "./report.js";
import { refreshStoreHealth } from "./banners.js";

export const INITIAL_OUTCOME = "Run a test to see each step: network, zone, sign-in, tenant, permissions, usage.";

/** A transient line under Save (while a check runs, or an error). */
export function saveNote(text, cls = "") {
  $("save-status").textContent = text;
  $("save-status").className = `status ${cls}`;
}

export async function save() {
  const name = $("profile-name").value.trim();
  if (!name) {
    saveNote("Enter a name for the profile first.", "bad");
    $("profile-name").focus();
    return;
  }
  if ($("save").disabled) return;
  const untested = $("save-untested").checked;
  const current = fields();
  // Shown now: after the save it copies from the saved profile instead.
  const handoffShown = !$("handoff").hidden;
  let saved;
  try {
    saved = answered(await api.saveProfile(name, current, untested, false));
  } catch (err) {
    if (err.kind !== "profile_exists") return saveFailed(err);
    const r = await openDialog({ title: "Replace the profile?", text: `A profile named “${name}” already exists. Replacing it also replaces its stored secret.`, ok: "Replace", cancel: "Cancel", risky: true });
    if (!r.ok) return;
    try { saved = answered(await api.saveProfile(name, current, untested, true)); } catch (err2) { return saveFailed(err2); }
  }
  const view = saved.profile;
  forgetSecret();
  clearBlame();
  state.nameFrom = "loaded";
  // What was used: a moved zone is saved as the zone the check reached.
  if (view.zone_input) $("zone").value = view.zone_input;
  // The form no longer holds the secret: the hand-off now copies the saved one.
  if (handoffShown) {
    clearHandoff();
    try {
      showHandoff(await api.profileHandoff(view.name), { from: "profile", name: view.name });
    } catch (err) {
      $("handoff-status").textContent = errorMessage(err);
    }
  }
  await refreshProfiles();
}

function saveFailed(err) {
  saveNote(errorMessage(err), "bad");
  if (err.kind && err.kind.startsWith("store_")) refreshStoreHealth();
  if (err.field) showInputError(err);
}

/** Load: the profile into the form; its secret stays in the store. */
export async function loadIntoForm(p, afterVendorChange) {
  let loaded;
  try {
    loaded = answered(await api.loadProfile(p.name));
  } catch (err) {
    $("profiles-note").textContent = errorMessage(err);
    return;
  }
  $("vendor").value = vendorById(loaded.vendor).id;
  chooseVendor(afterVendorChange, { quiet: true, loading: true });
  $("zone").value = loaded.zone_input || (loaded.tenant ? loaded.tenant.web_url : "");
  $("username").value = loaded.username;
  $("integration_code").value = loaded.integration_code;
  // No needs saved: the vendor's recipe, else the default entities.
  setNeeds(loaded.entities.length ? loaded.entities : recipeNeeds(vendorById(loaded.vendor)), edited);
  $("profile-name").value = loaded.name;
  state.nameFrom = "loaded";
  forgetSecret();
  hideSecret();
  clearAllMessages();
  clearHandoff();
  updateZone();
  await edited();
  $("username").focus();
}

/** Rename and Delete in the list: Rust updates the form; the name field follows. */
export function profileRenamed(oldName, newName) {
  if ($("profile-name").value.trim() === oldName) $("profile-name").value = newName;
}

export function profileDeleted(name) {
  if ($("profile-name").value.trim() === name && state.nameFrom !== "typed") $("profile-name").value = "";
}

/** Clear form: every field, message, result and need; Rust forgets the
 *  secret, the last check and the saved profile shown, and a demo ends. */
export async function clearForm() {
  for (const id of ["zone", "username", "integration_code", "profile-name"]) $(id).value = "";
  state.nameFrom = null;
  render(await api.clearForm());
  forgetSecret();
  hideSecret();
  clearAllMessages();
  // The chosen vendor stays: its recipe, else the default entities.
  setNeeds(recipeNeeds(state.vendor), edited);
  $("zone-derived").textContent = "";
  clearHandoff();
  resetLadder("pending");
  outcomeNote(INITIAL_OUTCOME);
  setReportAvailable(false);
  await edited();
  $("zone").focus();
}
