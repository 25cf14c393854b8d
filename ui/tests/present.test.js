// The page's pure logic. Run: node --test ui/tests/
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  blamedField, firstProblem, subjectLine, verdictText, firstSentence, retestLabel,
  lintLines, relativeTime, suggestName, spellNeeds, readNeeds, needsSummary, usageText,
  fixLines, entityWords, codeHint, vendorNote, guideFacts, recipeNeeds, apiUserText, webhookVerdict, webhookState,
} from "../present.js";

const step = (id, status, extra = {}) => ({ id, status, message: `${id} ${status}`, blame: null, fix: null, ...extra });
const title = (id) => ({ authentication: "Authentication", usage: "API usage" }[id]);

test("a blame points at a field only when the fix is made in that field", () => {
  assert.equal(blamedField(step("authentication", "failed", { blame: "secret" })), "secret");
  assert.equal(blamedField(step("authentication", "failed", { blame: "username" })), "username");
  assert.equal(blamedField(step("authentication", "failed", { blame: "locked" })), null);
  assert.equal(blamedField(step("authentication", "failed", { blame: "licence" })), null);
  assert.equal(blamedField(step("permissions", "failed", { blame: "permissions" })), null);
});

test("the first problem is the failed step, else a blaming warning", () => {
  const failed = step("authentication", "failed", { blame: "secret" });
  const warn = step("zone", "warning", { blame: "zone" });
  assert.equal(firstProblem({ steps: [warn, failed] }), failed);
  assert.equal(firstProblem({ steps: [step("usage", "warning"), warn] }), warn);
  assert.equal(firstProblem({ steps: [step("usage", "passed")] }), null);
});

test("every result names its subject", () => {
  assert.equal(subjectLine({ kind: "form" }), "Tested: the values in the form.");
  assert.equal(subjectLine({ kind: "profile", name: "Contoso" }), "Tested: the saved profile “Contoso”, with its stored secret.");
  assert.equal(subjectLine({ kind: "rotation", name: "Contoso" }), "Tested: a new secret for the saved profile “Contoso”.");
});

test("verdicts", () => {
  const ok = { passed: true, steps: [step("zone", "passed")] };
  assert.equal(verdictText(ok, { id: "custom", bound: false }, title), "Connection works.");
  const warned = { passed: true, steps: [step("zone", "warning"), step("usage", "warning")] };
  assert.equal(verdictText(warned, null, title), "Connection works, with 2 warnings.");
  assert.equal(verdictText(ok, { id: "proxuma", name: "Proxuma", bound: true }, title),
    "Username and zone confirmed. The secret was not tested here: Proxuma's own test verifies it.");
  const failed = { passed: false, steps: [step("authentication", "failed")] };
  assert.equal(verdictText(failed, null, title), "The check failed at authentication.");
  // Refused, never sent and never judged are said apart.
  assert.equal(verdictText({ ...failed, sign_in: "refused" }, null, title),
    "The check failed at authentication. Autotask refused the sign-in.");
  assert.equal(verdictText({ passed: false, sign_in: "failed_before_sending", steps: [step("network", "failed")] }, null, title),
    "The check failed at network. The secret was not sent.");
  assert.equal(verdictText({ ...failed, sign_in: "no_verdict" }, null, title),
    "The check failed at authentication. The secret was sent; no answer said whether it works.");
  assert.equal(verdictText({ passed: false, steps: [step("usage", "failed")] }, null, title), "The check failed at api usage.");
});

test("long texts: one line, the rest on demand", () => {
  assert.deepEqual(firstSentence("Paste it again. If nobody has it, generate one."), ["Paste it again.", "If nobody has it, generate one."]);
  assert.deepEqual(firstSentence("A key (e.g. k3jd8f0aq2mz7xw@contoso.com) is needed."), ["A key (e.g. k3jd8f0aq2mz7xw@contoso.com) is needed.", ""]);
  assert.deepEqual(lintLines({ severity: "warning", message: "This looks like a person's e-mail address. An API user's username is a key.", fix: "Copy Username (Key)." }),
    { severity: "warning", line: "This looks like a person's e-mail address.", more: "An API user's username is a key. Copy Username (Key)." });
});

