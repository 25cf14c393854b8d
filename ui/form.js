// The form: its fields and the messages under them, the zone as typed, the
// secret's one crossing, pasted blocks, who uses the API user, and what the
// integration needs.

import * as api from "./api.js";
import { $, el, debounce, errorMessage, lineWithMore } from "./dom.js";
import { state } from "./state.js";
import { render, answered } from "./render.js";
import {
  lintLines, blamedField, fixLines, spellNeeds, readNeeds, needsSummary, entityWords, codeHint, vendorNote,
  guideFacts, recipeNeeds,
} from "./present.js";

export const FIELDS = ["zone", "username", "secret", "integration_code"];

/** Messages under a field: lints (from Rust) and, after a form check, the fix. */
const fieldMessages = { zone: [], username: [], secret: [], integration_code: [] };
const fieldFix = { zone: null, username: null, secret: null, integration_code: null };

export function fieldLabel(field) {
  return document.querySelector(`label[for="${field}"]`).textContent;
}

export function fields() {
  const bound = state.vendor && state.vendor.bound;
  return {
    zone: $("zone").value,
    username: $("username").value,
    // A vendor-bound user has no code: the hidden field's old value is not sent.
    integration_code: bound ? "" : $("integration_code").value,
    vendor: $("vendor").value,
    entities: spellNeeds(state.needs),
  };
}

export function renderField(field) {
  const box = $(`${field}-messages`);
  box.replaceChildren();
  let invalid = false;
  const fix = fieldFix[field];
  if (field === "zone") $("zone-derived").hidden = !!fix;
  for (const m of fieldMessages[field]) {
    if (fix && m.severity !== "error") continue; // the check's finding says it
    box.append(lineWithMore(m.severity === "error" ? "msg-error" : "msg-warning", m.line, m.more));
    if (m.severity === "error") invalid = true;
  }
  const wrap = $(`field-${field}`);
  wrap.classList.toggle("blamed", !!fix);
  wrap.classList.toggle("warn", !!fix && fix.warn);
  if (fix) {
    box.append(lineWithMore("msg-fix", fix.line, fix.more));
    invalid = invalid || !fix.warn;
  }
  $(field).setAttribute("aria-invalid", invalid ? "true" : "false");
}

export function setLints(field, lints) {
  fieldMessages[field] = lints.map(lintLines);
  renderField(field);
}

/** A message about a field that is not a lint (a refused zone). */
export function setFieldError(field, text) {
  fieldMessages[field] = [{ severity: "error", line: text, more: "" }];
  renderField(field);
}

export function clearBlame() {
  for (const f of FIELDS) {
    if (fieldFix[f]) { fieldFix[f] = null; renderField(f); }
  }
}

export function clearField(field) {
  fieldFix[field] = null;
  renderField(field);
}

export function clearAllMessages() {
  for (const f of FIELDS) { fieldMessages[f] = []; fieldFix[f] = null; renderField(f); }
}

/** A form check's findings, next to the fields they blame. Only a check of
 *  the form does this: a profile's result stays in its own outcome. */
export function blameFields(report) {
  clearBlame();
  for (const s of report.steps) {
    const field = blamedField(s);
    if (field && (s.status === "failed" || s.status === "warning") && !fieldFix[field]) {
      const [line, more] = fixLines(s);
      fieldFix[field] = { line, more, warn: s.status === "warning" };
      renderField(field);
    }
  }
  for (const l of report.lints || []) {
    if (l.field !== "zone" && fieldMessages[l.field] && !fieldMessages[l.field].some((m) => l.message.startsWith(m.line))) {
      fieldMessages[l.field].push(lintLines(l));
      renderField(l.field);
    }
  }
}

/** An error that stopped a check before it ran: under the fields it concerns. */
export function showInputError(err) {
  if (err && err.lints && err.lints.length) {
    for (const f of FIELDS) {
      const lints = err.lints.filter((l) => l.field === f);
      if (lints.length) setLints(f, lints);
    }
  } else if (err && err.field && fieldMessages[err.field]) {
    setFieldError(err.field, errorMessage(err));
  }
}

// ------------------------------------------------------------- the zone

export const updateZone = debounce(async () => {
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
    fieldMessages.zone = [{ severity: "error", line: errorMessage(err), more: "" }];
  }
  renderField("zone");
}, 120);

export function setPortal(url) {
  if (!url) return;
  for (const a of document.querySelectorAll(".portal-anchor")) {
    a.textContent = url;
    a.dataset.link = url;
  }
  for (const s of document.querySelectorAll(".portal-link")) s.hidden = false;
}

/** Tells Rust what was typed (the fields, "Save without a passing test"):
 *  the fields' lints and the form's state come back. */
