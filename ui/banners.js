// The banners at the top: the credential store's health, the app's own
// set-up problems, and where Autotask hosts are routed.

import * as api from "./api.js";
import { $, el } from "./dom.js";
import { state } from "./state.js";
import { answered } from "./render.js";

/** Asks Rust whether the credential store works; Save follows its answer. */
export async function refreshStoreHealth() {
  const h = answered(await api.storeHealth());
  state.storeBackend = h.backend;
  $("store-banner").hidden = h.ok;
  $("store-message").replaceChildren(...withCode(h.message || ""));
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

export function showAppInfo(info) {
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
