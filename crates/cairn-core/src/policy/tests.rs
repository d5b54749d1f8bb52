//! Example tests from POLICIES.md's semantics, and property tests for the engine's invariants.

use super::eval::Status;
use super::{builtin, evaluate, parse_policy};
use crate::hours::Hours;
use crate::record::{
    FORMAT, Record, RecordDeclaration, RecordEntry, RecordPerson, RecordRegistration,
};
use proptest::prelude::*;
use time::Date;
use time::macros::date;

fn person(register: &str, part: &str, start: Date, hours_per_week: Option<i64>) -> RecordPerson {
    RecordPerson {
        id: "p".into(),
        name: "Test".into(),
        email: None,
        hours_per_week: hours_per_week.map(Hours::from_whole),
        registrations: vec![RecordRegistration {
            register: register.into(),
            part: part.into(),
            start,
            first: true,
        }],
    }
}

fn entry(id: usize, date: Date, hours: Hours, topics: &[&str]) -> RecordEntry {
    RecordEntry {
        id: format!("e{id}"),
        date,
        title: "Learning".into(),
        kind: "course".into(),
        hours,
        topics: topics.iter().map(|t| (*t).to_owned()).collect(),
        elements: Vec::new(),
        peer_reflection: false,
        peer_name: None,
        endorsed: false,
        reflection: None,
        reflection_so_what: None,
        reflection_now_what: None,
    }
}

fn record(person: RecordPerson, entries: Vec<RecordEntry>) -> Record {
    Record {
        format: FORMAT.into(),
        person,
        entries,
        declarations: Vec::new(),
        exported_at: None,
    }
}

fn builtin_policy(id: &str) -> super::Policy {
    builtin::find(id).unwrap_or_else(|| panic!("built-in {id}"))
}

#[test]
fn nine_hundred_tenths_of_an_hour_meet_ninety_hours_exactly() {
    let policy = builtin_policy("sssc-prtl-social-worker");
    let tenth: Hours = "0.1".parse().expect("hours");
    let mut entries: Vec<RecordEntry> = (0..900)
        .map(|i| {
            entry(
                i,
                date!(2018 - 06 - 01),
                tenth,
                &["risk-to-vulnerable-groups"],
            )
        })
        .collect();
    // 90 hours in all: met only if 900 × 0.1 is exactly 90.
    let result = evaluate(
        &policy,
        &record(
            person("SSSC", "social-worker", date!(2018 - 03 - 15), Some(37)),
            entries.clone(),
        ),
        date!(2019 - 01 - 01),
    );
    assert_eq!(result.status, Status::Met, "{:?}", result.explanation);
    entries.truncate(899);
    let result = evaluate(
        &policy,
        &record(
            person("SSSC", "social-worker", date!(2018 - 03 - 15), Some(37)),
            entries,
        ),
        date!(2019 - 01 - 01),
    );
    assert_ne!(result.status, Status::Met);
    assert_eq!(
        result.explanation,
        ["0.1 more hours by 14 March 2021 (804 days left)."]
    );
}

#[test]
fn a_leap_day_registration_gets_periods_that_clamp_to_february_28() {
    let policy = builtin_policy("sssc-prtl-social-worker");
    let r = record(
        person("SSSC", "social-worker", date!(2016 - 02 - 29), None),
        vec![],
    );
    let result = evaluate(&policy, &r, date!(2019 - 03 - 01));
    let previous = result.previous.expect("a previous period");
    assert_eq!(
        (previous.start, previous.end),
        (date!(2016 - 02 - 29), date!(2019 - 02 - 28))
    );
    assert_eq!(
        result.current.expect("current").start,
        date!(2019 - 02 - 28)
    );
    assert_eq!(result.status, Status::Overdue);
}

#[test]
fn part_time_newly_qualified_workers_get_eighteen_months() {
    let policy = builtin_policy("sssc-prtl-nqsw");
    let start = date!(2022 - 01 - 10);
    let full = evaluate(
        &policy,
        &record(person("SSSC", "social-worker", start, Some(37)), vec![]),
        date!(2022 - 06 - 01),
    );
    assert_eq!(full.current.expect("current").end, date!(2023 - 01 - 10));
    let part = evaluate(
        &policy,
        &record(person("SSSC", "social-worker", start, Some(20)), vec![]),
        date!(2022 - 06 - 01),
    );
    assert_eq!(part.current.expect("current").end, date!(2023 - 07 - 10));
    // After the single period ends, unmet: overdue (no grace).
    let after = evaluate(
        &policy,
        &record(person("SSSC", "social-worker", start, Some(37)), vec![]),
        date!(2023 - 02 - 01),
    );
    assert!(after.current.is_none());
    assert_eq!(after.status, Status::Overdue);
}

