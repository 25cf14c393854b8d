//! A tenant's records, as far as clients of the gateway need them: Autotask's
//! query verbs (`POST <Entity>/query`, `…/query/count`, `GET …/query?search=`,
//! paging through `nextPageUrl`), reading one record, and create, update and
//! delete with Autotask's answers (`{"itemId": N}`). Written independently of
//! the app's core, like the rest of the simulator.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::world::{Access, Behaviour, SimResponse};

/// What a request does to an entity's records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Read,
    Query,
    Create,
    Update,
    Delete,
}

/// Every record of one tenant, per entity (Autotask's plural URL name).
#[derive(Clone, Debug, Default)]
pub struct Records {
    by_entity: HashMap<String, Vec<Value>>,
    next_id: i64,
}

const MAX_RECORDS: u64 = 500;

impl Records {
    /// The tenant's own company (id 0), three customers and two tickets.
    pub fn seeded(company_name: &str) -> Records {
        let mut r = Records {
            by_entity: HashMap::new(),
            next_id: 1000,
        };
        let companies = [
            (0, company_name, 5),
            (1, "Contoso Ltd (simulated)", 1),
            (2, "Fabrikam Inc (simulated)", 1),
            (3, "Northwind Traders (simulated)", 1),
        ];
        for (id, name, kind) in companies {
            r.put(
                "Companies",
                json!({"id": id, "companyName": name, "companyType": kind, "isActive": true}),
            );
        }
        r.put(
            "Tickets",
            json!({"id": 1, "title": "Printer offline", "companyID": 1, "status": 1}),
        );
        r.put(
            "Tickets",
            json!({"id": 2, "title": "New starter laptop", "companyID": 2, "status": 1}),
        );
        r
    }

    fn put(&mut self, entity: &str, record: Value) {
        self.by_entity
            .entry(entity.to_ascii_lowercase())
            .or_default()
            .push(record);
    }

    /// How many records `entity` holds.
    pub fn count(&self, entity: &str) -> usize {
        self.by_entity
            .get(&entity.to_ascii_lowercase())
            .map_or(0, Vec::len)
    }

    /// Answers one request on `entity` (the path's parts after it, lower
    /// case, in `rest`); `host` is where `nextPageUrl` points.
    pub fn answer(
        &mut self,
        verb: Verb,
        entity: &str,
        rest: &[&str],
        target: &str,
        body: &[u8],
        host: &str,
    ) -> SimResponse {
        match (verb, rest) {
            (Verb::Query, ["query", "count"]) => match search(target, body) {
                Ok(s) => {
                    let n = self.matching(entity, &s).len();
                    SimResponse::json(200, json!({ "queryCount": n }))
                }
                Err(r) => r,
            },
            (Verb::Query | Verb::Read, ["query", "next"]) => {
                let (offset, max) = paging(target);
                self.page(entity, &json!({}), offset, max, host)
            }
            (Verb::Query | Verb::Read, ["query"]) => match search(target, body) {
                Ok(s) => {
                    let max = s.get("MaxRecords").and_then(Value::as_u64).unwrap_or(500);
                    if !(1..=MAX_RECORDS).contains(&max) {
                        return SimResponse::errors(
                            500,
                            "maxCountOfRecordsToReturn must be between 1 and 500",
                        );
                    }
                    self.page(entity, &s, 0, max, host)
                }
                Err(r) => r,
            },
            (Verb::Read, [id]) => match id.parse::<i64>() {
                Ok(id) => SimResponse::json(200, json!({ "item": self.find(entity, id) })),
                Err(_) => not_found(),
            },
            (Verb::Create, []) => self.create(entity, body, None),
            // A child created under its parent: `Tickets/1/Notes`.
            (Verb::Create, [parent, child]) => match parent.parse::<i64>() {
                Ok(p) => self.create(&format!("{}{child}", singular(entity)), body, Some(p)),
                Err(_) => not_found(),
            },
            (Verb::Update, []) => self.update(entity, body),
            (Verb::Delete, [id]) => match id.parse::<i64>() {
                Ok(id) => self.delete(entity, id),
                Err(_) => not_found(),
            },
            _ => not_found(),
        }
    }

