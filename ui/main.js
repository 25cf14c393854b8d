// The page: the form, the live ladder, profiles and the guide.
// It never calls invoke itself (see api.js) and never keeps a secret:
// a typed secret is handed to Rust on change and the field is emptied on save.

import * as api from "./api.js";

// Segoe UI / San Francisco on Windows and macOS, where resolving it is free;
// Linux keeps fontconfig's sans-serif (see styles.css).
if (!/Linux/.test(navigator.userAgent)) document.documentElement.classList.add("native-font");

const $ = (id) => document.getElementById(id);

const STEPS = [
  ["network", "Network"],
  ["zone", "Zone"],
  ["authentication", "Authentication"],
  ["tenant", "Tenant"],
  ["permissions", "Permissions"],
  ["usage", "API usage"],
];
const STATUS_WORD = {
  pending: "waiting", running: "running", passed: "passed",
  warning: "warning", failed: "failed", skipped: "skipped",
};
const ICON = { pending: "", running: "", passed: "✓", warning: "!", failed: "✕", skipped: "–" };
// Which form field a blamed input is.
const BLAME_FIELD = {
  username: "username", secret: "secret", integration_code: "integration_code",
  zone: "zone", licence: "username",
};
const BLAME_WORDS = {
  username: "the API username",
  secret: "the API secret",
  integration_code: "the integration code",
  zone: "the Autotask URL",
  licence: "the API user's licence or security level",
  permissions: "the API user's permissions",
  network: "the network between this computer and Autotask",
  rate_limit: "Autotask's request limit",
};
const FIELD_IDS = { zone: "zone", username: "username", secret: "secret", integration_code: "integration_code" };

const state = {
  vendors: [], // the presets, from Rust
  vendor: null, // the chosen preset
  secretDirty: false, // the secret field changed since Rust last got it
  secretHeld: false, // Rust holds a secret the field does not show (pasted, demo)
  // The saved profile the form shows (just saved or loaded), until a field
  // changes: with no secret typed, Test connection tests it, stored secret and all.
  savedProfile: null,
  checkPassed: false,
  busy: false,
  info: null,
  storeBackend: "credential store",
};

// ------------------------------------------------------------ helpers

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function fields() {
  const bound = state.vendor && state.vendor.bound;
  return {
    zone: $("zone").value,
    username: $("username").value,
    // A vendor-bound user has no code: the hidden field's old value is not sent.
    integration_code: bound ? "" : $("integration_code").value,
    vendor: $("vendor").value,
  };
}

