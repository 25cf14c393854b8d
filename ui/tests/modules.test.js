// The page's module rules (ARCHITECTURE.md), read from the files themselves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const ui = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = readdirSync(ui).filter((f) => f.endsWith(".js"));
const source = (f) => readFileSync(join(ui, f), "utf8");

test("only api.js talks to Rust", () => {
  for (const f of modules) {
    if (f === "api.js") continue;
    assert.doesNotMatch(source(f), /__TAURI__|\binvoke\s*\(/, `${f} calls Rust directly`);
  }
});

test("the page never uses its own clipboard or storage (Rust copies; nothing is kept)", () => {
  for (const f of modules) {
    assert.doesNotMatch(source(f), /navigator\.clipboard|execCommand|localStorage|sessionStorage/, f);
  }
});

test("present.js is pure: no DOM, no Rust", () => {
  assert.doesNotMatch(source("present.js"), /document\.|window\.|import .*api\.js/);
});

test("every module index.html loads is there, and main.js is the one entry", () => {
  const html = readFileSync(join(ui, "index.html"), "utf8");
  const scripts = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(scripts, ["main.js"]);
  for (const m of html.matchAll(/href="([^"]+\.js)"/g)) assert.ok(modules.includes(m[1]), m[1]);
});

test("the page writes no state that Rust's FormState owns", () => {
  // What Save can do and why, the saved profile shown, the last result's
  // subject and staleness, the held secret, a moved zone, the hand-off:
  // Rust decides them (view::FormState); render.js only draws its answer.
  const owned = /\bstate\.(savedProfile|checkPassed|secretHeld|secretDirty|storeOk|movedZone|handoff|lastResult|subject)\b/;
  for (const f of modules) assert.doesNotMatch(source(f), owned, `${f} keeps a rule of its own`);
  for (const f of modules) {
    if (f === "render.js") continue;
    assert.doesNotMatch(source(f), /\bstate\.form\s*=[^=]/, `${f} writes state.form; only render.js draws Rust's answer`);
    // Save's availability and its line are drawn from FormState only.
    assert.doesNotMatch(source(f), /\$\("(save|bar-save)"\)\.disabled\s*=[^=]/, `${f} decides whether Save works`);
  }
  const keys = Object.keys((new Function(source("state.js").replace("export const state =", "return")))());
  for (const k of ["savedProfile", "checkPassed", "secretHeld", "secretDirty", "storeOk"]) {
    assert.ok(!keys.includes(k), `state.js keeps ${k}`);
  }
});

test("main.js stays a page of wiring (under 300 lines)", () => {
  assert.ok(source("main.js").split("\n").length < 300);
});