#[test]
fn earlier_registrants_keep_the_old_rule() {
    let prtl = builtin_policy("sssc-prtl-social-worker");
    let cpl = builtin_policy("sssc-cpl-2024-social-worker");
    let old = record(
        person("SSSC", "social-worker", date!(2019 - 05 - 01), None),
        vec![],
    );
    let new = record(
        person("SSSC", "social-worker", date!(2024 - 07 - 01), None),
        vec![],
    );
    let as_of = date!(2025 - 01 - 01);
    assert_ne!(evaluate(&prtl, &old, as_of).status, Status::NotApplicable);
    assert_eq!(evaluate(&cpl, &old, as_of).status, Status::NotApplicable);
    assert_eq!(evaluate(&prtl, &new, as_of).status, Status::NotApplicable);
    assert_ne!(evaluate(&cpl, &new, as_of).status, Status::NotApplicable);
    // A registration that starts after the as-of date does not apply yet.
    assert_eq!(
        evaluate(&cpl, &new, date!(2024 - 06 - 30)).status,
        Status::NotApplicable
    );
}

#[test]
fn social_work_england_matches_the_documented_example() {
    let policy = builtin_policy("swe-cpd");
    let mut one = entry(1, date!(2025 - 01 - 15), Hours::from_whole(2), &[]);
    one.peer_reflection = false;
    let r = record(
        person("SWE", "social-worker", date!(2020 - 03 - 01), None),
        vec![one],
    );
    let result = evaluate(&policy, &r, date!(2025 - 06 - 01));
    let current = result.current.expect("current");
    assert_eq!(
        (current.start, current.end),
        (date!(2024 - 12 - 01), date!(2025 - 12 - 01))
    );
    assert_eq!(current.status, Some(Status::AtRisk));
    let previous = result.previous.expect("previous");
    assert_eq!(
        (previous.start, previous.end, previous.met),
        (date!(2023 - 12 - 01), date!(2024 - 12 - 01), false)
    );
    assert_eq!(result.status, Status::Overdue);
    let json = serde_json::to_value(&current.rules[0]).expect("json");
    assert_eq!(
        (
            json["required"].as_u64(),
            json["achieved"].as_u64(),
            json["met"].as_bool()
        ),
        (Some(2), Some(1), Some(false))
    );
}

const GRACE_POLICY: &str = r#"format = "cairn-policy/1"
id = "grace-test"
title = "One period with grace"
effective_from = 2000-01-01
applies_to_existing = true
[applies_to]
register = "EMP"
[period]
anchor = "registration"
length = "P1Y"
repeat = false
grace = "P1M"
[[rules]]
id = "total"
kind = "hours"
min = 10
[[rules]]
id = "fire-safety"
kind = "completed"
topics = ["fire-safety"]
valid_for = "P1Y"
"#;

#[test]
fn grace_keeps_an_ended_period_at_risk_until_it_closes() {
    let policy = parse_policy("grace.toml", GRACE_POLICY).expect("valid");
    let start = date!(2024 - 01 - 01);
    let fire = entry(
        1,
        date!(2023 - 12 - 01),
        Hours::from_whole(1),
        &["fire-safety"],
    );
    let r = record(person("EMP", "care-worker", start, None), vec![fire]);
    // The period ended 2025-01-01; grace runs to 2025-02-01.
    assert_eq!(
        evaluate(&policy, &r, date!(2025 - 01 - 15)).status,
        Status::Overdue,
        "the item expired on 2024-12-01"
    );
    let policy_items_ok = GRACE_POLICY.replace("valid_for = \"P1Y\"", "valid_for = \"P5Y\"");
    let policy = parse_policy("grace.toml", &policy_items_ok).expect("valid");
    assert_eq!(
        evaluate(&policy, &r, date!(2025 - 01 - 15)).status,
        Status::AtRisk
    );
    assert_eq!(
        evaluate(&policy, &r, date!(2025 - 02 - 01)).status,
        Status::Overdue
    );
}

#[test]
fn items_are_met_then_at_risk_then_overdue() {
    let policy = parse_policy("grace.toml", GRACE_POLICY).expect("valid");
    let start = date!(2024 - 01 - 01);
    let status_of = |entries: Vec<RecordEntry>, as_of: Date| {
        let result = evaluate(
            &policy,
            &record(person("EMP", "care-worker", start, None), entries),
            as_of,
        );
        result.items[0].status
    };
    // Never completed: at risk within three months of starting, overdue after.
    assert_eq!(status_of(vec![], date!(2024 - 03 - 31)), Status::AtRisk);
    assert_eq!(status_of(vec![], date!(2024 - 04 - 01)), Status::Overdue);
    let done = || {
        vec![entry(
            1,
            date!(2024 - 02 - 10),
            Hours::from_whole(1),
            &["fire-safety"],
        )]
    };
    assert_eq!(
        status_of(done(), date!(2024 - 12 - 09)),
        Status::Met,
        "expiry 2025-02-10 is more than 2 months away"
    );
    assert_eq!(
        status_of(done(), date!(2024 - 12 - 10)),
        Status::AtRisk,
        "exactly 2 months away is not more than 2 months"
    );
    assert_eq!(status_of(done(), date!(2025 - 02 - 09)), Status::AtRisk);
    assert_eq!(
        status_of(done(), date!(2025 - 02 - 10)),
        Status::Overdue,
        "valid until is exclusive"
    );
}

