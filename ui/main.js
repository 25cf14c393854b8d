// The page's wiring: start-up, the form's own actions (test, paste), and
// which module answers each button. It never calls invoke itself (see
// api.js), keeps no secret, and keeps no rule about the form: Rust's
// FormState (drawn by render.js) says what Save can do and why.

import * as api from "./api.js";
import { $, el, errorMessage } from "./dom.js";
import { state } from "./state.js";
import { suggestName } from "./present.js";
import { setSteps, resetLadder, outcomeNote, bringVerdictIntoView } from "./ladder.js";
import { render, answered } from "./render.js";
import {
  fields, updateZone, updateLints, edited, sendSecretIfChanged, secretTyped, clearBlame, clearField,
  loadVendors, chooseVendor, setNeeds, setPortal, updateSecretToggle, FIELDS,
} from "./form.js";
import { showFormHandoff, clearHandoff } from "./handoff.js";
import { streamingCheck, withAsking, checkProfile } from "./check.js";
import { refreshProfiles, setProfileHooks } from "./profiles.js";
import { wireReport } from "./report.js";
import { save, saveNote, loadIntoForm, profileRenamed, profileDeleted, clearForm } from "./saving.js";
import { refreshStoreHealth, showAppInfo } from "./banners.js";
import { startDemo, leaveDemo, fillWithDemo, demoEnded } from "./demo.js";
import { offerUpdate } from "./update.js";
import { wireWebhooks } from "./webhooks.js";

// Segoe UI / San Francisco on Windows and macOS, where resolving it is free;
// Linux keeps fontconfig's sans-serif (see styles.css).
if (!/Linux/.test(navigator.userAgent)) document.documentElement.classList.add("native-font");

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
  await sendSecretIfChanged();
  const saved = state.form && state.form.saved_profile;
  if (saved && !$("secret").value) {
    // The form shows a saved profile whose secret is in the store, not here:
    // test that, rather than an empty secret (and its advice to generate one).
    await checkProfile({ name: saved, vendor: state.vendor.id });
    await refreshProfiles();
    return;
  }
  const tested = fields();
  const vendor = state.vendor;
  saveNote("Testing…");
  const report = await streamingCheck(
    (onStep) => withAsking(async (consent) => answered(await api.runCheck(tested, consent, onStep)),
      (open) => saveNote(open ? "Waiting for your answer…" : "Testing…")),
    vendor, { kind: "form" }, {
      onUseZone: (n, button) => useFoundZone(tested, n, button),
      onRetest: () => $("test").click(),
    });
  if (state.form) render(state.form);
  if (!report || !report.passed) return;
  if (report.tenant) setPortal(report.tenant.web_url);
  if (!$("profile-name").value.trim() || state.nameFrom !== "typed") {
    $("profile-name").value = suggestName({
      company: report.tenant && report.tenant.company_name, vendor, username: tested.username,
    }, state.profileNames);
    state.nameFrom = "suggested";
  }
  await showFormHandoff(tested);
}

/** "Use zone N": the field takes the zone the check reached; that check
 *  still vouches for the form, so Save needs no second sign-in. */
