//! What the record's pages show: the entry form as typed (every value comes back when
//! something is wrong) and one line of a list of entries.

use super::Entry;
use crate::web::page::long_date;
use cairn_core::{EntryDraft, vocabulary};
use serde::Deserialize;

impl EntryLine {
    /// One line of a list of entries (home page, My record).
    pub fn from_entry(e: &Entry) -> Self {
        EntryLine {
            id: e.id.to_string(),
            title: e.title.clone(),
            date: e.date.to_string(),
            date_label: long_date(e.date),
            kind_label: vocabulary::label(vocabulary::KINDS, &e.kind)
                .unwrap_or("Other")
                .to_owned(),
            hours: e.hours.words(),
            has_reflection: e.has_reflection(),
        }
    }
}

/// One entry as the home page and My record list it.
pub struct EntryLine {
    pub id: String,
    pub title: String,
    pub date: String,
    pub date_label: String,
    pub kind_label: String,
    pub hours: String,
    pub has_reflection: bool,
}

/// The quick capture form as typed; every value comes back if something is wrong.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaptureForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub topics: String,
    #[serde(default)]
    pub reflection: String,
    #[serde(default)]
    pub reflection_so_what: String,
    #[serde(default)]
    pub reflection_now_what: String,
    pub peer_reflection: Option<String>,
    #[serde(default)]
    pub peer_name: String,
    /// On the entry page: the version the person opened.
    #[serde(default)]
    pub version: String,
    /// The framework elements chosen: a checkbox `element` each (a repeated name, read by
    /// [`CaptureSubmission`]), and a hidden one for each the form does not offer.
    #[serde(skip)]
    pub elements: Vec<String>,
}

/// The capture form as sent. A struct's derived reading refuses a repeated name, so the
/// `element` checkboxes are taken out first and the other fields read as before.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "Vec<(String, String)>")]
pub struct CaptureSubmission(pub CaptureForm);

impl TryFrom<Vec<(String, String)>> for CaptureSubmission {
    type Error = serde_urlencoded::de::Error;

    fn try_from(pairs: Vec<(String, String)>) -> Result<Self, Self::Error> {
        let (elements, fields): (Vec<_>, Vec<_>) =
            pairs.into_iter().partition(|(name, _)| name == "element");
        let fields = serde_urlencoded::to_string(&fields)
            .map_err(|e| <Self::Error as serde::de::Error>::custom(e.to_string()))?;
        let mut form: CaptureForm = serde_urlencoded::from_str(&fields)?;
        for (_, element) in elements {
            let element = element.trim().to_owned();
            if !element.is_empty() && !form.elements.contains(&element) {
                form.elements.push(element);
            }
        }
        Ok(Self(form))
    }
}

/// The framework elements an entry form offers, grouped by framework: those the person's
/// requirements ask for first, and within each the ones still needed first.
pub struct ElementChoices {
    pub groups: Vec<ElementGroup>,
    /// Elements the entry holds that no group offers (another organisation's, or sent by the
    /// API): kept as hidden fields, so that saving the form never drops them.
    pub kept: Vec<String>,
    /// Whether the person's requirements ask for elements at all (then the group is open).
    pub asked: bool,
}

pub struct ElementGroup {
    pub id: &'static str,
    pub title: &'static str,
    /// The person's requirements ask for some of its elements (then it is shown open).
    pub asked: bool,
    pub elements: Vec<ElementChoice>,
}

pub struct ElementChoice {
    pub id: &'static str,
    pub label: &'static str,
    pub chosen: bool,
    /// A requirement that applies to the person still needs it this period.
    pub needed: bool,
}

impl ElementChoices {
    /// The choices for an entry holding `chosen`, for a person whose requirements ask for
    /// `wanted` and still need `needed`. Frameworks none of whose elements are asked for
    /// follow the others; an element in two frameworks is offered in the first only.
    pub fn new(chosen: &[String], wanted: &[String], needed: &[String]) -> Self {
        // Frameworks share some elements (protection, knowledge for your role): one is asked
        // for when it holds every element wanted, or one wanted that no other framework has.
        let holds = |terms: &[vocabulary::Term], id: &str| terms.iter().any(|(t, _)| *t == id);
        let asks = |terms: &[vocabulary::Term]| {
            !wanted.is_empty()
                && (wanted.iter().all(|w| holds(terms, w))
                    || wanted.iter().any(|w| {
                        holds(terms, w)
                            && vocabulary::FRAMEWORKS
                                .iter()
                                .filter(|(_, _, other)| !std::ptr::eq(*other, terms))
                                .all(|(_, _, other)| !holds(other, w))
                    }))
        };
        let mut frameworks: Vec<_> = vocabulary::FRAMEWORKS.iter().collect();
        frameworks.sort_by_key(|(_, _, terms)| !asks(terms));
        let mut offered: Vec<&str> = Vec::new();
        let mut groups = Vec::new();
        for (id, title, terms) in frameworks {
            let asked = asks(terms);
            let mut elements: Vec<ElementChoice> = terms
                .iter()
                .filter(|(element, _)| !offered.contains(element))
                .map(|(element, label)| ElementChoice {
                    id: element,
                    label,
                    chosen: chosen.iter().any(|c| c == element),
                    needed: needed.iter().any(|n| n == element),
                })
                .collect();
            // Stable: still needed first, then the framework's own order.
            elements.sort_by_key(|e| !e.needed);
            offered.extend(elements.iter().map(|e| e.id));
            groups.push(ElementGroup {
                id,
                title,
                asked,
                elements,
            });
        }
        let kept = chosen
            .iter()
            .filter(|c| !offered.contains(&c.as_str()))
            .cloned()
            .collect();
        Self {
            groups,
            kept,
            asked: !wanted.is_empty(),
        }
    }

