//! The records the simulator serves beyond the check's probes: the API
//! users' own Resource records, the five webhook entities with their
//! subscribed fields, and the webhook error log; and the REST query filter
//! (`GET <Entity>/query?search={"filter":[…]}`) that selects among them.
//!
//! Field names follow Autotask's help (<EntityName>Webhooks,
//! <EntityName>WebhookFields, WebhookEventErrorLogs) with the casing of its
//! REST answers (camelCase; `webhookGUID` on Companies and Contacts and
//! `webhookGuid` elsewhere, as generated clients show it).

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

/// The entities Autotask supports webhooks for, and the prefix of their
/// webhook entities (`TicketWebhooks`, `TicketWebhookFields`, …).
pub const WEBHOOK_ENTITIES: [(&str, &str); 5] = [
    ("Companies", "Company"),
    ("Contacts", "Contact"),
    ("Tickets", "Ticket"),
    ("TicketNotes", "TicketNote"),
    ("ConfigurationItems", "ConfigurationItem"),
];

/// One webhook (a callout) as a tenant holds it.
#[derive(Clone, Debug)]
pub struct SimWebhook {
    pub tenant: String,
    /// `Tickets`, `Companies`… (one of [`WEBHOOK_ENTITIES`]).
    pub entity: &'static str,
    pub id: u64,
    pub name: String,
    pub url: String,
    pub active: bool,
    pub ready: bool,
    pub guid: String,
    /// Sent back in the webhook's record; a client must never show it.
    pub secret_key: String,
    /// The integration code that created it: only that integration reads
    /// the webhook and its error log.
    pub created_by_code: String,
    /// System fields: (field id, subscribed).
    pub fields: Vec<(u64, bool)>,
    /// User-defined fields: (UDF id, subscribed).
    pub udf_fields: Vec<(u64, bool)>,
}

/// One undelivered callout in the webhook error log.
#[derive(Clone, Debug)]
pub struct SimErrorLog {
    pub tenant: String,
    pub id: u64,
    pub entity: &'static str,
    pub webhook_id: u64,
    pub created_by_code: String,
    /// How long ago it was logged.
    pub age_days: u64,
    pub error_message: String,
    /// The payload names the webhook by its GUID.
    pub guid: String,
}

impl SimWebhook {
    /// A webhook as the demo and the tests make it: active, ready, with
    /// `subscribed` subscribed system fields and one display-always field.
    pub fn new(tenant: &str, entity: &'static str, id: u64, name: &str, url: &str) -> SimWebhook {
        SimWebhook {
            tenant: tenant.into(),
            entity,
            id,
            name: name.into(),
            url: url.into(),
            active: true,
            ready: true,
            guid: format!("{:08x}-5e1d-4c3a-9f00-{:012x}", id * 7919, id),
            secret_key: format!("Sim-webhook-key-{id}-Xq7#"),
            created_by_code: crate::world::demo::INTEGRATION_CODE.into(),
            fields: vec![(1, true), (2, true), (3, false)],
            udf_fields: vec![],
        }
    }

    pub fn record(&self) -> Value {
        let guid_key = if matches!(self.entity, "Companies" | "Contacts") {
            "webhookGUID"
        } else {
            "webhookGuid"
        };
        let mut item = json!({
            "id": self.id,
            "name": self.name,
            "webhookUrl": self.url,
            "deactivationUrl": format!("{}/deactivated", self.url.trim_end_matches('/')),
            "isActive": self.active,
            "isReady": self.ready,
            "isSubscribedToCreateEvents": true,
            "isSubscribedToUpdateEvents": true,
            "isSubscribedToDeleteEvents": false,
            "notificationEmailAddress": "integrations@demo-msp.example",
            "ownerResourceID": 29682885,
            "secretKey": self.secret_key,
            "sendThresholdExceededNotification": true,
        });
        item[guid_key] = json!(self.guid);
        item
    }
}

impl SimErrorLog {
    pub fn record(&self) -> Value {
        let at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
            .saturating_sub(self.age_days * 86_400);
        let payload = json!({
            "Action": "Update",
            "Guid": self.guid,
            "EntityType": self.entity.trim_end_matches('s'),
            "Id": 1000 + self.id,
            "Fields": {"lastActivityDate": "2026-11-30T09:00:00Z"},
            "EventTime": datetime(at),
            "SequenceNumber": self.id,
        });
        let mut item = json!({
            "id": self.id,
            "createDateTime": datetime(at),
            "errorMessage": self.error_message,
            "payload": payload.to_string(),
            "sequenceNumber": self.id,
        });
        // Autotask's help lists the per-entity webhook id for these two.
        match self.entity {
            "Companies" => item["accountWebhookID"] = json!(self.webhook_id),
            "Contacts" => item["contactWebhookID"] = json!(self.webhook_id),
            _ => {}
        }
        item
    }
}