    fn find(&self, entity: &str, id: i64) -> Value {
        self.by_entity
            .get(&entity.to_ascii_lowercase())
            .and_then(|v| v.iter().find(|r| r["id"].as_i64() == Some(id)))
            .cloned()
            .unwrap_or(Value::Null)
    }

    fn matching(&self, entity: &str, search: &Value) -> Vec<Value> {
        let filters = search
            .get("filter")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        self.by_entity
            .get(&entity.to_ascii_lowercase())
            .into_iter()
            .flatten()
            .filter(|r| filters.iter().all(|f| passes(r, f)))
            .cloned()
            .collect()
    }

    fn page(
        &self,
        entity: &str,
        search: &Value,
        offset: usize,
        max: u64,
        host: &str,
    ) -> SimResponse {
        let all = self.matching(entity, search);
        let items: Vec<Value> = all
            .iter()
            .skip(offset)
            .take(max as usize)
            .cloned()
            .collect();
        let next = offset + items.len();
        let next_url = (next < all.len()).then(|| {
            format!(
                "https://{host}/ATServicesRest/V1.0/{}/query/next?paging={next}-{max}",
                entity_case(entity)
            )
        });
        SimResponse::json(
            200,
            json!({
                "items": items,
                "pageDetails": {
                    "count": items.len(),
                    "requestCount": max,
                    "prevPageUrl": null,
                    "nextPageUrl": next_url,
                },
            }),
        )
    }

    fn create(&mut self, entity: &str, body: &[u8], parent: Option<i64>) -> SimResponse {
        let Ok(Value::Object(mut record)) = serde_json::from_slice::<Value>(body) else {
            return SimResponse::errors(500, "The request body is not a JSON object.");
        };
        self.next_id += 1;
        let id = self.next_id;
        record.insert("id".into(), json!(id));
        if let Some(p) = parent {
            record.insert("parentID".into(), json!(p));
        }
        self.put(entity, Value::Object(record));
        SimResponse::json(200, json!({ "itemId": id }))
    }

    fn update(&mut self, entity: &str, body: &[u8]) -> SimResponse {
        let Ok(Value::Object(changes)) = serde_json::from_slice::<Value>(body) else {
            return SimResponse::errors(500, "The request body is not a JSON object.");
        };
        let Some(id) = changes.get("id").and_then(Value::as_i64) else {
            return SimResponse::errors(500, "An update needs the record's id.");
        };
        let records = self
            .by_entity
            .entry(entity.to_ascii_lowercase())
            .or_default();
        match records.iter_mut().find(|r| r["id"].as_i64() == Some(id)) {
            Some(Value::Object(record)) => {
                record.extend(changes);
                SimResponse::json(200, json!({ "itemId": id }))
            }
            _ => SimResponse::errors(500, &format!("No record with id {id}.")),
        }
    }

    fn delete(&mut self, entity: &str, id: i64) -> SimResponse {
        let records = self
            .by_entity
            .entry(entity.to_ascii_lowercase())
            .or_default();
        let before = records.len();
        records.retain(|r| r["id"].as_i64() != Some(id));
        if records.len() == before {
            return SimResponse::errors(500, &format!("No record with id {id}."));
        }
        SimResponse::json(200, json!({ "itemId": id }))
    }
}

/// What a request does, from its method and the path after the entity.
pub(crate) fn verb(method: &str, rest: &[&str]) -> Verb {
    let query = matches!(rest, ["query"] | ["query", "count"]);
    match method.to_ascii_uppercase().as_str() {
        "POST" if query => Verb::Query,
        "POST" => Verb::Create,
        "PATCH" | "PUT" => Verb::Update,
        "DELETE" => Verb::Delete,
        _ => Verb::Read,
    }
}