#[test]
fn the_topics_still_needed_are_those_of_unmet_rules_and_items() {
    let policy = parse_policy("grace.toml", GRACE_POLICY).expect("valid");
    let start = date!(2024 - 01 - 01);
    let needed = |entries: Vec<RecordEntry>| {
        let r = record(person("EMP", "care-worker", start, None), entries);
        super::eval::topics_still_needed(&policy, &evaluate(&policy, &r, date!(2024 - 06 - 01)))
    };
    assert_eq!(needed(vec![]), ["fire-safety"], "the item is overdue");
    let fire = entry(
        1,
        date!(2024 - 05 - 01),
        Hours::from_whole(12),
        &["fire-safety"],
    );
    assert!(needed(vec![fire]).is_empty(), "all met: nothing to suggest");
}

#[test]
fn pace_is_compared_exactly_at_the_boundary() {
    let policy = parse_policy(
        "grace.toml",
        &GRACE_POLICY
            .replace("repeat = false", "repeat = true")
            .replace("min = 10", "min = 4"),
    )
    .expect("valid");
    // A 366-day period (2024 is a leap year) and one hour of four: on track while
    // 1/4 >= elapsed/366 - 1/4, i.e. elapsed <= 183 days.
    let r = record(
        person("EMP", "care-worker", date!(2024 - 01 - 01), None),
        vec![
            entry(1, date!(2024 - 01 - 02), Hours::from_whole(1), &[]),
            entry(
                2,
                date!(2024 - 01 - 02),
                Hours::from_whole(1),
                &["fire-safety"],
            ),
        ],
    );
    let current = |as_of| {
        evaluate(&policy, &r, as_of)
            .current
            .expect("current")
            .status
    };
    // 2 hours of 4 counted: 1/2 >= elapsed/366 - 1/4 ⇔ elapsed <= 274.5.
    assert_eq!(
        current(date!(2024 - 10 - 01)),
        Some(Status::OnTrack),
        "day 274"
    );
    assert_eq!(
        current(date!(2024 - 10 - 02)),
        Some(Status::AtRisk),
        "day 275"
    );
}

#[test]
fn declarations_count_only_when_verified_by_the_named_role() {
    let policy = builtin_policy("sssc-cpl-2024-social-care");
    let start = date!(2024 - 07 - 01);
    let mut r = record(person("SSSC", "social-care", start, None), vec![]);
    let as_of = date!(2025 - 03 - 01);
    let declaration = |r: &Record| {
        let result = evaluate(&policy, r, as_of);
        result
            .current
            .expect("current")
            .rules
            .iter()
            .find(|x| x.id == "declaration")
            .map(|x| x.met)
    };
    r.declarations.push(RecordDeclaration {
        policy: policy.id.clone(),
        period_start: start,
        declared_on: Some(date!(2025 - 02 - 01)),
        verified_by: None,
        verified_on: None,
    });
    assert_eq!(declaration(&r), Some(false));
    r.declarations[0].verified_by = Some("supervisor".into());
    r.declarations[0].verified_on = Some(date!(2025 - 02 - 10));
    assert_eq!(declaration(&r), Some(true));
}

#[test]
fn shortfalls_read_as_plain_language() {
    let policy = builtin_policy("sssc-prtl-social-worker");
    let r = record(
        person("SSSC", "social-worker", date!(2018 - 03 - 03), None),
        vec![entry(
            1,
            date!(2024 - 05 - 01),
            "17.5".parse().expect("hours"),
            &["risk-to-vulnerable-groups"],
        )],
    );
    let result = evaluate(&policy, &r, date!(2027 - 01 - 31));
    assert!(
        result.explanation.contains(&"12.5 more hours on assessing risk to vulnerable groups by 2 March 2027 (31 days left).".to_owned()),
        "{:?}",
        result.explanation
    );
}

fn arbitrary_entries() -> impl Strategy<Value = Vec<RecordEntry>> {
    let topics = prop::sample::select(vec![
        "risk-to-vulnerable-groups",
        "fire-safety",
        "court-skills",
    ]);
    prop::collection::vec((0i64..3000, 1i64..200, topics), 0..40).prop_map(|items| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, (day, tenths, topic))| {
                entry(
                    i,
                    date!(2018 - 01 - 01) + time::Duration::days(day),
                    Hours::from_units(tenths * 1000),
                    &[topic],
                )
            })
            .collect()
    })
}

