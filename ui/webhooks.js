// A saved profile's webhooks (the webhook doctor) and the offline check of
// a callout's signature. One subject: the profile it was read for.

import * as api from "./api.js";
import { $, el, errorMessage } from "./dom.js";
import { state } from "./state.js";
import { webhookVerdict, webhookState, entityWords } from "./present.js";
import { askingAbout, setBusy } from "./check.js";

let shownFor = null;

/** Hides the section (its profile was deleted or renamed). */
export function clearWebhooks(name) {
  if (name && name !== shownFor) return;
  shownFor = null;
  $("webhooks").hidden = true;
  $("webhooks-list").replaceChildren();
}

function note(text, cls = "muted") {
  $("webhooks-verdict").textContent = text;
  $("webhooks-verdict").className = `verdict ${cls}`;
}

/** Webhooks of profile `p`: read through Rust's door, then listed. */
export async function showWebhooks(p) {
  if (state.busy) return;
  shownFor = p.name;
  $("webhooks").hidden = false;
  $("webhooks-title").textContent = `Webhooks of “${p.name}”`;
  $("webhooks-subject").textContent = `Read: this integration's webhooks, with the saved profile “${p.name}” and its stored secret. Nothing in Autotask is changed.`;
  $("webhooks-list").replaceChildren();
  $("webhooks-meta").textContent = "";
  note("Reading the webhooks…");
  $("webhooks").scrollIntoView({ block: "nearest" });
  setBusy(true);
  let report;
  try {
    report = await askingAbout((consent) => api.profileWebhooks(p.name, consent), {
      waiting: () => note("Waiting for your answer: nothing has been sent."),
      going: () => note("Reading the webhooks…"),
    });
  } catch (err) {
    note(`Not read: ${errorMessage(err)}`, "fail");
    return;
  } finally {
    setBusy(false);
  }
  if (shownFor !== p.name) return; // another profile's since
  if (!report) {
    note("Not read: nothing was sent to Autotask.");
    return;
  }
  render(report);
}

function render(r) {
  note(webhookVerdict(r), r.ok ? "pass" : "fail");
  $("webhooks").scrollIntoView({ block: "start" });
  const list = $("webhooks-list");
  list.replaceChildren();
  if (r.sign_in === "accepted") {
    for (const e of r.entities) {
      const rows = e.problem
        ? [el("p", { class: "muted", text: `Not read: ${e.problem}.` })]
        : e.webhooks.length === 0
          ? [el("p", { class: "muted", text: "None." })]
          : e.webhooks.map(hookRow);
      list.append(el("div", { class: "hook-entity", role: "group", "aria-label": entityWords(e.entity) },
        el("h4", { text: entityWords(e.entity) }), ...rows));
    }
  }
  const log = r.error_log;
  const logLine = !log ? "" : log.read
    ? `Error log (last 30 days): ${log.entries} undelivered callout${log.entries === 1 ? "" : "s"}${log.unattributed ? `, ${log.unattributed} for no webhook listed here` : ""}.`
    : `Error log: not read: ${log.problem}.`;
  $("webhooks-meta").textContent = `${logLine} ${r.requests} of at most ${r.request_limit} requests.`.trim();
}

function hookRow(w) {
  const row = el("div", { class: `hook ${w.problems.length ? "bad" : "ok"}`, role: "listitem", "aria-label": w.name },
    el("p", { class: "hook-name" }, el("strong", { text: w.name }), ` (id ${w.id})`),
    el("p", { class: "hook-state", text: webhookState(w) }),
    el("p", { class: "hook-url", text: w.url }));
  if (w.problems.length) {
    row.append(el("ul", { class: "hook-problems" }, ...w.problems.map((p) => el("li", { text: p.message }))));
  }
  return row;
}

async function checkSignature() {
  const out = $("signature-result");
  const key = $("signature-key");
  out.className = "status";
  try {
    const r = await api.checkSignature($("signature-payload").value, $("signature-value").value, key.value);
    out.textContent = r.message;
    out.className = `status ${r.matches ? "ok" : "bad"}`;
  } catch (err) {
    out.textContent = errorMessage(err);
    out.className = "status bad";
  } finally {
    // The key went to Rust once; the field does not keep it.
    key.value = "";
  }
}

export function wireWebhooks() {
  $("signature-check-button").addEventListener("click", checkSignature);
}