    /// The frameworks the person's requirements do not ask for (offered folded away).
    pub fn others(&self) -> impl Iterator<Item = &ElementGroup> {
        self.groups.iter().filter(|g| !g.asked)
    }

    /// The frameworks they do ask for.
    pub fn theirs(&self) -> impl Iterator<Item = &ElementGroup> {
        self.groups.iter().filter(|g| g.asked)
    }

    /// Whether one of the folded frameworks has an element chosen (then it is shown open).
    pub fn others_chosen(&self) -> bool {
        self.others().flat_map(|g| &g.elements).any(|e| e.chosen)
    }

    /// The choices for the signed-in person's entry holding `chosen`, from what their
    /// requirements ask for today.
    pub async fn for_person(
        state: &crate::app::AppState,
        person_id: uuid::Uuid,
        chosen: &[String],
    ) -> anyhow::Result<Self> {
        let (wanted, needed) = crate::standing::elements_wanted(
            &state.db,
            person_id,
            state.clock.today(),
            state.clock.now(),
        )
        .await?;
        Ok(Self::new(chosen, &wanted, &needed))
    }
}

impl CaptureForm {
    /// The form filled in from a stored entry, for changing it.
    pub fn from_entry(entry: &Entry) -> Self {
        let topics: Vec<String> = entry
            .topics
            .iter()
            .map(|t| {
                vocabulary::label(vocabulary::TOPICS, t).map_or_else(|| t.clone(), str::to_owned)
            })
            .collect();
        CaptureForm {
            csrf: String::new(),
            date: entry.date.to_string(),
            title: entry.title.clone(),
            hours: entry.hours.to_string(),
            kind: entry.kind.clone(),
            topics: topics.join(", "),
            reflection: entry.reflection.clone().unwrap_or_default(),
            reflection_so_what: entry.reflection_so_what.clone().unwrap_or_default(),
            reflection_now_what: entry.reflection_now_what.clone().unwrap_or_default(),
            peer_reflection: entry.peer_reflection.then(|| "yes".to_owned()),
            peer_name: entry.peer_name.clone().unwrap_or_default(),
            version: entry.version.to_string(),
            elements: entry.elements.clone(),
        }
    }

    pub fn peer(&self) -> bool {
        self.peer_reflection.is_some()
    }
    /// Whether anything beyond the three quick fields was filled in (then the details stay open).
    pub fn has_details(&self) -> bool {
        !(self.topics.is_empty()
            && self.reflection.is_empty()
            && self.reflection_so_what.is_empty()
            && self.reflection_now_what.is_empty())
            || self.peer()
            || !self.elements.is_empty()
            || (!self.kind.is_empty() && self.kind != "other")
    }
    /// The entry as the API would receive it. Topics typed as their labels become their ids.
    pub fn to_draft(&self) -> EntryDraft {
        let topics = vocabulary::ids_from_typed(&self.topics, &[vocabulary::TOPICS]);
        let text = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
        EntryDraft {
            date: Some(self.date.clone()),
            title: Some(self.title.clone()),
            kind: text(&self.kind),
            hours: Some(serde_json::Value::String(self.hours.clone())),
            topics,
            reflection: text(&self.reflection),
            reflection_so_what: text(&self.reflection_so_what),
            reflection_now_what: text(&self.reflection_now_what),
            peer_reflection: self.peer(),
            peer_name: text(&self.peer_name),
            elements: self.elements.clone(),
            ..EntryDraft::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn repeated_element_checkboxes_are_all_read_with_the_other_fields() {
        let sent = pairs(&[
            ("csrf", "t"),
            ("title", "Court skills"),
            ("element", "protection"),
            ("element", "knowledge-for-role"),
            ("element", "protection"),
            ("element", " "),
            ("peer_reflection", "yes"),
        ]);
        let CaptureSubmission(form) = sent.try_into().expect("a form");
        assert_eq!(form.title, "Court skills");
        assert_eq!(form.elements, ["protection", "knowledge-for-role"]);
        assert!(form.peer());
        assert_eq!(
            form.to_draft().elements,
            ["protection", "knowledge-for-role"]
        );
    }

    #[test]
    fn asked_frameworks_come_first_needed_elements_first_and_nothing_is_dropped() {
        let chosen = vec!["protection".to_owned(), "our-own-element".to_owned()];
        let wanted: Vec<String> = vocabulary::ELEMENTS_CARE
            .iter()
            .map(|(id, _)| (*id).to_owned())
            .collect();
        let needed = vec!["leadership-and-quality".to_owned()];
        let choices = ElementChoices::new(&chosen, &wanted, &needed);
        assert_eq!(choices.groups[0].id, "sssc-cpl-2024-care");
        assert!(choices.groups[0].asked && !choices.groups[1].asked);
        assert_eq!(choices.groups[0].elements[0].id, "leadership-and-quality");
        assert!(choices.groups[0].elements[0].needed);
        // Offered once: the social work group leaves out what the care group offers.
        let offered: Vec<&str> = choices
            .groups
            .iter()
            .flat_map(|g| g.elements.iter().map(|e| e.id))
            .collect();
        let mut unique = offered.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), offered.len());
        assert!(
            choices
                .groups
                .iter()
                .flat_map(|g| &g.elements)
                .any(|e| e.id == "protection" && e.chosen)
        );
        assert_eq!(choices.kept, ["our-own-element"]);
    }
}
