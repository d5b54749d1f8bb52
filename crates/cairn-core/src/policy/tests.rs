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
            first: Some(true),
        }],
        employments: Vec::new(),
        recorded_since: None,
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
        elements: Default::default(),
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
    one.reflection = Some("What I learnt, and how my practice changed".into());
    // A title with no reflection is not a piece of CPD for Social Work England.
    let bare = entry(2, date!(2025 - 02 - 15), Hours::from_whole(2), &[]);
    let r = record(
        person("SWE", "social-worker", date!(2020 - 03 - 01), None),
        vec![one, bare],
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
            due: super::Due::End,
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

// Successions, joins at renewal, records that began late, deadlines and practice hours.

fn registered(part: &str, start: Date, first: Option<bool>) -> RecordRegistration {
    RecordRegistration {
        register: "SSSC".into(),
        part: part.into(),
        start,
        first,
    }
}

fn results_on(record: &Record, as_of: Date) -> Vec<super::PolicyResult> {
    super::eval::evaluate_all(&builtin::all(), record, as_of)
}

fn status_of_policy(results: &[super::PolicyResult], id: &str) -> Status {
    results
        .iter()
        .find(|r| r.policy == id)
        .map(|r| r.status)
        .unwrap_or_else(|| panic!("{id} evaluated"))
}

#[test]
fn first_is_taken_as_the_record_gives_it() {
    let nqsw = builtin_policy("sssc-prtl-nqsw");
    let as_of = date!(2020 - 06 - 01);
    let mut r = record(
        person("SSSC", "social-worker", date!(2020 - 03 - 01), None),
        vec![],
    );
    r.person.registrations[0].first = Some(false);
    assert_eq!(
        evaluate(&nqsw, &r, as_of).status,
        Status::NotApplicable,
        "a returning social worker is not in a first year"
    );
    r.person.registrations[0].first = None;
    assert_ne!(
        evaluate(&nqsw, &r, as_of).status,
        Status::NotApplicable,
        "left out: the earliest registration is the first"
    );
    r.person
        .registrations
        .insert(0, registered("social-care", date!(2015 - 01 - 01), None));
    assert_eq!(
        evaluate(&nqsw, &r, as_of).status,
        Status::NotApplicable,
        "left out, and not the earliest on the register"
    );
}

#[test]
fn continuous_learning_takes_over_from_prtl_at_the_first_renewal_after_june_2024() {
    let r = record(
        person("SSSC", "social-worker", date!(2018 - 03 - 15), None),
        vec![entry(
            1,
            date!(2024 - 05 - 01),
            Hours::from_whole(40),
            &["risk-to-vulnerable-groups"],
        )],
    );
    // The day before the renewal: still under the 90-hour rule, told when it ends.
    let before = results_on(&r, date!(2025 - 03 - 14));
    let prtl = before
        .iter()
        .find(|x| x.policy == "sssc-prtl-social-worker")
        .expect("prtl");
    assert_ne!(prtl.status, Status::NotApplicable);
    assert_eq!(
        prtl.current.as_ref().map(|p| (p.start, p.end)),
        Some((date!(2024 - 03 - 15), date!(2027 - 03 - 15))),
        "before the join nothing changes"
    );
    assert!(
        prtl.explanation
            .iter()
            .any(|line| line.contains("From 15 March 2025")),
        "{:?}",
        prtl.explanation
    );
    assert_eq!(
        status_of_policy(&before, "sssc-cpl-2024-social-worker"),
        Status::NotApplicable
    );
    // On the renewal: the new rule, and the old one's cut-short period is superseded.
    let after = results_on(&r, date!(2025 - 03 - 15));
    let prtl = after
        .iter()
        .find(|x| x.policy == "sssc-prtl-social-worker")
        .expect("prtl");
    assert_eq!(prtl.status, Status::NotApplicable);
    let cut = prtl
        .previous
        .as_ref()
        .expect("the period the join cut short");
    assert_eq!(
        (cut.start, cut.end, cut.status, cut.met),
        (
            date!(2024 - 03 - 15),
            date!(2025 - 03 - 15),
            Some(Status::Superseded),
            false
        )
    );
    assert_eq!(
        cut.rules[0].achieved,
        super::eval::Amount::Hours(Hours::from_whole(40))
    );
    let cpl = after
        .iter()
        .find(|x| x.policy == "sssc-cpl-2024-social-worker")
        .expect("cpl");
    assert_eq!(
        cpl.current.as_ref().map(|p| (p.start, p.end)),
        Some((date!(2025 - 03 - 15), date!(2026 - 03 - 15)))
    );
}

#[test]
fn social_care_registrants_join_at_their_renewal_and_are_covered_until_then_by_nothing_else() {
    let r = record(
        RecordPerson {
            registrations: vec![registered("social-care", date!(2019 - 05 - 10), Some(true))],
            ..person("SSSC", "social-care", date!(2019 - 05 - 10), None)
        },
        vec![],
    );
    let as_of = date!(2024 - 12 - 01);
    assert_eq!(
        status_of_policy(&results_on(&r, as_of), "sssc-cpl-2024-social-care"),
        Status::NotApplicable
    );
    assert_eq!(
        super::eval::none_reason(&builtin::all(), &r.person.registrations, as_of),
        "no requirement that cairn knows applies to SSSC social care registered 2019-05-10 until 10 May 2025"
    );
    let joined = results_on(&r, date!(2025 - 05 - 10));
    assert_ne!(
        status_of_policy(&joined, "sssc-cpl-2024-social-care"),
        Status::NotApplicable
    );
    let empty = record(
        RecordPerson {
            registrations: Vec::new(),
            ..person("SSSC", "social-care", date!(2019 - 05 - 10), None)
        },
        vec![],
    );
    assert_eq!(
        super::eval::none_reason(&builtin::all(), &empty.person.registrations, as_of),
        "no registration recorded"
    );
}

#[test]
fn a_join_on_the_effective_date_starts_the_period_that_contains_it_there() {
    let policy = parse_policy(
        "join.toml",
        r#"format = "cairn-policy/1"
id = "join"
title = "Joins on its effective date"
effective_from = 2024-06-03
applies_to_existing = true
existing_join = "effective_from"
[applies_to]
register = "SSSC"
[period]
anchor = "registration"
length = "P1Y"
[[rules]]
id = "total"
kind = "hours"
min = 10
"#,
    )
    .expect("valid");
    let r = record(
        person("SSSC", "social-worker", date!(2020 - 03 - 01), None),
        vec![entry(1, date!(2024 - 05 - 01), Hours::from_whole(10), &[])],
    );
    assert_eq!(
        evaluate(&policy, &r, date!(2024 - 06 - 02)).status,
        Status::NotApplicable
    );
    let joined = evaluate(&policy, &r, date!(2024 - 07 - 01));
    let current = joined.current.expect("current");
    assert_eq!(
        (current.start, current.end),
        (date!(2024 - 06 - 03), date!(2025 - 03 - 01))
    );
    assert!(!current.met, "learning before the join does not count");
}

#[test]
fn ended_periods_before_the_record_began_are_not_recorded() {
    let nmc = builtin_policy("nmc-revalidation");
    let mut r = record(person("NMC", "nurse", date!(2018 - 09 - 10), None), vec![]);
    let as_of = date!(2024 - 11 - 01);
    assert_eq!(evaluate(&nmc, &r, as_of).status, Status::Overdue);
    r.person.recorded_since = Some(date!(2024 - 10 - 01));
    let result = evaluate(&nmc, &r, as_of);
    let previous = result.previous.expect("previous");
    assert_eq!(
        (previous.start, previous.status),
        (date!(2021 - 09 - 10), Some(Status::NotRecorded))
    );
    assert_ne!(
        result.status,
        Status::Overdue,
        "a new installation never shows experienced staff overdue for years it never saw"
    );
    // The current period is always judged.
    assert!(result.current.is_some());
}

#[test]
fn the_nmc_deadline_is_the_first_of_the_month_the_period_ends_in() {
    let nmc = builtin_policy("nmc-revalidation");
    let r = record(
        RecordPerson {
            employments: vec![crate::record::RecordEmployment {
                start: date!(2023 - 03 - 15),
                end: None,
                hours_per_week: Hours::from_whole(30),
            }],
            ..person("NMC", "nurse", date!(2023 - 03 - 15), None)
        },
        vec![],
    );
    let on_track = evaluate(&nmc, &r, date!(2026 - 02 - 28));
    assert_ne!(on_track.status, Status::Overdue);
    assert!(
        on_track
            .explanation
            .iter()
            .any(|line| line.contains("by 28 February 2026")),
        "{:?}",
        on_track.explanation
    );
    let late = evaluate(&nmc, &r, date!(2026 - 03 - 01));
    assert_eq!(
        late.current.as_ref().and_then(|p| p.status),
        Some(Status::Overdue),
        "overdue on the application date while the period still runs"
    );
}

#[test]
fn practice_hours_come_from_employments_rounded_half_up() {
    let nmc = builtin_policy("nmc-revalidation");
    let job = |start, end, hours: &str| crate::record::RecordEmployment {
        start,
        end,
        hours_per_week: hours.parse().expect("hours"),
    };
    let r = record(
        RecordPerson {
            // 10 h/week for 1 day (10/7 = 1.428…) and 7.5 h/week for 3 days (22.5/7 = 3.214…):
            // 32.5/7 = 4.642857… hours, 4.64 to two places.
            employments: vec![
                job(date!(2024 - 01 - 01), Some(date!(2024 - 01 - 01)), "10"),
                job(date!(2024 - 01 - 02), None, "7.5"),
            ],
            ..person("NMC", "nurse", date!(2024 - 01 - 01), None)
        },
        vec![],
    );
    let result = evaluate(&nmc, &r, date!(2024 - 01 - 04));
    let rule = &result.current.expect("current").rules[0];
    assert_eq!(rule.kind, "practice_hours");
    assert_eq!(
        rule.achieved,
        super::eval::Amount::Hours("4.64".parse().expect("hours"))
    );
    assert!(rule.entries.is_empty(), "worked hours are not entries");
}

#[test]
fn a_declaration_waits_for_every_other_rule() {
    let cpl = builtin_policy("sssc-cpl-2024-social-care");
    let r = record(
        RecordPerson {
            registrations: vec![registered("social-care", date!(2024 - 09 - 01), Some(true))],
            ..person("SSSC", "social-care", date!(2024 - 09 - 01), None)
        },
        vec![],
    );
    let current = evaluate(&cpl, &r, date!(2025 - 01 - 01))
        .current
        .expect("current");
    let left = current.left_before_declaring();
    assert_eq!(
        left,
        [
            "core-elements: 7 more",
            "trauma-informed: 1 more",
            "protection: 1 more"
        ]
    );
}

fn sssc_social_worker(start_day: i64, first: Option<bool>) -> Record {
    let start = date!(2000 - 01 - 01) + time::Duration::days(start_day);
    record(
        RecordPerson {
            registrations: vec![registered("social-worker", start, first)],
            ..person("SSSC", "social-worker", start, None)
        },
        vec![],
    )
}

proptest! {
    #[test]
    fn a_policy_and_one_it_supersedes_never_both_apply(start_day in 0i64..10_000, as_of_day in 0i64..10_500, first in prop::option::of(any::<bool>())) {
        let r = sssc_social_worker(start_day, first);
        let as_of = date!(2000 - 01 - 01) + time::Duration::days(as_of_day);
        let results = results_on(&r, as_of);
        for successor in builtin::all() {
            for old in &successor.supersedes {
                let both = status_of_policy(&results, &successor.id) != Status::NotApplicable
                    && status_of_policy(&results, old) != Status::NotApplicable;
                prop_assert!(!both, "{} and {old} both apply on {as_of}", successor.id);
            }
        }
    }

    #[test]
    fn the_day_before_its_join_a_registration_is_under_the_old_rule_and_on_it_under_the_new(start_day in 0i64..8_900) {
        let r = sssc_social_worker(start_day, Some(false));
        let cpl = builtin_policy("sssc-cpl-2024-social-worker");
        let join = cpl.join_date(&r.person.registrations[0]);
        let start = r.person.registrations[0].start;
        // Registered while the 90-hour rule was the rule.
        prop_assume!(start < cpl.effective_from && start >= builtin_policy("sssc-prtl-social-worker").effective_from);
        let day_before = join.previous_day().expect("a day");
        prop_assume!(day_before >= start);
        let before = results_on(&r, day_before);
        prop_assert_ne!(status_of_policy(&before, "sssc-prtl-social-worker"), Status::NotApplicable);
        prop_assert_eq!(status_of_policy(&before, "sssc-cpl-2024-social-worker"), Status::NotApplicable);
        let on = results_on(&r, join);
        prop_assert_eq!(status_of_policy(&on, "sssc-prtl-social-worker"), Status::NotApplicable);
        prop_assert_ne!(status_of_policy(&on, "sssc-cpl-2024-social-worker"), Status::NotApplicable);
    }

    #[test]
    fn a_period_that_ended_before_the_record_began_never_makes_a_headline_worse(entries in arbitrary_entries(), as_of_day in 0i64..3300, since_day in 0i64..3300) {
        let as_of = date!(2018 - 01 - 01) + time::Duration::days(as_of_day);
        let since = date!(2018 - 01 - 01) + time::Duration::days(since_day);
        for policy in policies_for_properties().iter().chain([builtin_policy("nmc-revalidation")].iter()) {
            let mut r = record(person("SSSC", "social-worker", date!(2018 - 01 - 01), None), entries.clone());
            if policy.applies_to.register == "NMC" {
                r.person.registrations[0].register = "NMC".into();
                r.person.registrations[0].part = "nurse".into();
            }
            let without = evaluate(policy, &r, as_of).status;
            r.person.recorded_since = Some(since);
            let with = evaluate(policy, &r, as_of).status;
            prop_assert!(with <= without, "{}: {:?} became {:?}", policy.id, without, with);
        }
    }
}
