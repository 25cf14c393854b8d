// The connection check's ladder and its outcome: one subject at a time.

import { $, el, lineWithMore } from "./dom.js";
import { firstProblem, subjectLine, verdictText, usageText, blamedField, fixLines, retestLabel, apiUserText } from "./present.js";

const STATUS_WORD = {
  pending: "waiting", running: "running", passed: "passed",
  warning: "warning", failed: "failed", skipped: "skipped",
};
const ICON = { pending: "", running: "", passed: "✓", warning: "!", failed: "✕", skipped: "–" };

/** The ladder's rows, from Rust (app_info.steps). */
let steps = [];
export function setSteps(list) { steps = list; }
export const stepTitle = (id) => (steps.find((s) => s.id === id) || {}).title;

export function resetLadder(status) {
  barVerdict(status === "running" ? "Testing the connection…" : "");
  const ladder = $("ladder");
  ladder.classList.remove("done");
  ladder.replaceChildren();
  for (const { id, title } of steps) {
    ladder.append(
      el("li", { class: `rung ${status}`, id: `rung-${id}` },
        el("span", { class: "icon", "aria-hidden": "true" }),
        el("span", { class: "title" }, title, el("span", { class: "sr visually-hidden" })),
        el("span", { class: "finding", text: status === "running" ? "Waiting…" : "Not run yet" })),
    );
  }
}

export function showStep(step) {
  const rung = $(`rung-${step.id}`);
  if (!rung) return;
  rung.className = `rung ${step.status}`;
  rung.querySelector(".icon").textContent = ICON[step.status] || "";
  rung.querySelector(".sr").textContent = `: ${STATUS_WORD[step.status]}`;
  const finding = rung.querySelector(".finding");
  finding.textContent = step.message;
  finding.title = step.message;
}

/** The action bar's one line: the outcome's, wherever the page is scrolled. */
function barVerdict(text, cls = "") {
  const bar = $("bar-verdict");
  bar.textContent = text;
  bar.title = text;
  bar.className = `link bar-verdict ${cls}`;
  bar.hidden = !text;
  // The bar is for after a result (a test running counts): see styles.css.
  if (text) document.body.dataset.result = ""; else delete document.body.dataset.result;
}

/** The outcome area says one thing: a line, not a verdict. */
export function outcomeNote(text, cls = "muted") {
  $("outcome").replaceChildren(el("p", { class: cls, text }));
  barVerdict(text, cls.includes("fail") ? "fail" : "");
}

/**
 * The finished check: the ladder whole, then the outcome — what was tested,
 * the verdict, the one thing to do (its how on demand), and who the tenant is.
 * `ctx`: { vendor, subject, fieldLabel(field) -> label, onUseZone(n) }.
 */
export function renderReport(report, ctx) {
  for (const s of report.steps) showStep(s);
  // Rows were clamped while the ladder ran; now show every finding whole.
  $("ladder").classList.add("done");
  const out = $("outcome");
  const subject = el("p", { class: "subject", text: subjectLine(ctx.subject) });
  subject.dataset.kind = ctx.subject.kind;
  out.replaceChildren(subject);
  const verdict = verdictText(report, ctx.vendor, stepTitle);
  out.append(el("p", { class: `verdict ${report.passed ? "pass" : "fail"}`, tabindex: "-1", text: verdict }));
  barVerdict(verdict, report.passed ? "pass" : "fail");
  const problem = firstProblem(report);
  if (problem && problem.fix) {
    const box = el("div", { class: `fixbox ${problem.status === "warning" ? "warn" : ""}` });
    const field = ctx.subject.kind === "form" ? blamedField(problem) : null;
    // A field's fix is said once, under the field; here where to look, and
    // a way there (the field may be far above at 800×600).
    box.append(field
      ? el("p", { class: "todo" }, el("button", { type: "button", class: "link jump", "data-field": field,
        text: `Fix the highlighted “${ctx.fieldLabel(field)}” field.` }))
      : lineWithMore("todo", ...fixLines(problem)));
    const moved = ctx.subject.kind === "form" ? ctx.movedZone : null;
    const actions = el("p", { class: "fix-actions" });
    if (moved !== null && moved !== undefined && ctx.onUseZone) {
      const use = el("button", { type: "button", class: "primary use-zone", text: `Use zone ${moved}` });
      use.addEventListener("click", () => ctx.onUseZone(moved, use));
      actions.append(use);
    }
    if (report.retest_after_s && ctx.onRetest && ctx.subject.kind !== "rotation") {
      actions.append(retestButton(report.retest_after_s, ctx.onRetest));
    }
    if (problem.link) {
      actions.append(el("button", { type: "button", class: "link", "data-link": problem.link,
        text: problem.link.includes("/help/") ? "Open Autotask's help on this" : `Open ${problem.link}` }));
    }
    if (actions.childElementCount) box.append(actions);
    out.append(box);
  }
  const t = report.tenant;
  if (t && report.passed) {
    const dl = el("dl", { class: "tenant" });
    const row = (k, v) => { if (v !== null && v !== undefined && v !== "") dl.append(el("dt", { text: k }), el("dd", {}, v)); };
    row("Company", t.company_name);
    row("Zone", t.zone_name);
    row("Portal", el("button", { type: "button", class: "link", "data-link": t.web_url, text: t.web_url }));
    // One API value per result: after a form's check the hand-off below
    // gives it in the format the integration's form wants.
    if (ctx.subject.kind !== "form") row("API", t.api_url);
    row("Database id", t.ci !== null && t.ci !== undefined ? String(t.ci) : null);
    row("API user", apiUserText(report.api_user));
    if (report.usage) {
      const u = report.usage;
      const bar = el("div", { class: "usage-bar", role: "img", "aria-label": `${u.percent} percent of the hourly limit used` },
        el("span", { class: u.percent >= 75 ? "high" : "" }));
      bar.firstChild.style.width = `${Math.min(100, u.percent)}%`;
      row("API usage", el("div", {}, usageText(u), bar));
    }
    out.append(dl);
  }
}

/** A brand-new API user: "Test again in 4:59", counting down, live at 0.
 *  It stops counting once it is no longer on the page. */
function retestButton(seconds, onRetest) {
  const button = el("button", { type: "button", class: "retest", disabled: "" });
  const until = Date.now() + seconds * 1000;
  const tick = () => {
    if (!button.isConnected && button.dataset.started) return;
    button.dataset.started = "1";
    const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
    button.textContent = retestLabel(left);
    if (left === 0) {
      button.disabled = false;
    } else {
      setTimeout(tick, 1000);
    }
  };
  tick();
  button.addEventListener("click", () => onRetest());
  return button;
}

/** After a run: the verdict in view, and focus on it (not on `body`). */
export function bringVerdictIntoView() {
  const v = document.querySelector("#outcome .verdict") || $("outcome");
  v.scrollIntoView({ block: "start" });
  v.focus({ preventScroll: true });
}