test("relative times say minutes and hours in words, singular when one", () => {
  const now = Date.parse("2026-12-02T12:00:00Z");
  assert.equal(relativeTime("2026-12-02T11:59:30Z", now), "just now");
  assert.equal(relativeTime("2026-12-02T11:59:00Z", now), "1 minute ago");
  assert.equal(relativeTime("2026-12-02T11:15:00Z", now), "45 minutes ago");
  assert.equal(relativeTime("2026-12-02T09:00:00Z", now), "3 hours ago");
  assert.equal(relativeTime("2026-11-30T12:00:00Z", now), "2 days ago");
  assert.equal(relativeTime("garbage", now), "");
});

test("suggested names say what for and never collide", () => {
  const custom = { id: "custom", name: "My own integration or script" };
  const proxuma = { id: "proxuma", name: "Proxuma" };
  assert.equal(suggestName({ company: "Demo MSP", vendor: proxuma }, []), "Demo MSP – Proxuma");
  assert.equal(suggestName({ company: "Demo MSP", vendor: custom }, []), "Demo MSP – own integration");
  assert.equal(suggestName({ company: "Demo MSP", vendor: custom }, ["demo msp – own integration", "Demo MSP – own integration 2"]), "Demo MSP – own integration 3");
  assert.equal(suggestName({ company: null, vendor: proxuma, username: "k3j@contoso.com" }, []), "contoso.com – Proxuma");
});

test("needs round-trip as the CLI spells them", () => {
  const needs = { Tickets: "write", Companies: "read", Contacts: "none" };
  assert.deepEqual(spellNeeds(needs), ["Tickets:write", "Companies"]);
  assert.deepEqual(readNeeds(["Tickets:write", "Companies"], ["Resources"]), { Tickets: "write", Companies: "read" });
  assert.deepEqual(readNeeds([], ["Companies", "Resources"]), { Companies: "read", Resources: "read" });
  assert.equal(needsSummary({ Tickets: "write", Companies: "read" }), "reads Companies; writes Tickets");
});

test("usage keeps the percent sign with its number", () => {
  assert.equal(usageText({ used: 8600, limit: 10000, window_minutes: 60, percent: 86 }),
    "8,600 of 10,000 requests in the last 60 minutes (86\u00a0%)");
});

test("a fix is one line; Rust's details and a long fix's rest are on demand", () => {
  assert.deepEqual(fixLines({ fix: "Paste the secret again.", details: "If nobody has it, …" }),
    ["Paste the secret again.", "If nobody has it, …"]);
  assert.deepEqual(fixLines({ fix: "Allow TLS to Autotask. Your proxy inspects HTTPS.", details: null }),
    ["Allow TLS to Autotask.", "Your proxy inspects HTTPS."]);
  assert.deepEqual(fixLines({ fix: null, message: "Autotask is busy." }), ["Autotask is busy.", ""]);
});

test("entity names read as words", () => {
  assert.equal(entityWords("TicketWebhooks"), "Ticket Webhooks");
  assert.equal(entityWords("ConfigurationItemWebhooks"), "Configuration Item Webhooks");
  assert.equal(entityWords("Tickets"), "Tickets");
});

test("the timed re-test counts down in minutes and seconds", () => {
  assert.equal(retestLabel(300), "Test again in 5:00");
  assert.equal(retestLabel(299), "Test again in 4:59");
  assert.equal(retestLabel(9), "Test again in 0:09");
  assert.equal(retestLabel(0), "Test again");
});

const preset = (over) => ({
  id: "x", name: "X", code_class: "autotask_generates", tracking_identifier: "Custom (Internal Integration).",
  published_code: null, code_source: null, recipe: null, checklist: [],
  setup: { where: "Admin", security_level: "API User (system)", line_of_business: null, ready_after_minutes: 5, steps: [], flows: [] },
  ...over,
});

test("the code field says where the code comes from, by the preset's class", () => {
  assert.match(codeHint(preset({})), /the code Autotask generates/);
  assert.doesNotMatch(codeHint(preset({})), /vendor gives you/);
  assert.equal(codeHint(preset({ name: "SquaredUp", code_class: "vendor_publishes", code_source: "https://github.com/squaredup/plugins" })),
    "SquaredUp publishes its integration code, so it is filled in (published at https://github.com/squaredup/plugins).");
});

