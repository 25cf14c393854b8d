// Updates: offered here, installed only when the technician says so. Rust
// checks the release server (unless an administrator turned updates off),
// verifies the package's signature and restarts into the new version.

import * as api from "./api.js";
import { $, errorMessage } from "./dom.js";
import { openDialog } from "./dialog.js";

/** Asks once at start whether a new version is offered; shows it if so. */
export async function offerUpdate() {
  let offer;
  try { offer = await api.checkUpdate(); } catch { return; }
  if (offer.state !== "available") return;
  $("update-text").textContent =
    `Autotask Connect ${offer.version} is available (this is ${offer.current}). ` +
    "Saved profiles and their secrets are kept.";
  $("update-status").textContent = "";
  $("update-banner").hidden = false;
  $("update-install").onclick = () => install(offer);
}

async function install(offer) {
  const answer = await openDialog({
    title: `Install Autotask Connect ${offer.version}?`,
    text: "The app downloads it, checks that it is signed with Autotask Connect's update key, " +
      "installs it and restarts. Saved profiles and their secrets are kept. Installing for every " +
      "user of this computer may ask for an administrator's password.",
    ok: "Install and restart",
    cancel: "Not now",
    risky: true,
  });
  if (!answer.ok) return;
  const button = $("update-install");
  button.disabled = true;
  $("update-status").textContent = "Downloading and checking the signature…";
  try {
    await api.installUpdate(); // on success the app restarts and this page is gone
  } catch (err) {
    $("update-status").textContent = errorMessage(err);
  } finally {
    button.disabled = false;
  }
}
