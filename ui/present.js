// What the page says, as pure functions of what Rust sent: no DOM, no
// invoke. Unit-tested with `node --test ui/tests/` (run by scripts/test).

/** The form field a step's blame points at; other blames (licence,
 *  permissions, a locked user, the network) are not fixed in a field. */
export const BLAME_FIELD = Object.freeze({
  username: "username",
  secret: "secret",
  integration_code: "integration_code",
  zone: "zone",
});

export function blamedField(step) {
  return (step && step.blame && BLAME_FIELD[step.blame]) || null;
}

/** The step to fix first: the failed one, else a warning that blames something. */
export function firstProblem(report) {
  return report.steps.find((s) => s.status === "failed")
    || report.steps.find((s) => s.status === "warning" && s.blame)
    || null;
}

/** What was tested, in words: every result says it. */
export function subjectLine(subject) {
  switch (subject.kind) {
    case "profile": return `Tested: the saved profile “${subject.name}”, with its stored secret.`;
    case "rotation": return `Tested: a new secret for the saved profile “${subject.name}”.`;
    default: return "Tested: the values in the form.";
  }
}

/** The verdict line: what passed, for whom. */
export function verdictText(report, vendor, stepTitle) {
  const warnings = report.steps.filter((s) => s.status === "warning").length;
  if (report.passed && vendor && vendor.bound) {
    return `Username and zone confirmed. The secret was not tested here: ${vendor.name}'s own test verifies it.`;
  }
  if (report.passed) {
    return warnings ? `Connection works, with ${warnings} warning${warnings > 1 ? "s" : ""}.` : "Connection works.";
  }
  const failed = report.steps.find((s) => s.status === "failed");
  return `The check failed at ${(stepTitle(failed.id) || failed.id).toLowerCase()}.${SIGN_IN[report.sign_in] || ""}`;
}

/** What became of the secret, after a failed check: refused by Autotask
 *  is not "never sent" (Rust's `sign_in`). */
const SIGN_IN = Object.freeze({
  refused: " Autotask refused the sign-in.",
  no_verdict: " The secret was sent; no answer said whether it works.",
  failed_before_sending: " The secret was not sent.",
  not_sent: " The secret was not sent.",
});