test("a vendor that keeps its code says who tests the secret and the 5-minute wait", () => {
  const sf = preset({ id: "support-fusion", name: "Support Fusion", code_class: "vendor_keeps" });
  assert.equal(vendorNote(sf), "No integration code: Support Fusion keeps its own. The test confirms the username and zone "
    + "without sending the secret; Support Fusion's own test checks the secret. Autotask can take up to 5 minutes to accept a new API user.");
  assert.equal(vendorNote(preset({ id: "custom" })), "");
  assert.equal(vendorNote(preset({ name: "Cyrisma" })), "Cyrisma asks for the integration code Autotask generates.");
});

test("the guide shows the recipe, lines of business and the ready delay where they apply", () => {
  const px = preset({
    id: "proxuma", name: "Proxuma", recipe: { source: "Proxuma's guide", entities: [], webhooks: true, webhook_maximum: 50 },
    setup: { where: "Security Levels", security_level: "A copy", line_of_business: "Choose the lines of business Proxuma should see.", ready_after_minutes: 5, steps: [], flows: [] },
  });
  assert.deepEqual(guideFacts(px), [
    "Where: Security Levels.", "Security level: A copy.", "Tracking identifier: Custom (Internal Integration).",
    "Webhooks: \u201cCan create Webhooks\u201d under Other, maximum 50.",
    "Lines of business: Choose the lines of business Proxuma should see.",
    "A new API user can take up to 5 minutes before Autotask accepts it.",
  ]);
  const sq = preset({ recipe: { source: "S", entities: [{ entity: "SurveyResults", access: "read" }, { entity: "Tickets", access: "write" }], webhooks: false } });
  assert.equal(guideFacts(sq)[2 + 1], "It needs: Survey Results (read), Tickets (read and write). Source: S.");
  assert.deepEqual(recipeNeeds(sq), ["SurveyResults", "Tickets:write"]);
  assert.deepEqual(recipeNeeds(preset({})), []);
});

test("the API user's own record, or why it is not shown", () => {
  assert.equal(apiUserText({ read: true, active: true, api_user_licence: true, license_type: 7, email: "ops@x.example", message: "" }),
    "active · API User licence · notices to ops@x.example");
  assert.equal(apiUserText({ read: true, active: true, api_user_licence: false, license_type: 3, email: null, message: "" }),
    "active · licence type 3 (not the API User licence) · no e-mail for lockout notices");
  assert.equal(apiUserText({ read: false, message: "This API user's security level cannot read Resources." }),
    "This API user's security level cannot read Resources.");
  assert.equal(apiUserText(null), null);
});

test("the webhook doctor's verdict and each webhook's line", () => {
  const hook = (over) => ({ active: true, ready: true, subscribed_fields: 2, errors_last_30_days: 0, problems: [], ...over });
  const report = (entities, over = {}) => ({ ok: true, sign_in: "accepted", problems: 0, steps: [], entities, ...over });
  assert.equal(webhookVerdict(report([{ webhooks: [] }])), "This integration has no webhooks on these entities.");
  assert.equal(webhookVerdict(report([{ webhooks: [hook({})] }])), "The webhook is fine.");
  assert.equal(webhookVerdict(report([{ webhooks: [hook({}), hook({ active: false })] }], { ok: false, problems: 1 })),
    "1 webhook has a problem.");
  assert.equal(webhookVerdict(report([], { ok: false, sign_in: "refused",
    steps: [{ status: "failed", message: "Autotask refused the secret." }] })), "Not read: Autotask refused the secret.");
  assert.equal(webhookVerdict(report([{ webhooks: [] }], { ok: false })), "Nothing could be read: see each entity below.");
  assert.equal(webhookState(hook({})), "active · ready · 2 subscribed fields");
  assert.equal(webhookState(hook({ active: false, ready: null, subscribed_fields: null, errors_last_30_days: 3 })),
    "inactive · ready? · subscribed fields not counted · 3 undelivered in 30 days");
  assert.equal(webhookState(hook({ subscribed_fields: 1 })), "active · ready · 1 subscribed field");
});
