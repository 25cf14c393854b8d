// The page's wiring: start-up, the form's own actions (test, save, clear),
// the demo tenant. It never calls invoke itself (see api.js) and never
// keeps a secret.

import * as api from "./api.js";
import { $, el, errorMessage } from "./dom.js";
import { state } from "./state.js";
import { openDialog } from "./dialog.js";
import { suggestName, recipeNeeds } from "./present.js";
import { setSteps, resetLadder, outcomeNote } from "./ladder.js";
import {
  fields, updateZone, updateLints, showSecretState, sendSecretIfChanged, forgetSecret,
  clearBlame, clearField, clearAllMessages, loadVendors, chooseVendor, vendorById, setNeeds,
  setPortal, showInputError, updateSecretToggle, hideSecret,
} from "./form.js";
import { clearHandoff, showFormHandoff, showHandoff } from "./handoff.js";
import { streamingCheck, withAsking, checkProfile } from "./check.js";
import { refreshProfiles, setProfileHooks } from "./profiles.js";
import { setReportAvailable, wireReport } from "./report.js";
import { wireWebhooks } from "./webhooks.js";

// Segoe UI / San Francisco on Windows and macOS, where resolving it is free;
// Linux keeps fontconfig's sans-serif (see styles.css).
if (!/Linux/.test(navigator.userAgent)) document.documentElement.classList.add("native-font");

const INITIAL_OUTCOME = "Run a test to see each step: network, zone, sign-in, tenant, permissions, usage.";

function setSaveStatus(text, cls) {
  const s = $("save-status");
  s.textContent = text;
  s.className = `status ${cls || ""}`;
  updateSaveButton();
}

/** Save is live only when it can work: a passing test (or the explicit
 *  untested choice) and a credential store. */
function updateSaveButton() {
  // "Save without a passing test" only where there is no passing test.
  $("save-untested").parentElement.hidden = state.checkPassed;
  if (state.checkPassed) $("save-untested").checked = false;
  const can = state.storeOk && !state.busy && (state.checkPassed || $("save-untested").checked);
  $("save").disabled = !can;
  $("save").title = can ? "" : !state.storeOk
    ? "The credential store is not available: see the banner above."
    : "Test the connection first, or tick “Save without a passing test”.";
}

/** The form no longer shows what the last check tested. */
function invalidateCheck() {
  if (state.savedProfile) {
    // The form no longer shows the saved profile: its note would be false.
    state.savedProfile = null;
    $("secret-held").textContent = "";
    setSaveStatus("The form changed: test it to save these values.", "");
  }
  const subject = document.querySelector("#outcome .subject");
  if (subject && subject.dataset.kind === "form") {
    subject.textContent = "Tested: the form as it was before your last change. Test again for these values.";
    subject.classList.add("stale");
  }
  clearHandoff();
  if (state.checkPassed) {
    state.checkPassed = false;
    setSaveStatus("The form changed since the last test: test again before saving.", "");
  }
  updateSaveButton();
}

/** A name from Load or a suggestion belongs to that tenant: a different
 *  username or zone is another integration, so it goes. */
function tenantChanged() {
  if (state.nameFrom === "loaded" || state.nameFrom === "suggested") {
    $("profile-name").value = "";
    state.nameFrom = null;
  }
}

// ------------------------------------------------------------ testing

async function test(e) {
  e.preventDefault();
  if (state.busy) return;
  const saved = state.savedProfile;
  if (saved && !state.secretDirty && !state.secretHeld && !$("secret").value) {
    // The form shows a saved profile whose secret is in the store, not here:
    // test that, rather than an empty secret (and its advice to generate one).
    await checkProfile(saved);
    await refreshProfiles();
    return;
  }
  await sendSecretIfChanged();
  const tested = fields();
  const vendor = state.vendor;
  state.checkPassed = false;
  setSaveStatus("Testing…", "");
  const report = await streamingCheck(
    (onStep) => withAsking((consent) => api.runCheck(tested, consent, onStep),
      (open) => setSaveStatus(open ? "Waiting for your answer…" : "Testing…", "")),
    vendor, { kind: "form" }, {
      onUseZone: (n, button) => useFoundZone(tested, n, button),
      onRetest: () => $("test").click(),
    });
  if (!report) {
    setSaveStatus("Save is available once the connection test passes.", "");
    return;
  }
  state.checkPassed = report.passed;
  if (report.passed) {
    if (report.tenant) setPortal(report.tenant.web_url);
    if (!$("profile-name").value.trim() || state.nameFrom !== "typed") {
      $("profile-name").value = suggestName({
        company: report.tenant && report.tenant.company_name, vendor, username: tested.username,
      }, state.profileNames);
      state.nameFrom = "suggested";
    }
    setSaveStatus(vendor.bound
      ? `Username and zone confirmed: these can be saved for ${vendor.name} (the secret is not tested here).`
      : "The test passed: these credentials can be saved.", "ok");
    await showFormHandoff(tested);
  } else {
    setSaveStatus("Save is available once the connection test passes (or tick “Save without a passing test”).", "");
  }
}

