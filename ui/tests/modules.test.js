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
