//! `GET <Entity>/query` of the records in `webhooks.rs`: who may read them,
//! and which of them a tenant's integration sees.

use serde_json::{Value, json};

use super::{Access, SimResponse, User, World};
use crate::webhooks::{Query, SimErrorLog, SimWebhook, WebhookPart, webhook_entity};

impl World {
    /// Queries of the records in `webhooks.rs`: Resources, the webhook
    /// entities and the error log. `None` for any other path.
    pub(super) fn webhooks_and_resources(
        &self,
        user: &User,
        rest: &str,
        search: Option<&str>,
        code: &str,
    ) -> Option<SimResponse> {
        let [entity, "query"] = rest.split('/').collect::<Vec<_>>()[..] else {
            return None;
        };
        let (access_entity, part) = match (entity, webhook_entity(entity)) {
            ("resources", _) => ("Resources".to_string(), None),
            ("webhookeventerrorlogs", _) => ("WebhookEventErrorLogs".to_string(), None),
            (_, Some((of, part))) => {
                let prefix = crate::webhooks::WEBHOOK_ENTITIES
                    .iter()
                    .find(|(e, _)| *e == of)
                    .map(|(_, p)| *p)
                    .expect("listed");
                (format!("{prefix}Webhooks"), Some((of, part)))
            }
            _ => return None,
        };
        if user.access_to(&access_entity) == Access::None {
            let message = format!(
                "The logged in Resource does not have the adequate permissions to access this entity type ({access_entity})."
            );
            return Some(SimResponse::errors(
                self.behaviour.permission_error_status,
                &message,
            ));
        }
        let q = match Query::parse(search) {
            Ok(q) => q,
            Err(e) => return Some(SimResponse::errors(500, &e)),
        };
        let tenant = &user.tenant;
        // Webhooks and their error log are the creating integration's.
        let own = |t: &str, by: &str| t == tenant && by == code;
        let items: Vec<Value> = match part {
            None if entity == "resources" => self
                .users
                .iter()
                .enumerate()
                .filter(|(_, u)| &u.tenant == tenant)
                .map(|(i, u)| {
                    json!({
                        "id": 29682800 + i as u64,
                        "userName": u.username,
                        "email": u.email.clone().unwrap_or_default(),
                        "isActive": !u.locked,
                        "licenseType": u.license_type,
                        "resourceType": "Employee",
                    })
                })
                .collect(),
            None => self
                .error_log
                .iter()
                .filter(|e| own(&e.tenant, &e.created_by_code))
                .map(SimErrorLog::record)
                .collect(),
            Some((of, WebhookPart::Webhooks)) => self
                .webhooks
                .iter()
                .filter(|w| w.entity == of && own(&w.tenant, &w.created_by_code))
                .map(SimWebhook::record)
                .collect(),
            Some((of, part)) => self
                .webhooks
                .iter()
                .filter(|w| w.entity == of && own(&w.tenant, &w.created_by_code))
                .flat_map(|w| {
                    let list = if part == WebhookPart::Fields {
                        &w.fields
                    } else {
                        &w.udf_fields
                    };
                    let key = if part == WebhookPart::Fields {
                        "fieldID"
                    } else {
                        "udfFieldID"
                    };
                    list.iter().map(move |(field, subscribed)| {
                        let mut item = json!({
                            "id": w.id * 100 + field,
                            "webhookID": w.id,
                            "isSubscribedField": subscribed,
                            "isDisplayAlwaysField": !subscribed,
                        });
                        item[key] = json!(field);
                        item
                    })
                })
                .collect(),
        };
        Some(SimResponse::json(200, q.answer(items)))
    }
}