function debounce(fn, ms) {
  let t;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

function errorMessage(err) {
  if (err && typeof err === "object" && err.message) return err.message;
  return String(err);
}

/** Messages under a field: lints (from Rust) and, after a check, the fix. */
const fieldMessages = { zone: [], username: [], secret: [], integration_code: [] };
const fieldFix = { zone: null, username: null, secret: null, integration_code: null };

function renderField(field) {
  const box = $(`${field}-messages`);
  box.replaceChildren();
  let invalid = false;
  for (const m of fieldMessages[field]) {
    box.append(el("p", { class: m.severity === "error" ? "msg-error" : "msg-warning", text: m.text }));
    if (m.severity === "error") invalid = true;
  }
  const wrap = $(`field-${field}`);
  const fix = fieldFix[field];
  wrap.classList.toggle("blamed", !!fix);
  wrap.classList.toggle("warn", !!fix && fix.warn);
  if (fix) {
    box.append(el("p", { class: "msg-fix", text: fix.text }));
    invalid = invalid || !fix.warn;
  }
  $(FIELD_IDS[field]).setAttribute("aria-invalid", invalid ? "true" : "false");
}

function setLints(field, lints) {
  fieldMessages[field] = lints.map((l) => ({ severity: l.severity, text: `${l.message} ${l.fix}` }));
  renderField(field);
}

function clearBlame() {
  for (const f of Object.keys(fieldFix)) {
    if (fieldFix[f]) { fieldFix[f] = null; renderField(f); }
  }
}

function invalidateCheck() {
  state.savedProfile = null;
  clearHandoff();
  if (state.checkPassed) {
    state.checkPassed = false;
    setSaveStatus("The form changed since the last test: test again before saving.", "");
  }
}

function setSaveStatus(text, cls) {
  const s = $("save-status");
  s.textContent = text;
  s.className = `status ${cls || ""}`;
}

// ------------------------------------------------------------- the zone

const updateZone = debounce(async () => {
  const out = $("zone-derived");
  fieldMessages.zone = [];
  try {
    const z = await api.deriveZone($("zone").value);
    if (!z) {
      out.textContent = "Empty: the zone will be looked up from the API username.";
      out.className = "derived note";
    } else if (z.discover) {
      out.textContent = z.message;
      out.className = "derived note";
    } else {
      out.textContent = `✓ ${z.message}`;
      out.className = "derived ok";
      setPortal(z.web_url);
    }
  } catch (err) {
    out.textContent = "";
    fieldMessages.zone = [{ severity: "error", text: errorMessage(err) }];
  }
  renderField("zone");
}, 120);

function setPortal(url) {
  if (!url) return;
  for (const a of document.querySelectorAll(".portal-anchor")) {
    a.textContent = url;
    a.dataset.link = url;
  }
  for (const s of document.querySelectorAll(".portal-link")) s.hidden = false;
}

// --------------------------------------------- username, code and secret

const updateLints = debounce(async () => {
  const lints = await api.lintFields(fields());
  setLints("username", lints.filter((l) => l.field === "username"));
  setLints("integration_code", lints.filter((l) => l.field === "integration_code"));
}, 150);

function showSecretState(s, how) {
  const held = $("secret-held");
  setLints("secret", s.lints || []);
  if (!s.present) {
    held.textContent = "";
    return;
  }
  if (how === "paste" || how === "demo") {
    state.secretHeld = true;
    $("secret").value = "";
    $("secret").placeholder = "Held by the app — type here to replace it";
    held.textContent = how === "demo"
      ? `✓ The demo secret (${s.length} characters) is held by the app; it is not shown.`
      : `✓ A secret of ${s.length} characters was taken from the pasted text; it is held by the app and not shown.`;
    held.className = "derived ok";
  } else {
    held.textContent = "";
  }
}

/** Hands a typed secret to Rust, once per value; callers wait for it. */
let secretSent = Promise.resolve();
function sendSecretIfChanged() {
  if (state.secretDirty) {
    state.secretDirty = false;
    state.secretHeld = false;
    secretSent = api.setSecret($("secret").value).then((s) => showSecretState(s, "typed"));
  }
  return secretSent;
}

function secretTyped() {
  state.savedProfile = null;
  state.secretDirty = true;
  state.secretHeld = false;
  $("secret").placeholder = "";
  $("secret-held").textContent = "";
  fieldFix.secret = null;
  renderField("secret");
  invalidateCheck();
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
  clearBlame();
  invalidateCheck();
  updateZone();
  updateLints();
  announce(`Filled from the pasted text: ${filled.join(", ")}.`);
}

function announce(text) {
  const o = $("outcome");
  o.replaceChildren(el("p", { class: "muted", text }));
}

// ------------------------------------------- who uses the API user

function vendorById(id) {
  return state.vendors.find((v) => v.id === (id || "custom")) || state.vendors[0];
}

async function loadVendors() {
  state.vendors = await api.vendors();
  const select = $("vendor");
  select.replaceChildren();
  const group = el("optgroup", { label: "A vendor's product" });
  for (const v of state.vendors) {
    const option = el("option", { value: v.id, text: v.name });
    if (v.id === "custom") select.append(option); else group.append(option);
  }
  select.append(group);
  select.value = "custom";
  chooseVendor();
}

/** The choice changed: the code field, the guide and the hand-off follow it. */
function chooseVendor() {
  const v = vendorById($("vendor").value);
  const changed = state.vendor && state.vendor.id !== v.id;
  state.vendor = v;
  $("field-integration_code").hidden = v.bound;
  if (v.bound) {
    fieldMessages.integration_code = [];
    fieldFix.integration_code = null;
    renderField("integration_code");
  }
  const note = $("vendor-note");
  if (v.bound) {
    note.textContent = `${v.name} keeps its own tracking identifier, so no integration code is needed. `
      + `The test confirms the username and zone without sending the secret; ${v.name}'s own Test button checks the secret.`;
  } else if (v.id !== "custom") {
    note.textContent = `${v.name}'s form asks for the integration code too. Tracking identifier: ${v.tracking_identifier}`;
  } else {
    note.textContent = "";
  }
  renderGuide(v);
  if (changed) {
    invalidateCheck();
    updateLints();
  }
}

function renderGuide(v) {
  $("guide-for").textContent = v.id === "custom"
    ? `For your own integration. Security level: ${v.setup.security_level}.`
    : `For ${v.name}. Where: ${v.setup.where}. Security level: ${v.setup.security_level}.`
      + `${v.setup.webhooks ? " Webhooks must be allowed." : ""} Tracking identifier: ${v.tracking_identifier}`;
  $("guide-steps").replaceChildren(...v.setup.steps.map((s) => el("li", { text: s })));
}

// ------------------------------------------------------------ the hand-off

function clearHandoff() {
  $("handoff").hidden = true;
  $("handoff-fields").replaceChildren();
  $("handoff-status").textContent = "";
}

/** "Enter these in <vendor>": each value, in the vendor's order and format, with Copy. */
function showHandoff(h, source) {
  const v = vendorById(h.vendor);
  $("handoff-title").textContent = v.id === "custom" ? "Enter these in your integration" : `Enter these in ${v.name}`;
  $("handoff-note").textContent = source.from === "profile"
    ? `From the saved profile “${source.name}”. Its secret is read from the ${state.storeBackend} when you copy it.`
    : "In this order. The secret is copied by the app, marked as sensitive for clipboard managers, and cleared from the clipboard after a while if it is still there.";
  const list = $("handoff-fields");
  list.replaceChildren();
  h.fields.forEach((f, i) => {
    const status = el("p", { class: "copy-status", "aria-live": "polite" });
    const shown = f.value !== null ? f.value
      : f.kind === "secret" ? "•••••••• (not shown)" : "(not known)";
    const button = el("button", { type: "button", class: "secondary", "aria-label": `Copy ${f.label}`, text: "Copy" });
    button.addEventListener("click", async () => {
      status.className = "copy-status";
      try {
        const c = await api.copyValue(source, i);
        status.textContent = c.sensitive
          ? `Copied. The clipboard will be cleared in ${c.clearsInSeconds} seconds if it still holds the secret.`
          : "Copied.";
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
  $("handoff-status").textContent = "";
  $("handoff").hidden = false;
}

async function showProfileHandoff(p) {
  clearHandoff();
  try {
    showHandoff(await api.profileHandoff(p.name), { from: "profile", name: p.name });
    $("handoff").scrollIntoView({ block: "nearest" });
  } catch (err) {
    $("profiles-note").textContent = errorMessage(err);
  }
}

// ------------------------------------------------------------ the ladder

function resetLadder(status) {
  const ladder = $("ladder");
  ladder.classList.remove("done");
  ladder.replaceChildren();
  for (const [id, title] of STEPS) {
    ladder.append(
      el("li", { class: `rung ${status}`, id: `rung-${id}` },
        el("span", { class: "icon", "aria-hidden": "true" }),
        el("span", { class: "title" }, title, el("span", { class: "sr visually-hidden" })),
        el("span", { class: "finding", text: status === "running" ? "Waiting…" : "Not run yet" })),
    );
  }
}

function showStep(step) {
  const rung = $(`rung-${step.id}`);
  if (!rung) return;
  rung.className = `rung ${step.status}`;
  rung.querySelector(".icon").textContent = ICON[step.status] || "";
  rung.querySelector(".sr").textContent = `: ${STATUS_WORD[step.status]}`;
  const finding = rung.querySelector(".finding");
  finding.textContent = step.message;
  finding.title = step.message;
}

function firstProblem(report) {
  return report.steps.find((s) => s.status === "failed")
    || report.steps.find((s) => s.status === "warning" && s.blame);
}

function renderReport(report, vendor) {
  const bound = vendor && vendor.bound;
  for (const s of report.steps) showStep(s);
  // Rows were clamped while the ladder ran; now show every finding whole.
  $("ladder").classList.add("done");
  clearBlame();
  // Every blamed input is highlighted with its fix next to it.
  for (const s of report.steps) {
    const field = s.blame && BLAME_FIELD[s.blame];
    if (field && (s.status === "failed" || s.status === "warning") && !fieldFix[field]) {
      fieldFix[field] = { text: `${s.fix || s.message}`, warn: s.status === "warning" };
      renderField(field);
    }
  }
  for (const l of report.lints || []) {
    if (l.field !== "zone" && !fieldMessages[l.field].some((m) => m.text.startsWith(l.message))) {
      fieldMessages[l.field].push({ severity: l.severity, text: `${l.message} ${l.fix}` });
      renderField(l.field);
    }
  }
  const out = $("outcome");
  out.replaceChildren();
  const warnings = report.steps.filter((s) => s.status === "warning").length;
  const failed = report.steps.find((s) => s.status === "failed");
  if (report.passed && bound) {
    // Nothing here signed in: say what was confirmed and what was not.
    out.append(el("p", { class: "verdict pass", text:
      `Username and zone confirmed. The secret was not tested here: ${vendor.name}'s own Test button verifies it.` }));
  } else if (report.passed) {
    out.append(el("p", { class: "verdict pass", text: warnings
      ? `Connection works, with ${warnings} warning${warnings > 1 ? "s" : ""}.`
      : "Connection works." }));
  } else {
    out.append(el("p", { class: "verdict fail", text: `The check failed at ${failed.id === "usage" ? "API usage" : failed.id}.` }));
  }
  const problem = firstProblem(report);
  if (problem) {
    const field = problem.blame && BLAME_FIELD[problem.blame];
    const box = el("div", { class: `fixbox ${problem.status === "warning" ? "warn" : ""}` },
      el("p", { text: problem.message }));
    if (field && problem.fix) {
      const label = document.querySelector(`label[for="${FIELD_IDS[field]}"]`).textContent;
      box.append(el("p", {}, el("strong", { text: `Fix ${BLAME_WORDS[problem.blame]}: ` }),
        `see the highlighted “${label}” field.`));
    } else if (problem.fix) {
      box.append(el("p", {}, el("strong", { text: problem.blame ? `Fix ${BLAME_WORDS[problem.blame]}: ` : "What to do: " }), problem.fix));
    }
    if (problem.link) {
      box.append(el("p", {}, el("button", { type: "button", class: "link", "data-link": problem.link,
        text: problem.link.includes("/help/") ? "Open Autotask's help on this" : `Open ${problem.link}` })));
    }
    out.append(box);
  }
  const t = report.tenant;
  if (t && report.passed) {
    setPortal(t.web_url);
    const dl = el("dl", { class: "tenant" });
    const row = (k, v) => { if (v !== null && v !== undefined && v !== "") dl.append(el("dt", { text: k }), el("dd", {}, v)); };
    row("Company", t.company_name);
    row("Zone", t.zone_name);
    row("Portal", el("button", { type: "button", class: "link", "data-link": t.web_url, text: t.web_url }));
    row("API", t.api_url);
    row("Database id", t.ci !== null && t.ci !== undefined ? String(t.ci) : null);
    if (report.usage) {
      const u = report.usage;
      const bar = el("div", { class: "usage-bar", role: "img", "aria-label": `${u.percent} percent of the hourly limit used` },
        el("span", { class: u.percent >= 75 ? "high" : "" }));
      bar.firstChild.style.width = `${Math.min(100, u.percent)}%`;
      row("API usage", el("div", {}, `${u.used.toLocaleString("en")} of ${u.limit.toLocaleString("en")} requests in the last ${u.window_minutes} minutes (${u.percent} %)`, bar));
    }
    out.append(dl);
  }
  $("copy-report").disabled = false;
}

function setBusy(busy) {
  state.busy = busy;
  // Everything that can send a secret waits for the running check.
  for (const id of ["test", "save"]) $(id).disabled = busy;
  for (const b of document.querySelectorAll("[data-sends-secret]")) b.disabled = busy;
  $("ladder").setAttribute("aria-busy", busy ? "true" : "false");
}

async function streamingCheck(run, vendor) {
  resetLadder("running");
  $("outcome").replaceChildren(el("p", { class: "muted", text: "Testing the connection…" }));
  setBusy(true);
  try {
    const report = await run((step) => showStep(step));
    if (!report) {
      // The technician stopped at the lockout warning: nothing was sent.
      resetLadder("pending");
      announce("Not tested: nothing was sent to Autotask.");
      return null;
    }
    renderReport(report, vendor);
    return report;
  } catch (err) {
    resetLadder("pending");
    showError(err);
    return null;
  } finally {
    setBusy(false);
  }
}

function showError(err) {
  const field = err && err.field;
  if (err && err.lints && err.lints.length) {
    for (const f of Object.keys(fieldMessages)) {
      const lints = err.lints.filter((l) => l.field === f);
      if (lints.length) setLints(f, lints);
    }
  } else if (field && fieldMessages[field]) {
    fieldMessages[field] = [{ severity: "error", text: errorMessage(err) }];
    renderField(field);
  }
  const out = $("outcome");
  out.replaceChildren(el("p", { class: "verdict fail", text: "The check did not run." }),
    el("p", { text: errorMessage(err) }));
  if (field) $(FIELD_IDS[field]).focus();
}

async function test(e) {
  e.preventDefault();
  if (state.busy) return;
  const saved = state.savedProfile;
  if (saved && !state.secretDirty && !state.secretHeld && !$("secret").value) {
    // The form shows a saved profile whose secret is in the store, not here:
    // test that, rather than an empty secret (and its advice to generate one).
    await recheck(saved);
    announceAfter(`Tested the saved profile “${saved.name}” with the secret stored in the ${state.storeBackend}.`);
    return;
  }
  await sendSecretIfChanged();
  clearBlame();
  const tested = fields();
  const vendor = state.vendor;
  const report = await streamingCheck((onStep) =>
    withLockoutGuard((force) => api.runCheck(tested, [], force, onStep)), vendor);
  if (!report) return;
  state.checkPassed = report.passed;
  if (report.passed) {
    if (!$("profile-name").value && report.tenant && report.tenant.company_name) {
      $("profile-name").value = report.tenant.company_name;
    }
    setSaveStatus(vendor.bound
      ? `Username and zone confirmed: these can be saved for ${vendor.name} (the secret is not tested here).`
      : "The test passed: these credentials can be saved.", "ok");
    try {
      showHandoff(await api.formHandoff(tested), { from: "form", fields: tested });
      $("handoff").scrollIntoView({ block: "nearest" });
    } catch (err) {
      $("handoff-status").textContent = errorMessage(err);
    }
  } else {
    setSaveStatus("Save is available once the connection test passes (or tick “Save without a passing test”).", "");
  }
}

// ------------------------------------------------------------ dialogs

/** A modal question. With `risky`, the confirming button is drawn as a
 *  warning and the safe one (Cancel) is the default: Enter does not delete,
 *  replace or send a third login. */
function openDialog({ title, text = "", input = null, pre = null, ok = "OK", cancel = "Cancel", risky = false }) {
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
  $("dialog-pre").hidden = pre === null;
  $("dialog-pre").textContent = pre || "";
  $("dialog-ok").textContent = ok;
  $("dialog-ok").className = risky ? "danger" : "primary";
  $("dialog-cancel").hidden = cancel === null;
  $("dialog-cancel").textContent = cancel || "";
  $("dialog-cancel").className = risky ? "primary" : "secondary";
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

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = el("textarea", { "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

async function copyReport() {
  let text;
  try { text = await api.reportText(); } catch (err) { announce(errorMessage(err)); return; }
  const r = await openDialog({
    title: "Connection report",
    text: "For a vendor's support ticket. The secret is not included and the integration code is shortened.",
    pre: text, ok: "Copy to clipboard", cancel: "Close",
  });
  if (r.ok) announce((await copyText(text)) ? "The report was copied to the clipboard." : "Copying failed: select the text in the report and copy it.");
}

// ------------------------------------------------------------ saving

async function save() {
  const name = $("profile-name").value.trim();
  if (!name) {
    setSaveStatus("Enter a name for the profile first.", "bad");
    $("profile-name").focus();
    return;
  }
  await sendSecretIfChanged();
  const untested = $("save-untested").checked;
  let view;
  try {
    view = await api.saveProfile(name, fields(), untested, false);
  } catch (err) {
    if (err.kind === "profile_exists") {
      const r = await openDialog({ title: "Replace the profile?", text: `A profile named “${name}” already exists. Replacing it also replaces its stored secret.`, ok: "Replace", cancel: "Cancel", risky: true });
      if (!r.ok) return;
      try { view = await api.saveProfile(name, fields(), untested, true); } catch (err2) { return saveFailed(err2); }
    } else {
      return saveFailed(err);
    }
  }
  forgetSecret(`Saved in the ${state.storeBackend}; the secret is no longer in this window. Test connection now tests the saved profile.`);
  setSaveStatus(`Saved “${view.name}”. Its secret is in the ${state.storeBackend}.`, "ok");
  state.savedProfile = { name: view.name, vendor: view.vendor };
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
  if (err.field) showError(err);
}

function forgetSecret(note) {
  $("secret").value = "";
  $("secret").placeholder = "";
  $("secret").type = "password";
  $("secret-toggle").textContent = "Show";
  $("secret-toggle").setAttribute("aria-pressed", "false");
  state.secretDirty = false;
  state.secretHeld = false;
  const held = $("secret-held");
  held.textContent = note || "";
  held.className = "derived note";
  state.checkPassed = false;
}

// ----------------------------------------------------------- profiles

/** Re-reads the profiles; `note` (an action's outcome) is shown after. */
async function refreshProfiles(note) {
  const list = $("profiles");
  let listing;
  try {
    listing = await api.listProfiles();
  } catch (err) {
    $("profiles-note").textContent = errorMessage(err);
    return;
  }
  $("profiles-note").textContent = note || (listing.notice ? listing.notice.message
    : listing.profiles.length ? "" : "No saved profiles yet. Test a connection, then save it.");
  list.replaceChildren();
  for (const p of listing.profiles) {
    const bound = vendorById(p.vendor).bound;
    const last = p.last_check
      ? `${p.last_check.passed ? (bound ? "zone confirmed, secret not tested" : "passed") : "failed"} ${p.last_check.at.replace("T", " ").replace("Z", " UTC")}`
      : "never tested";
    const where = p.tenant ? p.tenant.web_url : p.zone_input || "zone not yet known";
    const secret = p.has_secret === true
      ? el("span", { class: "badge ok", text: "secret stored" })
      : p.has_secret === false ? el("span", { class: "badge bad", text: "no secret" }) : null;
    const buttons = el("div", { class: "buttons" });
    const action = (label, fn, sendsSecret = false) => {
      const b = el("button", { type: "button", class: "secondary", "aria-label": `${label} ${p.name}`, text: label });
      if (sendsSecret) {
        b.dataset.sendsSecret = "";
        b.disabled = state.busy;
      }
      b.addEventListener("click", () => fn(p));
      buttons.append(b);
    };
    action("Load", loadIntoForm);
    action("Test", recheck, true);
    action("Copy values", showProfileHandoff);
    action("Rotate secret", rotate, true);
    action("Rename", rename);
    action("Use in a script", useInScript);
    action("Delete", remove);
    list.append(el("div", { class: "profile", role: "listitem", "aria-label": p.name },
      el("div", {}, el("span", { class: "name", text: p.name }), secret),
      el("div", { class: "meta", text: `${vendorById(p.vendor).id === "custom" ? "" : `${vendorById(p.vendor).name} · `}${p.username} · ${where} · last test ${last}` }),
      buttons,
      p.problem ? el("p", { class: "problem", text: p.problem }) : null));
  }
}

// ------------------------------------------------------ use in a script

const SCRIPT_TABS = [
  ["powershell", "PowerShell", "Calls autotask-connect for the secret; the profile name is quoted for PowerShell."],
  ["python", "Python", "Starts itself again under `autotask-connect exec` and reads the AUTOTASK_* variables."],
  ["shell", "Shell", "POSIX sh: the variables exist only inside the command exec starts."],
  ["mcp_claude", "MCP: Claude Desktop", "For claude_desktop_config.json: the AI assistant starts the server through autotask-connect exec, so the file holds no secret. Replace the example server with yours."],
  ["mcp_vscode", "MCP: VS Code", "For .vscode/mcp.json: the server starts through autotask-connect exec, so the file holds no secret. Replace the example server with yours."],
];

async function useInScript(p) {
  let snippets;
  try { snippets = await api.scriptSnippets(p.name); } catch (err) { announce(errorMessage(err)); return; }
  const d = $("script-dialog");
  $("script-title").textContent = `Use “${p.name}” in a script`;
  const tabs = $("script-tabs");
  let current = SCRIPT_TABS[0][0];
  const show = (key) => {
    current = key;
    for (const b of tabs.children) b.setAttribute("aria-selected", String(b.dataset.key === key));
    const [, , hint] = SCRIPT_TABS.find(([k]) => k === key);
    $("script-hint").textContent = hint;
    $("script-code").textContent = snippets[key];
    $("script-status").textContent = "";
  };
  tabs.replaceChildren(...SCRIPT_TABS.map(([key, label]) => {
    const b = el("button", { type: "button", role: "tab", class: "secondary", text: label });
    b.dataset.key = key;
    b.addEventListener("click", () => show(key));
    return b;
  }));
  $("script-copy").onclick = async () => {
    $("script-status").textContent = (await copyText(snippets[current]))
      ? "Copied to the clipboard." : "Copying failed: select the text and copy it.";
  };
  show(current);
  d.showModal();
  tabs.firstElementChild.focus();
}

async function loadIntoForm(p) {
  $("vendor").value = vendorById(p.vendor).id;
  chooseVendor();
  $("zone").value = p.zone_input || (p.tenant ? p.tenant.web_url : "");
  $("username").value = p.username;
  $("integration_code").value = p.integration_code;
  $("profile-name").value = p.name;
  await api.setSecret("");
  forgetSecret(p.has_secret ? `The secret of “${p.name}” stays in the ${state.storeBackend}. Test connection tests it with that secret; to change the secret, type a new one here and use Rotate secret.` : "");
  clearBlame();
  updateZone();
  updateLints();
  setSaveStatus(`Loaded “${p.name}”.`, "");
  state.savedProfile = p.has_secret ? { name: p.name, vendor: p.vendor } : null;
  $("username").focus();
}

async function withLockoutGuard(run) {
  try {
    return await run(false);
  } catch (err) {
    if (err.kind !== "lockout_risk") throw err;
    const r = await openDialog({
      title: "Risk of locking the API user",
      text: `${err.message} Try anyway only if you have just fixed the secret.`,
      ok: "Try anyway", cancel: "Cancel", risky: true,
    });
    if (!r.ok) return null;
    return run(true);
  }
}

async function recheck(p) {
  if (state.busy) return;
  await streamingCheck((onStep) => withLockoutGuard((force) => api.checkProfile(p.name, force, onStep)),
    vendorById(p.vendor));
  await refreshProfiles();
}

async function rotate(p) {
  if (state.busy) return;
  const r = await openDialog({
    title: `New secret for “${p.name}”`,
    text: "Generate a new secret in Autotask (edit the API user, Credentials, Generate Secret) and paste it here. It is tested first; the stored secret is replaced only if the test passes.",
    input: { label: "New API secret", type: "password" },
    ok: "Test and replace", cancel: "Cancel",
  });
  if (!r.ok) return;
  await api.setSecret(r.value);
  const report = await streamingCheck((onStep) => withLockoutGuard((force) => api.rotateProfile(p.name, force, onStep)),
    vendorById(p.vendor));
  if (report) {
    const untested = report.steps.some((s) => s.id === "authentication" && s.status === "skipped");
    announceAfter(report.passed && untested
      ? `The new secret replaced the one stored for “${p.name}”. It was not tested here: ${vendorById(p.vendor).name}'s own Test button verifies it.`
      : report.passed
      ? `The new secret works and replaced the one stored for “${p.name}”.`
      : `The new secret did not pass; the secret stored for “${p.name}” was kept.`);
  }
  await api.setSecret("");
  await refreshProfiles();
}

function announceAfter(text) {
  $("outcome").append(el("p", { class: "verdict", text }));
}

async function rename(p) {
  const r = await openDialog({ title: `Rename “${p.name}”`, input: { label: "New name", value: p.name }, ok: "Rename" });
  if (!r.ok || !r.value.trim() || r.value.trim() === p.name) return;
  let note;
  try {
    const out = await api.renameProfile(p.name, r.value);
    note = out.warning || `Renamed to “${out.profile.name}”.`;
  } catch (err) {
    note = errorMessage(err);
  }
  await refreshProfiles(note);
}

async function remove(p) {
  const r = await openDialog({
    title: `Delete “${p.name}”?`,
    text: `The profile and its secret in the ${state.storeBackend} are removed. Autotask itself is not changed.`,
    ok: "Delete", cancel: "Cancel", risky: true,
  });
  if (!r.ok) return;
  let note;
  try {
    await api.deleteProfile(p.name);
    note = `Deleted “${p.name}” and its secret.`;
  } catch (err) {
    note = errorMessage(err);
  }
  await refreshProfiles(note);
}

// ------------------------------------------------------- start-up state

async function refreshStoreHealth() {
  const h = await api.storeHealth();
  state.storeBackend = h.backend;
  $("store-banner").hidden = h.ok;
  $("store-message").textContent = h.message || "";
}

async function showAppInfo() {
  const info = await api.appInfo();
  state.info = info;
  state.storeBackend = info.store_backend || state.storeBackend;
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

async function fillDemo() {
  fillWithDemo(await api.useDemo());
}

/** The demo's visible values into the fields; its secret is already in Rust. */
function fillWithDemo(r) {
  // The demo user has its own integration code: "my own integration".
  $("vendor").value = "custom";
  chooseVendor();
  $("zone").value = r.fields.zone;
  $("username").value = r.fields.username;
  $("integration_code").value = r.fields.integration_code;
  showSecretState(r.secret, "demo");
  clearBlame();
  invalidateCheck();
  updateZone();
  updateLints();
  $("test").focus();
}

async function startDemo() {
  let r;
  try {
    r = await api.startDemo();
  } catch (err) {
    announce(errorMessage(err));
    return;
  }
  $("demo-start").hidden = true;
  $("demo-banner").hidden = false;
  $("demo-route").textContent = `Autotask is simulated inside this app (${r.route}): until you leave the demo, checks from this form go there and nothing you type leaves this computer. Saved profiles are always checked against the real Autotask.`;
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
  announce("Left the demo: checks go to the real Autotask.");
}

function wire() {
  $("form").addEventListener("submit", test);
  $("form").addEventListener("paste", onPaste, true);
  $("zone").addEventListener("input", () => { fieldFix.zone = null; invalidateCheck(); updateZone(); });
  for (const id of ["username", "integration_code"]) {
    $(id).addEventListener("input", () => { fieldFix[id] = null; renderField(id); invalidateCheck(); updateLints(); });
  }
  $("secret").addEventListener("input", secretTyped);
  $("secret").addEventListener("change", sendSecretIfChanged);
  $("secret-toggle").addEventListener("click", () => {
    const s = $("secret");
    const show = s.type === "password";
    s.type = show ? "text" : "password";
    $("secret-toggle").textContent = show ? "Hide" : "Show";
    $("secret-toggle").setAttribute("aria-pressed", show ? "true" : "false");
  });
  $("clear").addEventListener("click", async () => {
    for (const id of ["zone", "username", "integration_code"]) $(id).value = "";
    await api.setSecret("");
    forgetSecret("");
    for (const f of Object.keys(fieldMessages)) { fieldMessages[f] = []; fieldFix[f] = null; renderField(f); }
    $("zone-derived").textContent = "";
    clearHandoff();
    resetLadder("pending");
    $("zone").focus();
  });
  $("vendor").addEventListener("change", chooseVendor);
  $("save").addEventListener("click", save);
  $("copy-report").addEventListener("click", copyReport);
  $("demo-fill").addEventListener("click", fillDemo);
  $("demo-start").addEventListener("click", startDemo);
  $("demo-leave").addEventListener("click", leaveDemo);
  $("store-retry").addEventListener("click", refreshStoreHealth);
  document.addEventListener("click", (e) => {
    const link = e.target.closest("[data-link]");
    if (!link) return;
    e.preventDefault();
    api.openLink(link.dataset.link).catch((err) => announce(errorMessage(err)));
  });
}

wire();
resetLadder("pending");
await loadVendors();
// Interactive now; the rest fills in without blocking the form.
api.appReady();
showAppInfo();
refreshStoreHealth();
refreshProfiles();
