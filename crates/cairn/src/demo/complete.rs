//! Most registrants meet what their regulator asks. The generator's learning is random, so on
//! its own a period that has ended would rarely hold every element, topic and declaration a
//! policy asks for, and nearly everyone with an ended period would be overdue: not the sector.
//! For those who completed it, this finds what the last ended period still lacked (asked of the
//! engine, so it follows every built-in policy) and adds it inside that period: learning that
//! covers the missing elements, topics and hours, and the declaration, verified where the policy
//! asks for a verifier, shortly before the period ended.

use super::bulk::{Batch, DeclarationRow, EntryRow};
use crate::db::join_tags;
use cairn_core::Hours;
use cairn_core::policy::eval::{Amount, evaluate_all};
use cairn_core::policy::{Policy, RuleKind, builtin};
use cairn_core::record::{
    FORMAT, Record, RecordEmployment, RecordEntry, RecordPerson, RecordRegistration,
};
use time::{Date, Duration, Time};
use uuid::Uuid;

/// What completes a person's last ended periods.
#[derive(Debug, Default)]
pub struct Completion {
    pub entries: Vec<RecordEntry>,
    /// (policy, period start, period end, declared on, verifier's role if verified)
    pub declarations: Vec<(String, Date, Date, Date, Option<String>)>,
}

/// The learning and declarations that complete the last ended period of every policy in
/// force for the person on `today` (none for periods that were not judged: superseded, or
/// before the record began).
pub fn completing(record: &Record, today: Date) -> Completion {
    let policies = builtin::all();
    let mut completion = Completion::default();
    for result in evaluate_all(&policies, record, today) {
        let Some(previous) = result
            .previous
            .as_ref()
            .filter(|p| p.status.is_none() && !p.met)
        else {
            continue;
        };
        let Some(policy) = policies.iter().find(|p| p.id == result.policy) else {
            continue;
        };
        // Learning in the middle of the period, the declaration a week before it ends.
        let middle = previous.start + (previous.end - previous.start) / 2;
        let declared = (previous.end - Duration::days(7)).max(previous.start);
        for rule in previous.rules.iter().filter(|r| !r.met) {
            let Some(spec) = policy.rules.iter().find(|r| r.id == rule.id) else {
                continue;
            };
            match &spec.kind {
                RuleKind::Coverage { .. } => completion.entries.push(learning(
                    policy,
                    spec,
                    middle,
                    Hours::from_whole(3),
                    rule.missing.clone().unwrap_or_default(),
                )),
                RuleKind::Count { .. } => {
                    let Amount::Whole(left) = rule.remaining else {
                        continue;
                    };
                    for n in 0..left {
                        let day = (middle + Duration::days(n as i64 * 3)).min(declared);
                        completion.entries.push(learning(
                            policy,
                            spec,
                            day,
                            Hours::from_whole(2),
                            Vec::new(),
                        ));
                    }
                }
                RuleKind::Hours { .. } => {
                    let Amount::Hours(left) = rule.remaining else {
                        continue;
                    };
                    completion
                        .entries
                        .push(learning(policy, spec, middle, left, Vec::new()));
                }
                RuleKind::Declaration { verified_by } => completion.declarations.push((
                    policy.id.clone(),
                    previous.start,
                    previous.end,
                    declared,
                    verified_by.clone(),
                )),
                _ => {}
            }
        }
    }
    completion
}

/// One piece of learning that passes the rule's filter, on `date`.
fn learning(
    policy: &Policy,
    rule: &cairn_core::policy::Rule,
    date: Date,
    hours: Hours,
    mut elements: Vec<String>,
) -> RecordEntry {
    let filter = &rule.filter;
    let first = |list: &Option<Vec<String>>| list.as_ref().and_then(|l| l.first().cloned());
    if let Some(element) = first(&filter.elements).filter(|_| elements.is_empty()) {
        elements.push(element);
    }
    let topics = filter
        .topics
        .clone()
        .unwrap_or_else(|| vec!["reflective-practice".to_owned()]);
    let kind = first(&filter.kinds).unwrap_or_else(|| "course".to_owned());
    RecordEntry {
        id: String::new(),
        date,
        title: format!("{} ({})", policy.title, rule.id.replace('-', " ")),
        kind: kind.into(),
        hours,
        topics: topics.into(),
        elements: elements.into(),
        peer_reflection: filter.peer_reflection.unwrap_or(false),
        peer_name: None,
        endorsed: filter.endorsed.unwrap_or(false),
        // The words are the generator's (below); the rules see only that it was written.
        reflection: Some("written".into()),
        reflection_so_what: None,
        reflection_now_what: None,
    }
}

/// For nine people in ten in a generated batch, completes the last ended periods of the
/// person whose rows were added last (their registration, job and the entries from
/// `first_entry` on).
pub(super) fn complete_last_person(
    batch: &mut Batch,
    first_entry: usize,
    today: Date,
    rng: &mut fastrand::Rng,
    ids: &mut super::IdMaker,
) {
    if rng.u32(..100) >= 90 {
        return;
    }
    let (Some(person), Some(registration), Some(job)) = (
        batch.people.last(),
        batch.registrations.last(),
        batch.employments.last(),
    ) else {
        return;
    };
    let person_id = person.id;
    let record = Record {
        format: FORMAT.to_owned(),
        person: RecordPerson {
            id: person_id.to_string(),
            name: String::new(),
            email: None,
            hours_per_week: None,
            registrations: vec![RecordRegistration {
                register: registration.register.to_owned(),
                part: registration.part.to_owned(),
                start: registration.start_date,
                first: Some(true),
            }],
            employments: vec![RecordEmployment {
                start: job.start_date,
                end: job.end_date,
                hours_per_week: Hours::from_units(job.hours_per_week),
            }],
            recorded_since: Some(person.recorded_since),
        },
        entries: batch.entries[first_entry..]
            .iter()
            .map(EntryRow::as_record_entry)
            .collect(),
        declarations: Vec::new(),
        exported_at: None,
    };
    let completion = completing(&record, today);
    add_to_batch(batch, person_id, completion, ids);
}

/// Puts a completion in the batch as rows.
pub(super) fn add_to_batch(
    batch: &mut Batch,
    person_id: Uuid,
    completion: Completion,
    ids: &mut super::IdMaker,
) {
    for entry in completion.entries {
        batch.entries.push(EntryRow {
            id: ids.next(),
            person_id,
            date: entry.date,
            title: entry.title,
            kind: cairn_core::vocabulary::KINDS
                .iter()
                .map(|(id, _)| *id)
                .find(|id| **id == *entry.kind)
                .unwrap_or("course"),
            hours: entry.hours.units(),
            topics: join_tags(&entry.topics),
            elements: join_tags(&entry.elements),
            reflection: entry
                .reflection
                .map(|_| super::content::reflection(entry.date.ordinal() as usize)),
            peer_reflection: entry.peer_reflection,
            endorsed: entry.endorsed,
            created_at: entry
                .date
                .with_time(Time::from_hms(17, 30, 0).unwrap_or(Time::MIDNIGHT))
                .assume_utc(),
        });
    }
    for (policy, start, end, declared, verifier) in completion.declarations {
        batch.declarations.push(DeclarationRow {
            id: ids.next(),
            person_id,
            policy_id: policy,
            period_start: start,
            period_end: end,
            declared_on: declared,
            verified_on: verifier.as_ref().map(|_| declared + Duration::days(3)),
            verifier_role: verifier,
        });
    }
}