/// `YYYY-MM-DDTHH:MM:SS.000Z`, as Autotask writes its datetimes.
pub fn datetime(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // civil_from_days (proleptic Gregorian), written here again on purpose:
    // the simulator shares no code with the app it tests.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The first 19 characters of an ISO datetime as a sortable number, so
/// `…T10:00:00Z` and `…T10:00:00.000Z` compare as the same instant.
fn instant(s: &str) -> Option<u64> {
    let d: String = s.get(..19)?.chars().filter(char::is_ascii_digit).collect();
    (d.len() == 14).then(|| d.parse().ok()).flatten()
}

/// Why a `search` cannot be run (Autotask answers 500 with the text).
pub type QueryError = String;

/// The filter of a REST query: `{"filter":[{"op","field","value"}], "MaxRecords"}`.
pub struct Query {
    filter: Vec<(String, String, Value)>,
    pub max_records: usize,
}

impl Query {
    pub fn parse(search: Option<&str>) -> Result<Query, QueryError> {
        let Some(search) = search else {
            return Err("A query needs a search with a filter.".into());
        };
        let v: Value = serde_json::from_str(search)
            .map_err(|_| "The search parameter is not valid JSON.".to_string())?;
        let get = |k: &str| {
            v.as_object().and_then(|o| {
                o.iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(k))
                    .map(|(_, v)| v)
            })
        };
        let max_records = match get("MaxRecords") {
            None => 500,
            Some(n) => match n.as_u64() {
                Some(n @ 1..=500) => n as usize,
                _ => return Err("maxCountOfRecordsToReturn must be between 1 and 500".into()),
            },
        };
        let mut filter = Vec::new();
        for f in get("filter")
            .and_then(Value::as_array)
            .ok_or("A query needs a filter.")?
        {
            let op = f["op"].as_str().unwrap_or("").to_ascii_lowercase();
            let field = f["field"].as_str().unwrap_or("").to_string();
            if field.is_empty() {
                return Err("A filter needs a field.".into());
            }
            filter.push((op, field, f["value"].clone()));
        }
        if filter.is_empty() {
            return Err("A query needs a filter.".into());
        }
        Ok(Query {
            filter,
            max_records,
        })
    }

    /// Whether `item` passes every condition (Autotask joins them with AND).
    pub fn matches(&self, item: &Value) -> bool {
        self.filter.iter().all(|(op, field, value)| {
            let got = field_of(item, field);
            match op.as_str() {
                "exist" => got.is_some_and(|g| !g.is_null()),
                "notexist" => got.is_none_or(Value::is_null),
                "eq" => got.is_some_and(|g| same(g, value)),
                "noteq" => !got.is_some_and(|g| same(g, value)),
                "in" => value
                    .as_array()
                    .is_some_and(|vs| got.is_some_and(|g| vs.iter().any(|v| same(g, v)))),
                "gt" | "gte" | "lt" | "lte" => got.is_some_and(|g| compare(op, g, value)),
                _ => false,
            }
        })
    }

    /// The items that match, at most `MaxRecords`, in the query envelope.
    pub fn answer(&self, items: impl IntoIterator<Item = Value>) -> Value {
        let found: Vec<Value> = items
            .into_iter()
            .filter(|i| self.matches(i))
            .take(self.max_records)
            .collect();
        json!({"items": found, "pageDetails": {"count": found.len(), "requestCount": self.max_records, "prevPageUrl": null, "nextPageUrl": null}})
    }
}

fn field_of<'a>(item: &'a Value, field: &str) -> Option<&'a Value> {
    let o: &Map<String, Value> = item.as_object()?;
    o.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(field))
        .map(|(_, v)| v)
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.eq_ignore_ascii_case(y),
        (Value::Number(x), Value::String(y)) | (Value::String(y), Value::Number(x)) => {
            y.trim() == x.to_string()
        }
        _ => a == b,
    }
}