fn policies_for_properties() -> Vec<super::Policy> {
    vec![
        builtin_policy("sssc-prtl-social-worker"),
        builtin_policy("sssc-prtl-nqsw"),
        parse_policy("grace.toml", GRACE_POLICY).expect("valid"),
        parse_policy(
            "grace.toml",
            &GRACE_POLICY
                .replace("repeat = false", "repeat = true")
                .replace("register = \"EMP\"", "register = \"SSSC\""),
        )
        .expect("valid"),
    ]
}

proptest! {
    #[test]
    fn adding_an_entry_never_makes_a_status_worse(entries in arbitrary_entries(), extra in arbitrary_entries(), as_of_day in 0i64..3300, hours_per_week in prop::option::of(10i64..40)) {
        let as_of = date!(2018 - 01 - 01) + time::Duration::days(as_of_day);
        for policy in policies_for_properties() {
            let register = policy.applies_to.register.clone();
            let base = record(person(&register, "social-worker", date!(2018 - 03 - 01), hours_per_week), entries.clone());
            let mut more = base.clone();
            if let Some(added) = extra.first() {
                let mut added = added.clone();
                added.id = "added".into();
                more.entries.push(added);
            }
            let before = evaluate(&policy, &base, as_of).status;
            let after = evaluate(&policy, &more, as_of).status;
            prop_assert!(after <= before, "{}: {:?} became {:?}", policy.id, before, after);
        }
    }

    #[test]
    fn a_met_current_period_stays_met_later_in_the_period(entries in arbitrary_entries(), as_of_day in 0i64..3000, later in 0i64..400) {
        let as_of = date!(2018 - 01 - 01) + time::Duration::days(as_of_day);
        for policy in policies_for_properties() {
            let register = policy.applies_to.register.clone();
            let r = record(person(&register, "social-worker", date!(2018 - 03 - 01), None), entries.clone());
            let Some(current) = evaluate(&policy, &r, as_of).current else { continue };
            if !current.met { continue; }
            let moved = as_of + time::Duration::days(later);
            if moved >= current.end { continue; }
            let again = evaluate(&policy, &r, moved).current.expect("still inside the period");
            prop_assert!(again.met, "{} met on {} but not on {}", policy.id, as_of, moved);
        }
    }

    #[test]
    fn periods_tile_the_timeline(start_day in 0i64..20_000, length_months in 1u32..60, fixed in any::<bool>(), month in 1u8..=12, day in 1u8..=28) {
        let start = date!(1960 - 01 - 01) + time::Duration::days(start_day);
        let anchor = if fixed { super::Anchor::Fixed { month: time::Month::try_from(month).expect("month"), day } } else { super::Anchor::Registration };
        let spec = super::PeriodSpec {
            anchor,
            length: crate::CalendarDuration::months(length_months),
            repeat: true,
            length_if_part_time: None,
            part_time_below: Hours::from_whole(35),
            grace: crate::CalendarDuration::default(),
        };
        let periods = spec.periods_until(start, None, start + time::Duration::days(3650));
        prop_assert!(!periods.is_empty());
        prop_assert!(periods[0].start <= start && start < periods[0].end, "the first period holds the registration start");
        for pair in periods.windows(2) {
            prop_assert!(pair[0].start < pair[0].end);
            prop_assert_eq!(pair[0].end, pair[1].start, "no gap and no overlap");
        }
    }
}

#[test]
fn an_as_of_date_is_bounded_with_a_message_that_says_so() {
    let today = date!(2026 - 12 - 02);
    assert_eq!(
        super::parse_as_of("2036-12-02", today),
        Ok(date!(2036 - 12 - 02))
    );
    assert_eq!(
        super::parse_as_of("1900-01-01", today),
        Ok(date!(1900 - 01 - 01))
    );
    let far = super::parse_as_of("9999-12-31", today).expect_err("too far");
    assert!(
        far.contains("up to 10 years from today, 2036-12-02"),
        "{far}"
    );
    assert!(
        super::parse_as_of("1899-12-31", today)
            .expect_err("too early")
            .contains("from 1900-01-01")
    );
    assert!(
        super::parse_as_of("31/12/2026", today)
            .expect_err("no date")
            .contains("YYYY-MM-DD")
    );
    // A leap day today: ten years on there is none, so the last day of that February.
    assert_eq!(
        super::parse_as_of("2034-02-28", date!(2024 - 02 - 29)),
        Ok(date!(2034 - 02 - 28))
    );
}
