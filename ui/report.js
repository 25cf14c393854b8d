// The support report: shown, copied by Rust (WebKitGTK refuses the page's
// clipboard), or saved to a file the technician picks.

import * as api from "./api.js";
import { $, errorMessage } from "./dom.js";

export function setReportAvailable(available) {
  $("copy-report").disabled = !available;
  $("report-status").textContent = "";
}

export async function openReport() {
  let text;
  try { text = await api.reportText(); } catch (err) { $("report-status").textContent = errorMessage(err); return; }
  const d = $("report-dialog");
  $("report-text").textContent = text;
  $("report-dialog-status").textContent = "";
  $("report-dialog-status").className = "status";
  d.showModal();
  $("report-copy").focus();
}

function selectReport() {
  const range = document.createRange();
  range.selectNodeContents($("report-text"));
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  $("report-text").focus();
}

async function copyReport() {
  const status = $("report-dialog-status");
  try {
    await api.copyReport();
  } catch (err) {
    // Stay open with the text selected: Ctrl+C still works, or Save report….
    status.textContent = `${errorMessage(err)} The report is selected: press Ctrl+C, or use Save report….`;
    status.className = "status bad";
    selectReport();
    return;
  }
  $("report-dialog").close();
  $("report-status").textContent = "The report is on the clipboard.";
}

async function saveReport() {
  const status = $("report-dialog-status");
  try {
    const r = await api.saveReport();
    if (!r.path) return; // cancelled: nothing to say
    $("report-dialog").close();
    $("report-status").textContent = `Saved the report to ${r.path}.`;
  } catch (err) {
    status.textContent = errorMessage(err);
    status.className = "status bad";
  }
}

export function wireReport() {
  $("copy-report").addEventListener("click", openReport);
  $("report-copy").addEventListener("click", copyReport);
  $("report-save").addEventListener("click", saveReport);
}
