//! What the integration needs and the API user's security level lacks,
//! each said in the technician's terms: the permission Autotask's security
//! level page names (View, Add, Edit), what the level has now, and both
//! places it is set (the entity's object permission and the Web Services
//! API category, which technicians often set one without the other).

use super::input::Entity;
use super::types::EntityAccess;
use crate::rest::AccessLevel;
use crate::vendors::{entity_words, where_to_allow};

/// One need the security level does not meet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Gap {
    pub(super) entity: String,
    /// "View", "View, Add and Edit", "Add and Edit".
    pub(super) needs: &'static str,
    /// "none", "View only", "View of some records only".
    pub(super) has: &'static str,
}

impl Gap {
    /// "Tickets: needs Add and Edit, has View only: check both the Service
    /// Desk object permission and the Web Services API category."
    pub(super) fn sentence(&self) -> String {
        format!(
            "{}: needs {}, has {}: check both {} and the Web Services API category.",
            entity_words(&self.entity),
            self.needs,
            self.has,
            where_to_allow(&self.entity)
        )
    }
}

fn may(level: Option<AccessLevel>) -> bool {
    matches!(level, Some(AccessLevel::All | AccessLevel::Restricted))
}

/// The gaps between `needs` and what Autotask said of each entity. An
/// entity whose access could not be read is not a gap: it is reported as
/// unreadable instead.
pub(super) fn gaps(access: &[EntityAccess], needs: &[Entity]) -> Vec<Gap> {
    let mut out = Vec::new();
    for need in needs {
        let Some(a) = access
            .iter()
            .find(|a| a.entity.eq_ignore_ascii_case(need.as_str()))
        else {
            continue;
        };
        let readable = match a.query {
            Some(AccessLevel::None) => false,
            Some(_) if a.problem.is_none() => true,
            _ => continue, // not known: not a gap
        };
        let writes = may(a.create) || may(a.update);
        let gap = |needs, has| Gap {
            entity: a.entity.clone(),
            needs,
            has,
        };
        if !readable {
            let needs = if need.needs_write() {
                "View, Add and Edit"
            } else {
                "View"
            };
            out.push(gap(needs, "none"));
        } else if need.needs_write() && !writes {
            let has = if a.query == Some(AccessLevel::Restricted) {
                "View of some records only"
            } else {
                "View only"
            };
            out.push(gap("Add and Edit", has));
        }
    }
    out
}

/// The gaps as the one thing to do: each gap's sentence, in order.
pub(super) fn fix_text(gaps: &[Gap]) -> String {
    gaps.iter().map(Gap::sentence).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(entity: &str, q: Option<AccessLevel>, c: Option<AccessLevel>) -> EntityAccess {
        EntityAccess {
            entity: entity.into(),
            query: q,
            create: c,
            update: c,
            delete: None,
            problem: None,
        }
    }

    #[test]
    fn each_gap_names_the_permission_and_both_places() {
        use AccessLevel::*;
        let needs = Entity::list(&[
            "Tickets:write".into(),
            "Contacts".into(),
            "TicketWebhooks:write".into(),
            "Companies".into(),
            "SurveyResults:write".into(),
        ])
        .unwrap();
        let access = [
            row("Tickets", Some(All), Some(None)),
            row("Contacts", Some(None), Some(None)),
            row("TicketWebhooks", Some(None), Some(None)),
            row("Companies", Some(All), Some(All)),
            row("SurveyResults", Some(Restricted), Some(None)),
        ];
        let found: Vec<String> = gaps(&access, &needs).iter().map(Gap::sentence).collect();
        assert_eq!(
            found,
            [
                "Tickets: needs Add and Edit, has View only: check both the Service Desk object \
                 permission and the Web Services API category.",
                "Contacts: needs View, has none: check both the CRM object permission and the Web \
                 Services API category.",
                "Ticket Webhooks: needs View, Add and Edit, has none: check both \"Can create \
                 Webhooks\" under Other and the Web Services API category.",
                "Survey Results: needs Add and Edit, has View of some records only: check both its \
                 object permission and the Web Services API category.",
            ]
        );
    }

    #[test]
    fn what_could_not_be_read_is_not_a_gap() {
        let needs = Entity::list(&["Tickets:write".into()]).unwrap();
        let mut unknown = row("Tickets", None, None);
        unknown.problem = Some("Autotask's answer could not be read.".into());
        assert!(gaps(&[unknown], &needs).is_empty());
        // Writing either way (Add or Edit) meets a write need.
        let mut edit_only = row("Tickets", Some(AccessLevel::All), None);
        edit_only.update = Some(AccessLevel::All);
        assert!(gaps(&[edit_only], &needs).is_empty());
    }
}