export async function edited() {
  const lints = answered(await api.formEdited(fields(), $("save-untested").checked));
  setLints("username", lints.filter((l) => l.field === "username"));
  setLints("integration_code", lints.filter((l) => l.field === "integration_code"));
}
export const updateLints = debounce(edited, 150);

// ------------------------------------------------------------ the secret

/** The secret field holds typing Rust has not had yet. */
let secretDirty = false;
export const secretBeingTyped = () => secretDirty;

/** Typing in the secret field: it goes to Rust on change. */
export function secretTyped() {
  secretDirty = true;
  $("secret").placeholder = "";
  $("secret-held").textContent = "";
  clearField("secret");
  updateSecretToggle();
}

/** Show reveals only what is typed here: a held or stored secret never comes back. */
export function updateSecretToggle() {
  const typed = $("secret").value !== "";
  const toggle = $("secret-toggle");
  toggle.disabled = !typed;
  if (!typed) hideSecret();
}

export function hideSecret() {
  $("secret").type = "password";
  $("secret-toggle").textContent = "Show";
  $("secret-toggle").setAttribute("aria-pressed", "false");
}

/** Hands a typed secret to Rust, once per value; callers wait for it. */
let secretSent = Promise.resolve();
export function sendSecretIfChanged() {
  if (secretDirty) {
    secretDirty = false;
    secretSent = api.setSecret($("secret").value).then(render);
  }
  return secretSent;
}

/** Empties the secret field (Rust no longer holds what it had). */
export function forgetSecret() {
  $("secret").value = "";
  secretDirty = false;
  updateSecretToggle();
}

// ------------------------------------------------- who uses the API user

export function vendorById(id) {
  return state.vendors.find((v) => v.id === (id || "custom")) || state.vendors[0];
}

export async function loadVendors(onChange) {
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
  chooseVendor(onChange);
}

/** The choice changed: the code field, the needs, the guide and the
 *  hand-off follow it. `quiet`: set by Load or the demo, which tell Rust the
 *  fields themselves; `loading`: a saved profile brings its own code and needs. */
export function chooseVendor(onChange, { quiet = false, loading = false } = {}) {
  const v = vendorById($("vendor").value);
  const before = state.vendor;
  const changed = before && before.id !== v.id;
  state.vendor = v;
  $("field-integration_code").hidden = v.bound;
  if (v.bound) {
    fieldMessages.integration_code = [];
    fieldFix.integration_code = null;
    renderField("integration_code");
  }
  $("code-hint").textContent = codeHint(v);
  if (changed && !loading) {
    // A published code belongs to its vendor: it comes and goes with the choice.
    const code = $("integration_code");
    if (before.published_code && code.value.trim() === before.published_code) code.value = "";
    if (v.published_code && !code.value.trim()) code.value = v.published_code;
    // What the vendor's guide says it needs is what its check reads.
    if (!v.bound) setNeeds(recipeNeeds(v), onChange);
  }
  $("field-needs").hidden = v.bound; // nothing signs in: no permissions are read
  $("vendor-note").textContent = vendorNote(v);
  renderGuide(v);
  if (changed && onChange && !quiet) onChange();
}

function renderGuide(v) {
  $("guide-for").textContent = v.id === "custom"
    ? `For your own integration (from ${v.setup.source}).`
    : `For ${v.name}, from ${v.setup.source}, in our words.`;
  $("guide-facts").replaceChildren(...guideFacts(v).map((s) => el("li", { text: s })));
  $("guide-steps").replaceChildren(...v.setup.steps.map((s) => el("li", { text: s })));
  $("guide-flows").replaceChildren(...v.setup.flows.map((f) => el("details", { class: "flow", id: `flow-${f.id}` },
    el("summary", { text: f.title }),
    el("ol", { class: "steps" }, ...f.steps.map((s) => el("li", { text: s }))))));
}

// ------------------------------------------- what the integration needs

/** The picker: each common entity (from Rust) as not needed / read / read and write. */
export function renderNeeds(onChange) {
  const list = $("needs-list");
  list.replaceChildren();
  for (const entity of state.info.common_entities) {
    const id = `need-${entity}`;
    const select = el("select", { id, "aria-label": `${entity}: what the integration needs` },
      el("option", { value: "none", text: "not needed" }),
      el("option", { value: "read", text: "read" }),
      el("option", { value: "write", text: "read and write" }));
    select.value = state.needs[entity] || "none";
    select.addEventListener("change", () => {
      if (select.value === "none") delete state.needs[entity]; else state.needs[entity] = select.value;
      $("needs-summary").textContent = needsSummary(state.needs);
      if (onChange) onChange();
    });
    list.append(el("div", { class: "need" }, el("label", { for: id, text: entityWords(entity), title: entity }), select));
  }
  $("needs-summary").textContent = needsSummary(state.needs);
}

export function setNeeds(spelled, onChange) {
  state.needs = readNeeds(spelled, state.info.default_entities);
  renderNeeds(onChange);
}