/** The timed re-test's label: "Test again in 4:59", then "Test again". */
export function retestLabel(seconds) {
  if (seconds <= 0) return "Test again";
  const m = Math.floor(seconds / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return `Test again in ${m}:${s}`;
}

/** A long text as one line and the rest on demand: the first sentence,
 *  and what follows it. */
export function firstSentence(text) {
  const m = /^(.+?[.!?])\s+(?=[A-Z"“(])/s.exec(text || "");
  return m ? [m[1], text.slice(m[0].length).trim()] : [text || "", ""];
}

/** A step's fix as one line and the rest on demand: Rust's one-line fix
 *  and its details, or a long fix cut after its first sentence. */
export function fixLines(step) {
  const [line, rest] = firstSentence(step.fix || step.message);
  return [line, [rest, step.details].filter(Boolean).join(" ")];
}

/** A lint as the line under its field, and the rest (the how) on demand. */
export function lintLines(lint) {
  const [line, rest] = firstSentence(lint.message);
  return { severity: lint.severity, line, more: [rest, lint.fix].filter(Boolean).join(" ") };
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function relativeTime(iso, now = Date.now()) {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "";
  const s = Math.max(0, Math.round((now - at) / 1000));
  const plural = (n, unit) => `${n} ${unit}${n === 1 ? "" : "s"} ago`;
  if (s < 60) return "just now";
  if (s < 3600) return plural(Math.floor(s / 60), "minute");
  if (s < 86400) return plural(Math.floor(s / 3600), "hour");
  return plural(Math.floor(s / 86400), "day");
}

/** A profile name that says whose and what for, and is not taken yet. */
export function suggestName({ company, vendor, username }, taken) {
  const who = company || (username || "").split("@")[1] || "Autotask";
  const what = !vendor || vendor.id === "custom" ? "own integration" : vendor.name;
  const base = `${who} – ${what}`;
  const used = new Set(taken.map((n) => n.toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  for (let i = 2; ; i += 1) {
    const name = `${base} ${i}`;
    if (!used.has(name.toLowerCase())) return name;
  }
}

/** The integration's needs as `--entity` spells them: ["Tickets:write", "Companies"]. */
export function spellNeeds(needs) {
  return Object.entries(needs)
    .filter(([, access]) => access === "read" || access === "write")
    .map(([entity, access]) => (access === "write" ? `${entity}:write` : entity));
}

/** The reverse of spellNeeds; no needs saved means the default entities, read. */
export function readNeeds(spelled, defaults) {
  const out = {};
  for (const s of spelled && spelled.length ? spelled : defaults) {
    const [entity, access] = s.split(":");
    out[entity] = access === "write" ? "write" : "read";
  }
  return out;
}

/** An API entity name in words: TicketWebhooks → "Ticket Webhooks". */
export function entityWords(entity) {
  return entity.replace(/([a-z])([A-Z])/g, "$1 $2");
}

/** One line for the needs' summary. */
export function needsSummary(needs) {
  const write = Object.keys(needs).filter((e) => needs[e] === "write");
  const read = Object.keys(needs).filter((e) => needs[e] === "read");
  const parts = [];
  if (read.length) parts.push(`reads ${read.join(", ")}`);
  if (write.length) parts.push(`writes ${write.join(", ")}`);
  return parts.length ? parts.join("; ") : "nothing chosen (the default entities are read)";
}

/** "8,600 of 10,000 requests in the last 60 minutes (86 %)", never broken before the %. */
export function usageText(u) {
  return `${u.used.toLocaleString("en")} of ${u.limit.toLocaleString("en")} requests in the last ${u.window_minutes} minutes (${u.percent}\u00a0%)`;
}

/** Where the integration code comes from, under its field: Autotask
 *  generates it, or the vendor publishes it (a vendor that keeps its own
 *  has no code field at all). */
export function codeHint(v) {
  if (v.code_class === "vendor_publishes") {
    return `${v.name} publishes its integration code, so it is filled in (published at ${v.code_source}).`;
  }
  return "\u201cAPI Tracking Identifier\u201d: the code Autotask generates for this API user when you choose "
    + "\u201cCustom (Internal Integration)\u201d (or an integration vendor entry made in your tenant).";
}

/** The line under "Who will use this API user?". */
export function vendorNote(v) {
  const wait = `Autotask can take up to ${v.setup.ready_after_minutes} minutes to accept a new API user.`;
  switch (v.code_class) {
    case "vendor_keeps":
      return `No integration code: ${v.name} keeps its own. The test confirms the username and zone without sending the secret; `
        + `${v.name}'s own test checks the secret. ${wait}`;
    case "vendor_publishes":
      return `${v.name} publishes its integration code, so the whole check runs with it.`;
    default:
      return v.id === "custom" ? "" : `${v.name} asks for the integration code Autotask generates.`;
  }
}

/** The guide's facts, one line each: where, the security level, the
 *  tracking identifier, what the vendor needs, lines of business, and how
 *  long a new API user takes. */
export function guideFacts(v) {
  const facts = [];
  if (v.id !== "custom") facts.push(`Where: ${v.setup.where}.`);
  facts.push(`Security level: ${v.setup.security_level}.`);
  facts.push(`Tracking identifier: ${v.tracking_identifier}`);
  const r = v.recipe;
  if (r && r.entities.length) {
    const list = r.entities.map((e) => `${entityWords(e.entity)} (${e.access === "write" ? "read and write" : "read"})`);
    facts.push(`It needs: ${list.join(", ")}. Source: ${r.source}.`);
  }
  if (r && r.webhooks) {
    facts.push(`Webhooks: \u201cCan create Webhooks\u201d under Other${r.webhook_maximum ? `, maximum ${r.webhook_maximum}` : ""}.`);
  }
  if (v.setup.line_of_business) facts.push(`Lines of business: ${v.setup.line_of_business}`);
  facts.push(`A new API user can take up to ${v.setup.ready_after_minutes} minutes before Autotask accepts it.`);
  return facts;
}

/** What a vendor's recipe asks the check to read, as `--entity` spells it
 *  (the needs picker's defaults for a vendor that signs in); none: []. */
export function recipeNeeds(v) {
  const r = v && v.recipe;
  if (!r) return [];
  return r.entities.map((e) => (e.access === "write" ? `${e.entity}:write` : e.entity));
}

/** The tenant's "API user" row: what its own record says, or why it is not shown. */
export function apiUserText(u) {
  if (!u) return null;
  if (!u.read) return u.message;
  const parts = [];
  if (u.active === true) parts.push("active");
  if (u.active === false) parts.push("inactive");
  if (u.api_user_licence === true) parts.push("API User licence");
  if (u.api_user_licence === false) parts.push(`licence type ${u.license_type} (not the API User licence)`);
  parts.push(u.email ? `notices to ${u.email}` : "no e-mail for lockout notices");
  return parts.join(" · ");
}

/** The webhook doctor's verdict, in a line. */
export function webhookVerdict(r) {
  if (r.sign_in !== "accepted") {
    const failed = r.steps.find((s) => s.status === "failed");
    return `Not read: ${failed ? failed.message : "the sign-in did not succeed."}`;
  }
  const all = r.entities.flatMap((e) => e.webhooks);
  if (r.ok && all.length === 0) return "This integration has no webhooks on these entities.";
  if (r.ok) return all.length === 1 ? "The webhook is fine." : `All ${all.length} webhooks are fine.`;
  if (r.problems > 0) return `${r.problems} webhook${r.problems > 1 ? "s have" : " has"} a problem.`;
  return "Nothing could be read: see each entity below.";
}

/** One webhook's state, in a line: "active · ready · 2 subscribed fields". */
export function webhookState(w) {
  const yes = (v, on, off) => (v === true ? on : v === false ? off : `${on}?`);
  const fields = w.subscribed_fields === null ? "subscribed fields not counted"
    : `${w.subscribed_fields} subscribed field${w.subscribed_fields === 1 ? "" : "s"}`;
  const errors = w.errors_last_30_days ? ` · ${w.errors_last_30_days} undelivered in 30 days` : "";
  return `${yes(w.active, "active", "inactive")} · ${yes(w.ready, "ready", "not ready")} · ${fields}${errors}`;
}
