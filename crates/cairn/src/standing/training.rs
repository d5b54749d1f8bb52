//! Mandatory training built in a form, not typed as a file: a title and a list of items
//! (a topic, how long a completion stays valid, how long before expiry to warn, how long a
//! new starter has), written as the `cairn-policy/1` file every organisation policy is
//! (the file stays visible as the advanced view, and is what is versioned and judged).

use cairn_core::CalendarDuration;
use cairn_core::FieldErrors;
use cairn_core::policy::{Policy, RuleKind};
use cairn_core::vocabulary::{self, TOPICS};

/// Rows the form offers: enough for a care provider's matrix; a new version offers as many
/// again beyond those already there.
pub const ROWS: usize = 8;

/// One item as typed: a topic and three lengths of time in whole months (valid for may be
/// empty: it never expires).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemRow {
    pub topic: String,
    pub valid_for_months: String,
    pub warn_before_months: String,
    pub due_within_months: String,
}

impl ItemRow {
    fn is_blank(&self) -> bool {
        [
            &self.topic,
            &self.valid_for_months,
            &self.warn_before_months,
            &self.due_within_months,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainingForm {
    /// The policy's id when this is a new version of it; empty for a new policy.
    pub id: String,
    pub title: String,
    pub items: Vec<ItemRow>,
}

impl TrainingForm {
    /// An empty form with room for [`ROWS`] items.
    pub fn blank() -> Self {
        Self {
            items: vec![ItemRow::default(); ROWS],
            ..Self::default()
        }
    }

    /// The form filled in from a policy made of completed items (a mandatory training
    /// policy); `None` for one with other rules, which only its file can say.
    pub fn from_policy(policy: &Policy) -> Option<Self> {
        let mut items = Vec::new();
        for rule in &policy.rules {
            let RuleKind::Completed {
                valid_for,
                warn_before,
                due_within,
            } = &rule.kind
            else {
                return None;
            };
            let topic = match rule.filter.topics.as_deref() {
                Some([topic]) => topic.clone(),
                _ => return None,
            };
            items.push(ItemRow {
                topic,
                valid_for_months: valid_for.map(months_text).unwrap_or_default(),
                warn_before_months: months_text(*warn_before),
                due_within_months: months_text(*due_within),
            });
        }
        let extra = ROWS.saturating_sub(items.len()).max(2);
        items.extend(std::iter::repeat_n(ItemRow::default(), extra));
        Some(Self {
            id: policy.id.clone(),
            title: policy.title.clone(),
            items,
        })
    }

    /// The policy file the form describes, or each problem on its field (`title`,
    /// `item2_topic`, `item3_valid_for`, …: items count from 1).
    pub fn to_policy_file(
        &self,
        source: &str,
        effective_from: time::Date,
    ) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            errors.push("title", "Give the policy a title, up to 200 characters, for example: Mandatory training for care staff");
        }
        let id = if self.id.trim().is_empty() {
            id_from(title)
        } else {
            self.id.trim().to_owned()
        };
        let mut rules = String::new();
        let mut topics_seen: Vec<&str> = Vec::new();
        for (n, item) in self.items.iter().enumerate().map(|(i, r)| (i + 1, r)) {
            if item.is_blank() {
                continue;
            }
            let topic = item.topic.trim();
            if vocabulary::label(TOPICS, topic).is_none() {
                errors.push(
                    format!("item{n}_topic"),
                    format!("Item {n}: choose the training from the list"),
                );
                continue;
            }
            if topics_seen.contains(&topic) {
                errors.push(
                    format!("item{n}_topic"),
                    format!("Item {n}: this training is already an item above"),
                );
                continue;
            }
            topics_seen.push(topic);
            let mut months = |field: &str, text: &str, what: &str, optional: bool| {
                let text = text.trim();
                if text.is_empty() && optional {
                    return None;
                }
                match text.parse::<u32>() {
                    Ok(m) if (1..=120).contains(&m) => Some(m),
                    _ => {
                        errors.push(
                            format!("item{n}_{field}"),
                            format!("Item {n}: {what} must be a whole number of months, 1 to 120"),
                        );
                        None
                    }
                }
            };
            let valid_for = months(
                "valid_for",
                &item.valid_for_months,
                "\u{201c}valid for\u{201d}",
                true,
            );
            let warn = if item.warn_before_months.trim().is_empty() {
                Some(2)
            } else {
                months(
                    "warn_before",
                    &item.warn_before_months,
                    "\u{201c}warn before\u{201d}",
                    false,
                )
            };
            let due = if item.due_within_months.trim().is_empty() {
                Some(3)
            } else {
                months(
                    "due_within",
                    &item.due_within_months,
                    "\u{201c}due within\u{201d}",
                    false,
                )
            };
            rules.push_str(&format!(
                "\n[[rules]]\nid = {}\nkind = \"completed\"\ntopics = [{}]\n",
                quoted(topic),
                quoted(topic)
            ));
            if let Some(m) = valid_for {
                rules.push_str(&format!("valid_for = \"{}\"\n", duration(m)));
            }
            if let Some(m) = warn {
                rules.push_str(&format!("warn_before = \"{}\"\n", duration(m)));
            }
            if let Some(m) = due {
                rules.push_str(&format!("due_within = \"{}\"\n", duration(m)));
            }
        }
        if topics_seen.is_empty() && !errors.0.iter().any(|e| e.field.starts_with("item")) {
            errors.push("item1_topic", "Add at least one item of training");
        }
        errors.into_result(|| {
            format!(
                "format = \"cairn-policy/1\"\nid = {}\ntitle = {}\nsource = {}\neffective_from = {effective_from}\n\
                 # Everyone employed, whenever they started.\napplies_to_existing = true\n\n[applies_to]\nregister = \"EMP\"\n{rules}",
                quoted(&id),
                quoted(title),
                quoted(source)
            )
        })
    }
}

/// A policy id from its title: lower-case ASCII letters and digits, hyphens between words
/// ("Mandatory training for care staff" is `mandatory-training-for-care-staff`).
fn id_from(title: &str) -> String {
    let mut id = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id: String = id.trim_end_matches('-').chars().take(60).collect();
    let id = id.trim_end_matches('-');
    if id.is_empty() {
        "mandatory-training".to_owned()
    } else {
        id.to_owned()
    }
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whole months as a duration: years when they divide evenly ("P3Y"), else months.
fn duration(months: u32) -> String {
    if months.is_multiple_of(12) {
        format!("P{}Y", months / 12)
    } else {
        format!("P{months}M")
    }
}

/// A duration as whole months for the form ("" when it has days, which the form cannot say).
fn months_text(d: CalendarDuration) -> String {
    if d.days == 0 {
        (d.years * 12 + d.months).to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn row(topic: &str, valid: &str, warn: &str, due: &str) -> ItemRow {
        ItemRow {
            topic: topic.into(),
            valid_for_months: valid.into(),
            warn_before_months: warn.into(),
            due_within_months: due.into(),
        }
    }

    #[test]
    fn a_form_becomes_a_policy_file_the_parser_reads_and_back() {
        let mut form = TrainingForm::blank();
        form.title = "Mandatory training for \"care\" staff".into();
        form.items[0] = row("fire-safety", "12", "", "");
        form.items[2] = row("first-aid", "36", "3", "1");
        form.items[3] = row("medication", "", "", "6");
        let file = form
            .to_policy_file("Set by Orkney", date!(2027 - 01 - 01))
            .expect("valid");
        let policy = cairn_core::policy::parse_policy("form", &file).expect("parses");
        assert_eq!(policy.id, "mandatory-training-for-care-staff");
        assert_eq!(policy.rules.len(), 3);
        let back = TrainingForm::from_policy(&policy).expect("all items");
        assert_eq!(back.title, "Mandatory training for \"care\" staff");
        assert_eq!(back.items[0], row("fire-safety", "12", "2", "3"));
        assert_eq!(back.items[1], row("first-aid", "36", "3", "1"));
        assert_eq!(back.items[2], row("medication", "", "2", "6"));
        assert_eq!(back.items.len(), ROWS);
    }

    #[test]
    fn every_problem_is_named_on_its_field() {
        let mut form = TrainingForm::blank();
        form.items[0] = row("", "12", "", "");
        form.items[1] = row("fire-safety", "a year", "0", "");
        form.items[2] = row("fire-safety", "", "", "");
        let errors = form
            .to_policy_file("x", date!(2027 - 01 - 01))
            .expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "item1_topic",
                "item2_valid_for",
                "item2_warn_before",
                "item3_topic"
            ]
        );
        let none = TrainingForm {
            title: "Empty".into(),
            ..TrainingForm::blank()
        };
        let errors = none
            .to_policy_file("x", date!(2027 - 01 - 01))
            .expect_err("no items");
        assert_eq!(errors.0[0].field, "item1_topic");
    }
}
