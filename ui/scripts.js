// "Use in a script": snippets that ask the CLI for the secret when they run.

import * as api from "./api.js";
import { $, el, errorMessage } from "./dom.js";

const SCRIPT_TABS = [
  ["powershell", "PowerShell", "Calls autotask-connect for the secret; the profile name is quoted for PowerShell."],
  ["python", "Python", "Starts itself again under `autotask-connect exec` and reads the AUTOTASK_* variables."],
  ["shell", "Shell", "POSIX sh: the variables exist only inside the command exec starts."],
  ["mcp_claude", "MCP: Claude Desktop", "For claude_desktop_config.json: the AI assistant starts the server through autotask-connect exec, so the file holds no secret. Replace the example server with yours."],
  ["mcp_vscode", "MCP: VS Code", "For .vscode/mcp.json: the server starts through autotask-connect exec, so the file holds no secret. Replace the example server with yours."],
];

export async function useInScript(p) {
  let snippets;
  try { snippets = await api.scriptSnippets(p.name); } catch (err) { $("profiles-note").textContent = errorMessage(err); return; }
  const d = $("script-dialog");
  $("script-title").textContent = `Use “${p.name}” in a script`;
  const tabs = $("script-tabs");
  // A vendor-bound profile: no snippet could sign in; say why instead.
  const unavailable = Boolean(snippets.unavailable);
  $("script-unavailable").textContent = snippets.unavailable || "";
  $("script-unavailable").hidden = !unavailable;
  for (const id of ["script-intro", "script-tabs", "script-hint", "script-code", "script-copy"]) $(id).hidden = unavailable;
  if (unavailable) {
    $("script-status").textContent = "";
    d.showModal();
    return;
  }
  $("script-intro").querySelector("code").textContent = snippets.cli;
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
    try {
      await api.copyText(snippets[current]);
      $("script-status").textContent = "Copied to the clipboard.";
    } catch (err) {
      $("script-status").textContent = `${errorMessage(err)} Select the text and press Ctrl+C.`;
    }
  };
  show(current);
  d.showModal();
  tabs.firstElementChild.focus();
}