/** "Use zone N": the field takes the zone the check reached; that check
 *  still vouches for the form, so Save needs no second sign-in. */
async function useFoundZone(tested, n, button) {
  let moved;
  try {
    moved = await api.adoptFoundZone(tested);
  } catch (err) {
    button.replaceWith(el("span", { class: "bad", text: errorMessage(err) }));
    return;
  }
  $("zone").value = moved.zone;
  clearField("zone");
  updateZone();
  button.replaceWith(el("span", { class: "ok", text: `✓ The Autotask URL is now zone ${n}'s; Save stores it.` }));
  await showFormHandoff(fields());
}

// ------------------------------------------------------------ saving

async function save() {
  const name = $("profile-name").value.trim();
  if (!name) {
    setSaveStatus("Enter a name for the profile first.", "bad");
    $("profile-name").focus();
    return;
  }
  if ($("save").disabled) return;
  await sendSecretIfChanged();
  const untested = $("save-untested").checked;
  const current = fields();
  let view;
  try {
    view = await api.saveProfile(name, current, untested, false);
  } catch (err) {
    if (err.kind !== "profile_exists") return saveFailed(err);
    const r = await openDialog({ title: "Replace the profile?", text: `A profile named “${name}” already exists. Replacing it also replaces its stored secret.`, ok: "Replace", cancel: "Cancel", risky: true });
    if (!r.ok) return;
    try { view = await api.saveProfile(name, current, untested, true); } catch (err2) { return saveFailed(err2); }
  }
  forgetSecret(`Saved in the ${state.storeBackend}; the secret is no longer in this window. Test connection now tests the saved profile.`);
  clearBlame();
  $("save-untested").checked = false;
  state.nameFrom = "loaded";
  state.savedProfile = { name: view.name, vendor: view.vendor };
  // What was used: a moved zone is saved as the zone the check reached.
  if (view.zone_input) $("zone").value = view.zone_input;
  setSaveStatus(`Saved “${view.name}”. Its secret is in the ${state.storeBackend}.`, "ok");
  // The form no longer holds the secret: the hand-off now copies the saved one.
  if (!$("handoff").hidden) {
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
  setSaveStatus(errorMessage(err), "bad");
  if (err.kind && err.kind.startsWith("store_")) refreshStoreHealth();
  if (err.field) showInputError(err);
}

// ------------------------------------------------ what the profiles say

async function loadIntoForm(p) {
  $("vendor").value = vendorById(p.vendor).id;
  chooseVendor(afterVendorChange, true);
  $("zone").value = p.zone_input || (p.tenant ? p.tenant.web_url : "");
  $("username").value = p.username;
  $("integration_code").value = p.integration_code;
  // No needs saved: the vendor's recipe, else the default entities.
  setNeeds(p.entities.length ? p.entities : recipeNeeds(vendorById(p.vendor)), invalidateCheck);
  $("profile-name").value = p.name;
  state.nameFrom = "loaded";
  await api.setSecret("");
  forgetSecret(p.has_secret ? `The secret of “${p.name}” stays in the ${state.storeBackend}. Test connection tests it with that secret; to change the secret, use Rotate secret.` : "");
  clearAllMessages();
  clearHandoff();
  updateZone();
  updateLints();
  setSaveStatus(`Loaded “${p.name}”.`, "");
  state.savedProfile = p.has_secret ? { name: p.name, vendor: p.vendor } : null;
  $("username").focus();
}

function profileRenamed(oldName, newName) {
  if (state.savedProfile && state.savedProfile.name === oldName) state.savedProfile.name = newName;
  if ($("profile-name").value.trim() === oldName) $("profile-name").value = newName;
  if ($("save-status").textContent.includes(`“${oldName}”`)) setSaveStatus(`Renamed to “${newName}”.`, "ok");
}

function profileDeleted(name) {
  if (state.savedProfile && state.savedProfile.name === name) {
    state.savedProfile = null;
    $("secret-held").textContent = "";
  }
  if ($("profile-name").value.trim() === name && state.nameFrom !== "typed") $("profile-name").value = "";
  if ($("save-status").textContent.includes(`“${name}”`)) setSaveStatus(`Deleted “${name}”.`, "");
}

// ------------------------------------------------------- clearing

async function clearForm() {
  for (const id of ["zone", "username", "integration_code", "profile-name"]) $(id).value = "";
  state.nameFrom = null;
  await api.clearForm();
  forgetSecret("");
  hideSecret();
  state.savedProfile = null;
  $("save-untested").checked = false;
  clearAllMessages();
  $("zone-derived").textContent = "";
  clearHandoff();
  resetLadder("pending");
  outcomeNote(INITIAL_OUTCOME);
  setReportAvailable(false);
  setSaveStatus("Save is available once the connection test passes.", "");
  $("zone").focus();
}

// ------------------------------------------------------- start-up state

async function refreshStoreHealth() {
  const h = await api.storeHealth();
  state.storeBackend = h.backend;
  state.storeOk = h.ok;
  $("store-banner").hidden = h.ok;
  $("store-message").replaceChildren(...withCode(h.message || ""));
  updateSaveButton();
}

/** `text` with `commands` in backticks as <code> (Rust's messages serve the CLI too). */
function withCode(text) {
  return text.split("`").map((part, i) => (i % 2 ? el("code", { text: part }) : document.createTextNode(part)));
}

function showDemoUsers() {
  const list = $("demo-user-list");
  list.replaceChildren(...state.info.demo_users.slice(1).map((u) =>
    el("li", {}, el("code", { text: u.username }), ` ${u.shows}`)));
}

async function showAppInfo(info) {
  state.storeBackend = info.store_backend || state.storeBackend;
  showDemoUsers();
  if (info.routed_to) {
    $("demo-banner").hidden = false;
    if (info.demo) {
      $("demo-route").textContent = `Autotask is simulated on this computer (${info.routed_to}); every check goes there, nothing reaches Autotask.`;
      $("demo-actions").hidden = false;
    } else {
      $("demo-title").textContent = "Test routing";
      $("demo-route").textContent = `This development build sends every Autotask host to ${info.routed_to}, as its environment asks (AUTOTASK_CONNECT_CONNECT_TO). Installed builds never do.`;
    }
  }
  $("demo-start").hidden = Boolean(info.demo);
  if (info.setup_problem) {
    $("setup-banner").hidden = false;
    $("setup-message").textContent = info.setup_problem;
  }
}

/** The demo's visible values into the fields; its secret is already in Rust. */
function fillWithDemo(r) {
  // The demo user has its own integration code: "my own integration".
  $("vendor").value = "custom";
  chooseVendor(afterVendorChange);
  $("zone").value = r.fields.zone;
  $("username").value = r.fields.username;
  $("integration_code").value = r.fields.integration_code;
  showSecretState(r.secret, "demo");
  tenantChanged();
  clearBlame();
  invalidateCheck();
  updateZone();
  updateLints();
  $("test").scrollIntoView({ block: "center" });
  $("test").focus({ preventScroll: true });
}

async function startDemo() {
  let r;
  try {
    r = await api.startDemo();
  } catch (err) {
    outcomeNote(errorMessage(err));
    return;
  }
  $("demo-start").hidden = true;
  $("demo-banner").hidden = false;
  $("demo-route").textContent = `Autotask is simulated inside this app (${r.route}). Until you leave the demo, this form's checks go there; saved profiles are always checked against the real Autotask.`;
  $("demo-actions").hidden = false;
  $("demo-fill").hidden = true;
  $("demo-leave").hidden = false;
  fillWithDemo(r);
}

async function leaveDemo() {
  await api.leaveDemo();
  $("demo-banner").hidden = true;
  $("demo-start").hidden = false;
  invalidateCheck();
  $("demo-start").focus();
  outcomeNote("Left the demo: checks go to the real Autotask.");
}

function afterVendorChange() {
  invalidateCheck();
  updateLints();
}

function wire() {
  $("form").addEventListener("submit", test);
  $("form").addEventListener("paste", onPaste, true);
  $("zone").addEventListener("input", () => { clearField("zone"); tenantChanged(); invalidateCheck(); updateZone(); });
  for (const id of ["username", "integration_code"]) {
    $(id).addEventListener("input", () => {
      clearField(id);
      if (id === "username") tenantChanged();
      invalidateCheck();
      updateLints();
    });
  }
  $("secret").addEventListener("input", () => {
    state.savedProfile = null;
    state.secretDirty = true;
    state.secretHeld = false;
    $("secret").placeholder = "";
    $("secret-held").textContent = "";
    clearField("secret");
    invalidateCheck();
    updateSecretToggle();
  });
  $("secret").addEventListener("change", sendSecretIfChanged);
  $("secret-toggle").addEventListener("click", () => {
    const s = $("secret");
    const show = s.type === "password";
    s.type = show ? "text" : "password";
    $("secret-toggle").textContent = show ? "Hide" : "Show";
    $("secret-toggle").setAttribute("aria-pressed", show ? "true" : "false");
  });
  $("clear").addEventListener("click", clearForm);
  $("vendor").addEventListener("change", () => chooseVendor(afterVendorChange));
  $("save").addEventListener("click", save);
  $("profile-name").addEventListener("input", () => { state.nameFrom = $("profile-name").value ? "typed" : null; });
  $("profile-name").addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); save(); }
  });
  $("save-untested").addEventListener("change", updateSaveButton);
  document.addEventListener("busy-changed", updateSaveButton);
  wireReport();
  wireWebhooks();
  $("demo-fill").addEventListener("click", async () => fillWithDemo(await api.useDemo()));
  $("demo-start").addEventListener("click", startDemo);
  $("demo-leave").addEventListener("click", leaveDemo);
  $("store-retry").addEventListener("click", refreshStoreHealth);
  document.addEventListener("click", (e) => {
    const link = e.target.closest("[data-link]");
    if (!link) return;
    e.preventDefault();
    api.openLink(link.dataset.link).catch((err) => outcomeNote(errorMessage(err)));
  });
  setProfileHooks({ load: loadIntoForm, renamed: profileRenamed, deleted: profileDeleted });
}

