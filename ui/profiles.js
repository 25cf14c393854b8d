// Saved profiles: the list and each profile's actions.

import * as api from "./api.js";
import { $, el, errorMessage } from "./dom.js";
import { state } from "./state.js";
import { openDialog } from "./dialog.js";
import { relativeTime } from "./present.js";
import { vendorById } from "./form.js";
import { showProfileHandoff } from "./handoff.js";
import { checkProfile, rotateProfile } from "./check.js";
import { useInScript } from "./scripts.js";
import { showWebhooks, clearWebhooks } from "./webhooks.js";
import { answered } from "./render.js";

/** What the profile list tells the form: load, rename, delete. */
let hooks = { load: () => {}, renamed: () => {}, deleted: () => {} };
export function setProfileHooks(h) { hooks = h; }

function lastTest(p) {
  const c = p.last_check;
  if (!c) return el("span", { text: "never tested" });
  const bound = vendorById(p.vendor).bound;
  const what = c.passed ? (bound ? "zone confirmed, secret not tested" : "passed") : "failed";
  const local = new Date(c.at);
  return el("span", {}, `last test ${what} `,
    el("time", { datetime: c.at, title: local.toLocaleString(), text: relativeTime(c.at) }));
}

/** Re-reads the profiles; `note` (an action's outcome) is shown after. */
export async function refreshProfiles(note) {
  const list = $("profiles");
  let listing;
  try {
    listing = await api.listProfiles();
  } catch (err) {
    $("profiles-note").textContent = errorMessage(err);
    return;
  }
  state.profileNames = listing.profiles.map((p) => p.name);
  const demo = state.form && state.form.demo;
  $("profiles-note").textContent = note || (listing.notice ? listing.notice.message
    : demo ? "The demo's own profiles: kept in this window only, and gone when you leave the demo."
      : listing.profiles.length ? "" : "No saved profiles yet. Test a connection, then save it.");
  list.replaceChildren();
  for (const p of listing.profiles) {
    const vendor = vendorById(p.vendor);
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
    action("Load", (q) => hooks.load(q));
    action("Test", async (q) => { await checkProfile(q); await refreshProfiles(); }, true);
    action("Copy values", (q) => showProfileHandoff(q));
    action("Rotate secret", async (q) => { await rotateProfile(q); await refreshProfiles(); }, true);
    // Only the integration that created a webhook can read it: not a vendor-bound user.
    if (!vendor.bound) action("Webhooks", (q) => showWebhooks(q), true);
    action("Rename", rename);
    action("Use in a script", useInScript);
    action("Delete", remove);
    list.append(el("div", { class: "profile", role: "listitem", "aria-label": p.name },
      el("div", {}, el("span", { class: "name", text: p.name }), secret),
      el("div", { class: "meta" },
        `${vendor.id === "custom" ? "" : `${vendor.name} · `}${p.username} · ${where} · `, lastTest(p)),
      buttons,
      p.problem ? el("p", { class: "problem", text: p.problem }) : null));
  }
}

async function rename(p) {
  const r = await openDialog({ title: `Rename “${p.name}”`, input: { label: "New name", value: p.name }, ok: "Rename" });
  if (!r.ok || !r.value.trim() || r.value.trim() === p.name) return;
  let note;
  try {
    const out = answered(await api.renameProfile(p.name, r.value));
    note = out.warning || `Renamed “${p.name}” to “${out.profile.name}”.`;
    hooks.renamed(p.name, out.profile.name);
    clearWebhooks(p.name);
  } catch (err) {
    note = errorMessage(err);
  }
  await refreshProfiles(note);
}

async function remove(p) {
  const r = await openDialog({
    title: `Delete “${p.name}”?`,
    text: `The profile and its secret in the ${state.form ? state.form.store : state.storeBackend} are removed. Autotask itself is not changed.`,
    ok: "Delete", cancel: "Cancel", risky: true,
  });
  if (!r.ok) return;
  let note;
  try {
    answered(await api.deleteProfile(p.name));
    note = `Deleted “${p.name}” and its secret.`;
    hooks.deleted(p.name);
    clearWebhooks(p.name);
  } catch (err) {
    note = errorMessage(err);
  }
  await refreshProfiles(note);
}