/// Autotask's refusal of a write the entity or the security level does
/// not allow (a 500 with its permission text, like its other refusals).
pub(crate) fn refuse_write(
    verb: Verb,
    name: &str,
    access: Access,
    behaviour: &Behaviour,
) -> Option<SimResponse> {
    let (create, delete, _, update) = crate::world::capabilities(name)?;
    let (allowed, what) = match verb {
        Verb::Read | Verb::Query => return None,
        Verb::Create => (create, "create"),
        Verb::Update => (update, "update"),
        Verb::Delete => (delete, "delete"),
    };
    if !allowed {
        return Some(SimResponse::errors(
            405,
            &format!("The entity {name} does not support {what}."),
        ));
    }
    matches!(access, Access::None | Access::ReadOnly).then(|| {
        SimResponse::errors(
            behaviour.permission_error_status,
            &format!(
                "The logged in Resource does not have the adequate permissions to {what} this entity type ({name})."
            ),
        )
    })
}

fn not_found() -> SimResponse {
    SimResponse::errors(404, "The requested resource does not exist.")
}

/// `Tickets` -> `Ticket`, `Companies` -> `Company` (Autotask's child
/// entities are named after the parent's singular: `TicketNotes`).
fn singular(entity: &str) -> String {
    let e = entity_case(entity);
    if let Some(stem) = e.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        e.strip_suffix('s').unwrap_or(&e).to_string()
    }
}

/// An entity name as Autotask spells it in URLs, from its lower case.
fn entity_case(lower: &str) -> String {
    crate::world::entity_name(lower)
        .map(str::to_string)
        .unwrap_or_else(|| lower.to_string())
}

/// The query: the POST body, or `?search=` of a GET; none is an empty one.
fn search(target: &str, body: &[u8]) -> Result<Value, SimResponse> {
    let text = if body.is_empty() {
        target
            .split_once('?')
            .map(|(_, q)| q)
            .unwrap_or("")
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| k.eq_ignore_ascii_case("search"))
            .map(|(_, v)| crate::world::percent_decode(v))
            .unwrap_or_else(|| "{}".into())
    } else {
        String::from_utf8_lossy(body).into_owned()
    };
    serde_json::from_str::<Value>(&text)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| SimResponse::errors(500, "The query is not valid JSON."))
}

/// `?paging=OFFSET-MAX` of a `query/next` URL this simulator made.
fn paging(target: &str) -> (usize, u64) {
    let value = target
        .split_once("paging=")
        .map(|(_, v)| v.split('&').next().unwrap_or(""))
        .unwrap_or("");
    let (o, m) = value.split_once('-').unwrap_or(("0", "500"));
    (
        o.parse().unwrap_or(0),
        m.parse().unwrap_or(500).clamp(1, MAX_RECORDS),
    )
}