// ------------------------------------------------------------- pasting

async function onPaste(e) {
  const text = e.clipboardData ? e.clipboardData.getData("text/plain") : "";
  if (!/[\r\n\t]/.test(text.trim())) return; // one value: an ordinary paste
  e.preventDefault();
  const target = e.target;
  const r = await api.pasteBlock(text);
  if (!r.is_block) {
    // Not a block after all: paste it as the field would have.
    if (target instanceof HTMLInputElement) {
      target.setRangeText(text.replace(/[\r\n]+/g, " ").trim(), target.selectionStart, target.selectionEnd, "end");
      target.dispatchEvent(new Event("input", { bubbles: true }));
    }
    return;
  }
  const filled = [];
  if (r.zone) { $("zone").value = r.zone; filled.push("Autotask URL"); }
  if (r.username) { $("username").value = r.username; filled.push("API username"); }
  if (r.integration_code) { $("integration_code").value = r.integration_code; filled.push("integration code"); }
  if (r.secret) { state.secretDirty = false; showSecretState(r.secret, "paste"); filled.push("API secret"); }
  tenantChanged();
  clearBlame();
  invalidateCheck();
  updateZone();
  updateLints();
  outcomeNote(`Filled from the pasted text: ${filled.join(", ")}.`);
  $("test").focus({ preventScroll: false });
}

// ------------------------------------------------------------- start

wire();
const info = await api.appInfo();
state.info = info;
setSteps(info.steps);
resetLadder("pending");
await loadVendors(afterVendorChange);
setNeeds([], invalidateCheck);
updateSecretToggle();
updateSaveButton();
// Interactive now; the rest fills in without blocking the form.
api.appReady();
showAppInfo(info);
refreshStoreHealth();
refreshProfiles();