async function useFoundZone(tested, n, button) {
  let moved;
  try {
    moved = answered(await api.adoptFoundZone(tested));
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

// ------------------------------------------------------------- pasting

/** Every paste goes to Rust, which decides where each value belongs (a
 *  secret never lands in another field) and says which line filled what. */
async function onPaste(e) {
  const text = e.clipboardData ? e.clipboardData.getData("text/plain") : "";
  const target = e.target;
  const focused = FIELDS.includes(target.id) ? target.id : null;
  if (!text.trim() || !focused) return;
  e.preventDefault();
  const wasDemo = Boolean(state.form && state.form.demo);
  const r = answered(await api.pasteBlock(text, focused));
  for (const f of ["zone", "username", "integration_code"]) {
    if (r[f] !== null && r[f] !== undefined) { $(f).value = r[f]; clearField(f); }
  }
  if (r.secret) { $("secret").value = ""; clearField("secret"); updateSecretToggle(); }
  if (r.type_into_secret) {
    // The secret field takes what was pasted, as if typed (it is the page's
    // own clipboard text: nothing came back from Rust).
    const s = $("secret");
    s.setRangeText(text.replace(/\r?\n$/, ""), s.selectionStart, s.selectionEnd, "end");
    secretTyped();
    await sendSecretIfChanged();
  }
  if (r.fields.length) {
    tenantChanged();
    clearBlame();
    updateZone();
    await edited();
  }
  if (wasDemo && !state.form.demo) await demoEnded("Real values were pasted: the demo ended, and checks go to the real Autotask.");
  // Which line filled which field, in one line (never a value).
  $("paste-note").textContent = r.account;
  $("paste-note").className = r.fields.length ? "derived ok" : "derived note";
  const next = r.is_block ? $("test") : r.fields.length ? $(r.fields[0]) : target;
  next.focus({ preventScroll: false });
}

// ------------------------------------------------------------- wiring

/** Another choice of who uses the API user is a change Rust must see at
 *  once (not debounced away by a switch back): the form changed. */
function afterVendorChange() {
  // Another vendor's form: no hand-off on screen is for it any more.
  clearHandoff();
  edited();
}

function wire() {
  $("form").addEventListener("submit", test);
  $("form").addEventListener("paste", onPaste, true);
  // An edit ends whatever the last check vouched for at once (the form's
  // hand-off with it); Rust's answer follows.
  const changed = () => { if ($("handoff").dataset.from === "form") clearHandoff(); };
  $("zone").addEventListener("input", () => { changed(); clearField("zone"); tenantChanged(); updateZone(); updateLints(); });
  for (const id of ["username", "integration_code"]) {
    $(id).addEventListener("input", () => {
      changed();
      clearField(id);
      if (id === "username") tenantChanged();
      updateLints();
    });
  }
  $("secret").addEventListener("input", () => { changed(); secretTyped(); });
  $("secret").addEventListener("change", sendSecretIfChanged);
  $("secret-toggle").addEventListener("click", () => {
    const s = $("secret");
    const show = s.type === "password";
    s.type = show ? "text" : "password";
    $("secret-toggle").textContent = show ? "Hide" : "Show";
    $("secret-toggle").setAttribute("aria-pressed", show ? "true" : "false");
  });
  $("clear").addEventListener("click", async () => {
    const wasDemo = Boolean(state.form && state.form.demo);
    await clearForm();
    if (wasDemo) await demoEnded("The form was cleared and the demo ended: checks go to the real Autotask.");
  });
  $("vendor").addEventListener("change", () => chooseVendor(afterVendorChange));
  $("save").addEventListener("click", () => save());
  $("profile-name").addEventListener("input", () => { state.nameFrom = $("profile-name").value ? "typed" : null; });
  $("profile-name").addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); save(); }
  });
  $("save-untested").addEventListener("change", edited);
  document.addEventListener("busy-changed", () => state.form && render(state.form));
  wireReport();
  wireWebhooks();
  $("demo-fill").addEventListener("click", async () => fillWithDemo(answered(await api.useDemo()), afterVendorChange));
  $("demo-start").addEventListener("click", () => startDemo(afterVendorChange));
  $("demo-leave").addEventListener("click", leaveDemo);
  $("store-retry").addEventListener("click", refreshStoreHealth);
  // The action bar: the same Test and Save, and the verdict leads to the outcome.
  $("bar-test").addEventListener("click", () => $("test").click());
  $("bar-save").addEventListener("click", () => save());
  $("bar-verdict").addEventListener("click", bringVerdictIntoView);
  new IntersectionObserver(([entry]) => {
    $("action-bar").classList.toggle("offscreen", !entry.isIntersecting);
  }).observe($("test"));
  $("guide-open").addEventListener("click", () => {
    $("guide").open = true;
    $("guide").scrollIntoView({ block: "start" });
    $("guide").querySelector("summary").focus({ preventScroll: true });
  });
  document.addEventListener("click", (e) => {
    const link = e.target.closest("[data-link]");
    if (link) {
      e.preventDefault();
      api.openLink(link.dataset.link).catch((err) => outcomeNote(errorMessage(err)));
      return;
    }
    const jump = e.target.closest("[data-field]");
    if (jump) {
      // "Fix the highlighted field": to the field, and into it.
      e.preventDefault();
      $(`field-${jump.dataset.field}`).scrollIntoView({ block: "center" });
      $(jump.dataset.field).focus({ preventScroll: true });
    }
  });
  setProfileHooks({
    load: (p) => loadIntoForm(p, afterVendorChange),
    renamed: profileRenamed,
    deleted: profileDeleted,
  });
}

// ------------------------------------------------------------- start

wire();
const info = await api.appInfo();
state.info = info;
setSteps(info.steps);
resetLadder("pending");
await loadVendors(afterVendorChange);
setNeeds([], updateLints);
updateSecretToggle();
render(await api.formState());
// Interactive now; the rest fills in without blocking the form.
api.appReady();
showAppInfo(info);
refreshStoreHealth();
refreshProfiles();
offerUpdate();