/// One of Autotask's filter expressions against a record (`and`/`or`
/// groups with `items`, and the comparison operators).
fn passes(record: &Value, filter: &Value) -> bool {
    let op = filter["op"].as_str().unwrap_or("").to_ascii_lowercase();
    let items = || filter["items"].as_array().cloned().unwrap_or_default();
    match op.as_str() {
        "and" => items().iter().all(|f| passes(record, f)),
        "or" => items().iter().any(|f| passes(record, f)),
        _ => {
            let field = filter["field"].as_str().unwrap_or("");
            let got = record
                .as_object()
                .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(field)))
                .map(|(_, v)| v);
            let want = &filter["value"];
            let num = |v: &Value| v.as_f64().or_else(|| v.as_str()?.parse().ok());
            let text = |v: &Value| match v {
                Value::String(s) => s.to_lowercase(),
                other => other.to_string(),
            };
            match (op.as_str(), got) {
                ("exist", g) => g.is_some_and(|g| !g.is_null()),
                ("notexist", g) => g.is_none_or(Value::is_null),
                (_, None) => false,
                ("eq", Some(g)) => text(g) == text(want),
                ("noteq", Some(g)) => text(g) != text(want),
                ("gt", Some(g)) => num(g).zip(num(want)).is_some_and(|(a, b)| a > b),
                ("gte", Some(g)) => num(g).zip(num(want)).is_some_and(|(a, b)| a >= b),
                ("lt", Some(g)) => num(g).zip(num(want)).is_some_and(|(a, b)| a < b),
                ("lte", Some(g)) => num(g).zip(num(want)).is_some_and(|(a, b)| a <= b),
                ("contains", Some(g)) => text(g).contains(&text(want)),
                ("beginswith", Some(g)) => text(g).starts_with(&text(want)),
                ("endswith", Some(g)) => text(g).ends_with(&text(want)),
                _ => false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(r: &SimResponse) -> Value {
        serde_json::from_slice(&r.body).unwrap()
    }

    #[test]
    fn queries_filter_count_and_page() {
        let mut r = Records::seeded("Demo");
        let host = "webservices5.autotask.net";
        let all = r.answer(
            Verb::Query,
            "companies",
            &["query"],
            "/x",
            br#"{"filter":[{"op":"gte","field":"id","value":0}]}"#,
            host,
        );
        assert_eq!(body(&all)["items"].as_array().unwrap().len(), 4);
        let one = r.answer(
            Verb::Query,
            "companies",
            &["query"],
            "/x",
            br#"{"filter":[{"op":"contains","field":"companyName","value":"fabrikam"}]}"#,
            host,
        );
        assert_eq!(body(&one)["items"][0]["id"], 2);
        let count = r.answer(
            Verb::Query,
            "companies",
            &["query", "count"],
            "/x",
            b"",
            host,
        );
        assert_eq!(body(&count)["queryCount"], 4);
        let paged = r.answer(
            Verb::Query,
            "companies",
            &["query"],
            "/x",
            br#"{"MaxRecords":3}"#,
            host,
        );
        let next = body(&paged)["pageDetails"]["nextPageUrl"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(next.starts_with(
            "https://webservices5.autotask.net/ATServicesRest/V1.0/Companies/query/next?"
        ));
        let target = next.split_once(host).unwrap().1;
        let rest = r.answer(
            Verb::Read,
            "companies",
            &["query", "next"],
            target,
            b"",
            host,
        );
        assert_eq!(body(&rest)["items"].as_array().unwrap().len(), 1);
        assert!(body(&rest)["pageDetails"]["nextPageUrl"].is_null());
        let bad = r.answer(
            Verb::Query,
            "companies",
            &["query"],
            "/x",
            br#"{"MaxRecords":501}"#,
            host,
        );
        assert_eq!(bad.status, 500);
    }

    #[test]
    fn writes_follow_the_entity_and_the_security_level() {
        let b = Behaviour::default();
        assert_eq!(verb("POST", &["query"]), Verb::Query);
        assert_eq!(verb("post", &["query", "count"]), Verb::Query);
        assert_eq!(verb("POST", &[]), Verb::Create);
        assert_eq!(verb("PATCH", &[]), Verb::Update);
        assert_eq!(verb("GET", &["query"]), Verb::Read);
        assert!(refuse_write(Verb::Query, "Tickets", Access::ReadOnly, &b).is_none());
        let r = refuse_write(Verb::Create, "Tickets", Access::ReadOnly, &b).unwrap();
        assert!(String::from_utf8_lossy(&r.body).contains("adequate permissions"));
        assert!(refuse_write(Verb::Create, "Tickets", Access::All, &b).is_none());
        assert_eq!(
            refuse_write(Verb::Delete, "Tickets", Access::All, &b)
                .unwrap()
                .status,
            405
        );
    }

    #[test]
    fn create_update_delete_and_children() {
        let mut r = Records::seeded("Demo");
        let made = r.answer(Verb::Create, "tickets", &[], "/x", br#"{"title":"t"}"#, "h");
        let id = body(&made)["itemId"].as_i64().unwrap();
        assert_eq!(r.count("Tickets"), 3);
        let changed = r.answer(
            Verb::Update,
            "tickets",
            &[],
            "/x",
            format!(r#"{{"id":{id},"title":"u"}}"#).as_bytes(),
            "h",
        );
        assert_eq!(changed.status, 200);
        assert_eq!(r.find("tickets", id)["title"], "u");
        let note = r.answer(
            Verb::Create,
            "tickets",
            &["1", "notes"],
            "/x",
            br#"{"title":"n"}"#,
            "h",
        );
        assert_eq!(note.status, 200);
        assert_eq!(r.count("TicketNotes"), 1);
        let id_text = id.to_string();
        let gone = r.answer(Verb::Delete, "tickets", &[id_text.as_str()], "/x", b"", "h");
        assert_eq!(gone.status, 200);
        assert_eq!(r.count("Tickets"), 2);
    }
}