fn compare(op: &str, got: &Value, value: &Value) -> bool {
    let ord = match (got, value) {
        (Value::Number(a), Value::Number(b)) => a.as_f64().partial_cmp(&b.as_f64()),
        (Value::String(a), Value::String(b)) => match (instant(a), instant(b)) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => Some(a.cmp(b)),
        },
        _ => None,
    };
    let Some(ord) = ord else { return false };
    match op {
        "gt" => ord.is_gt(),
        "gte" => ord.is_ge(),
        "lt" => ord.is_lt(),
        _ => ord.is_le(),
    }
}

/// `Tickets` from `ticketwebhooks`, `ticketwebhookfields`, … and which of
/// the three webhook entities it is.
pub fn webhook_entity(lower: &str) -> Option<(&'static str, WebhookPart)> {
    WEBHOOK_ENTITIES.iter().find_map(|(entity, prefix)| {
        let p = prefix.to_ascii_lowercase();
        let rest = lower.strip_prefix(&p)?;
        let part = match rest {
            "webhooks" => WebhookPart::Webhooks,
            "webhookfields" => WebhookPart::Fields,
            "webhookudffields" => WebhookPart::UdfFields,
            _ => return None,
        };
        Some((*entity, part))
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookPart {
    Webhooks,
    Fields,
    UdfFields,
}

/// The demo integration's webhooks: one healthy, and one of each way a
/// webhook dies silently (disabled on a private address and failing, not
/// ready on localhost with nothing subscribed).
pub(crate) fn demo_webhooks() -> (Vec<SimWebhook>, Vec<SimErrorLog>) {
    let hook = |entity, id, name: &str, url: &str| SimWebhook::new("demo", entity, id, name, url);
    let contacts = SimWebhook {
        active: false,
        fields: vec![(11, true)],
        ..hook(
            "Contacts",
            5,
            "Contact export",
            "http://192.168.10.20:8080/hooks/contacts",
        )
    };
    let assets = SimWebhook {
        ready: false,
        fields: vec![(21, false)],
        ..hook(
            "ConfigurationItems",
            2,
            "Asset watch",
            "https://localhost:5000/hooks/assets",
        )
    };
    let errors = (0..3)
        .map(|i| SimErrorLog {
            tenant: "demo".into(),
            id: 40 + i,
            entity: "Contacts",
            webhook_id: 5,
            created_by_code: crate::world::demo::INTEGRATION_CODE.into(),
            age_days: 1 + i * 4,
            error_message: "Unable to connect to the remote server".into(),
            guid: contacts.guid.clone(),
        })
        .collect();
    (
        vec![
            hook(
                "Tickets",
                7,
                "PSA ticket sync",
                "https://hooks.demo-msp.example/autotask/tickets?token=t0k3n",
            ),
            contacts,
            assets,
        ],
        errors,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_select_as_autotask_documents_them() {
        let q = Query::parse(Some(
            r#"{"filter":[{"op":"eq","field":"UserName","value":"A@B.example"}]}"#,
        ))
        .unwrap();
        assert!(q.matches(&json!({"userName": "a@b.example"})));
        assert!(!q.matches(&json!({"userName": "c@b.example"})));
        let q = Query::parse(Some(
            r#"{"filter":[{"op":"in","field":"webhookID","value":[3,7]}]}"#,
        ))
        .unwrap();
        assert!(q.matches(&json!({"webhookID": 7})));
        assert!(!q.matches(&json!({"webhookID": 5})));
        let q = Query::parse(Some(
            r#"{"filter":[{"op":"gte","field":"createDateTime","value":"2026-11-04T10:00:00Z"}]}"#,
        ))
        .unwrap();
        assert!(q.matches(&json!({"createDateTime": "2026-11-04T10:00:00.000Z"})));
        assert!(!q.matches(&json!({"createDateTime": "2026-11-04T09:59:59.000Z"})));
        assert!(Query::parse(None).is_err());
        assert!(Query::parse(Some(r#"{"filter":[]}"#)).is_err());
        assert_eq!(
            Query::parse(Some(
                r#"{"MaxRecords":501,"filter":[{"op":"exist","field":"id"}]}"#
            ))
            .err()
            .unwrap(),
            "maxCountOfRecordsToReturn must be between 1 and 500"
        );
    }

    #[test]
    fn datetimes_and_entities() {
        assert_eq!(datetime(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(datetime(1_796_342_400), "2026-12-04T00:00:00.000Z");
        assert_eq!(
            webhook_entity("ticketnotewebhookudffields"),
            Some(("TicketNotes", WebhookPart::UdfFields))
        );
        assert_eq!(
            webhook_entity("companywebhooks"),
            Some(("Companies", WebhookPart::Webhooks))
        );
        assert_eq!(webhook_entity("tickets"), None);
    }
}
