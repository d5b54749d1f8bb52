//! The demo behind `cairn serve --demo`: three employers in urban, rural and island places,
//! named accounts in every role, and colleagues with two to three years of learning.
//! Created once; later starts find it there.

use super::content::Profile;
use super::{Batch, Employer, IdMaker, RegisterSpec};
use crate::auth::password;
use crate::db::Db;
use crate::people::store as people;
use crate::people::{NewEmployment, NewPerson, NewRegistration};
use crate::standing::changes::add_org_policy_version;
use crate::standing::org_policies::Assignment;
use cairn_core::{Email, Hours};
use time::{Date, Duration, Month, OffsetDateTime};
use uuid::Uuid;

const LAPSE_TRAINING: &str =
    "UPDATE entry SET date = $2 WHERE person_id = $1 AND title = $3 AND date > $2";

/// The demo employer's mandatory training matrix.
const MANDATORY_TRAINING: &str = include_str!("mandatory-training.toml");

/// The password of every demo account (printed at start and in the README).
pub const DEMO_PASSWORD: &str = "learning-for-life";
const CREATED_SETTING: &str = "demo.created";

/// A demo account a person can sign in with.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub what: &'static str,
}

/// A registration: register, part, start (year, month, day), first on that register.
type RegistrationSpec = (&'static str, &'static str, (i32, Month, u8), bool);
/// An employer: name, kind, whether Scottish, and its teams (name, service, locality).
type EmployerSpec = (
    &'static str,
    &'static str,
    bool,
    [(&'static str, &'static str, &'static str); 6],
);

struct AccountSpec {
    account: DemoAccount,
    employer: usize,
    team: usize,
    job_role: &'static str,
    registration: Option<RegistrationSpec>,
    roles: &'static [&'static str],
    supervisor: Option<usize>,
    profile: Option<Profile>,
    hours_per_week: i64,
}

fn accounts() -> Vec<AccountSpec> {
    let account = |email, name, what| DemoAccount { email, name, what };
    vec![
        AccountSpec {
            account: account(
                "ailsa@demo.cairn.test",
                "Ailsa MacLeod",
                "social worker on Skye (practitioner)",
            ),
            employer: 0,
            team: 0,
            job_role: "Social worker",
            registration: Some(("SSSC", "social-worker", (2017, Month::March, 15), true)),
            roles: &["practitioner"],
            supervisor: Some(1),
            profile: Some(Profile::SocialWorker),
            hours_per_week: 37,
        },
        AccountSpec {
            account: account(
                "morag@demo.cairn.test",
                "Morag Campbell",
                "team manager (supervisor)",
            ),
            employer: 0,
            team: 0,
            job_role: "Team manager",
            registration: Some(("SSSC", "social-worker", (2009, Month::September, 1), true)),
            roles: &["practitioner", "supervisor"],
            supervisor: None,
            profile: Some(Profile::SocialWorker),
            hours_per_week: 37,
        },
        AccountSpec {
            account: account(
                "eilidh@demo.cairn.test",
                "Eilidh Munro",
                "newly qualified social worker, part time",
            ),
            employer: 0,
            team: 1,
            job_role: "Newly qualified social worker",
            registration: Some(("SSSC", "social-worker", (2026, Month::August, 3), true)),
            roles: &["practitioner"],
            supervisor: Some(1),
            profile: Some(Profile::SocialWorker),
            hours_per_week: 28,
        },
        AccountSpec {
            account: account(
                "iain@demo.cairn.test",
                "Iain Stewart",
                "learning and development lead",
            ),
            employer: 0,
            team: 3,
            job_role: "Learning and development lead",
            registration: None,
            roles: &["ld-lead"],
            supervisor: None,
            profile: None,
            hours_per_week: 37,
        },
        AccountSpec {
            account: account(
                "fiona@demo.cairn.test",
                "Fiona Ross",
                "organisation administrator",
            ),
            employer: 0,
            team: 3,
            job_role: "Workforce systems officer",
            registration: None,
            roles: &["org-admin"],
            supervisor: None,
            profile: None,
            hours_per_week: 37,
        },
        AccountSpec {
            account: account("callum@demo.cairn.test", "Callum Fraser", "auditor"),
            employer: 0,
            team: 3,
            job_role: "Quality assurance officer",
            registration: None,
            roles: &["auditor"],
            supervisor: None,
            profile: None,
            hours_per_week: 37,
        },
        AccountSpec {
            account: account(
                "chidi@demo.cairn.test",
                "Chidi Okafor",
                "care worker in Orkney (care at home)",
            ),
            employer: 1,
            team: 3,
            job_role: "Support worker",
            registration: Some(("SSSC", "social-care", (2021, Month::May, 10), true)),
            roles: &["practitioner"],
            supervisor: None,
            profile: Some(Profile::CareWorker),
            hours_per_week: 30,
        },
        AccountSpec {
            account: account(
                "priya@demo.cairn.test",
                "Priya Patel",
                "social worker in England (Social Work England)",
            ),
            employer: 2,
            team: 1,
            job_role: "Senior practitioner",
            registration: Some(("SWE", "social-worker", (2015, Month::July, 1), true)),
            roles: &["practitioner"],
            supervisor: None,
            profile: Some(Profile::SocialWorker),
            hours_per_week: 37,
        },
        AccountSpec {
            account: account(
                "grace@demo.cairn.test",
                "Grace Bell",
                "care home nurse (NMC)",
            ),
            employer: 2,
            team: 4,
            job_role: "Care home nurse",
            registration: Some(("NMC", "nurse", (2012, Month::February, 20), true)),
            roles: &["practitioner"],
            supervisor: None,
            profile: Some(Profile::Nurse),
            hours_per_week: 37,
        },
    ]
}

/// The demo accounts, for printing.
pub fn demo_accounts() -> Vec<DemoAccount> {
    accounts().into_iter().map(|a| a.account).collect()
}

/// Where a demo team is based, from its name.
fn demo_town(team: &str) -> Option<&'static str> {
    [
        ("Skye", "portree"),
        ("Inverness", "inverness"),
        ("Sutherland", "dingwall"),
        ("Learning and development", "inverness"),
        ("Caithness", "wick"),
        ("Badenoch", "inverness"),
        ("Riverside", "glasgow"),
    ]
    .iter()
    .find(|(word, _)| team.contains(word))
    .map(|(_, town)| *town)
    .or(Some("kirkwall").filter(|_| {
        ["Kirkwall", "Orkney", "Stromness", "isles"]
            .iter()
            .any(|w| team.contains(w))
    }))
}

/// Creates the demo unless it already exists. Returns `true` when it was created now.
pub async fn ensure_showcase(db: &Db, today: Date, now: OffsetDateTime) -> anyhow::Result<bool> {
    if people::setting(db, CREATED_SETTING).await?.is_some() {
        return Ok(false);
    }
    let employer_specs: [EmployerSpec; 3] = [
        (
            "Highland Council",
            "local-authority",
            true,
            [
                ("Skye and Lochalsh adults", "adults", "island"),
                (
                    "Inverness children and families",
                    "children-and-families",
                    "urban",
                ),
                ("Sutherland justice", "justice", "rural"),
                ("Learning and development", "business-support", "urban"),
                ("Caithness care at home", "care-at-home", "remote"),
                ("Badenoch mental health", "mental-health", "rural"),
            ],
        ),
        (
            "Orkney Health and Care",
            "hscp",
            true,
            [
                ("Kirkwall adults", "adults", "island"),
                (
                    "Orkney children and families",
                    "children-and-families",
                    "island",
                ),
                ("Stromness residential care", "residential-care", "island"),
                ("Care at home (isles)", "care-at-home", "island"),
                ("Orkney justice", "justice", "island"),
                ("Orkney mental health", "mental-health", "island"),
            ],
        ),
        (
            "Riverside Care Group",
            "private-provider",
            false,
            [
                ("Riverside adults", "adults", "urban"),
                (
                    "Riverside children's services",
                    "children-and-families",
                    "urban",
                ),
                ("Riverside justice liaison", "justice", "mixed"),
                ("Riverside care at home", "care-at-home", "mixed"),
                ("Riverside House", "residential-care", "mixed"),
                ("Riverside mental health", "mental-health", "urban"),
            ],
        ),
    ];
    let mut employers = Vec::new();
    for (name, kind, scottish, teams) in employer_specs {
        let org = people::insert_org(db, name, kind, now).await?;
        let mut team_ids = Vec::new();
        for (team, service, locality) in teams {
            let town = demo_town(team);
            let team = people::insert_team(db, org.id, team, service, locality, town).await?;
            team_ids.push((team.id, service));
        }
        employers.push(Employer {
            id: org.id,
            scottish,
            teams: team_ids,
        });
    }

    let password_hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let specs = accounts();
    let mut person_ids: Vec<Uuid> = Vec::new();
    let mut rng = fastrand::Rng::with_seed(2026);
    let mut ids = IdMaker::new(2026, now);
    let mut batch = Batch::default();
    for spec in &specs {
        let employer = &employers[spec.employer];
        let registrations: Vec<NewRegistration> = spec
            .registration
            .iter()
            .filter_map(|(register, part, (y, m, d), first)| {
                Date::from_calendar_date(*y, *m, *d)
                    .ok()
                    .map(|start_date| NewRegistration {
                        register: (*register).into(),
                        part: (*part).into(),
                        start_date,
                        first: *first,
                    })
            })
            .collect();
        let registered = registrations
            .first()
            .map_or(today - Duration::days(365 * 4), |r| r.start_date);
        let person = NewPerson {
            email: Email::parse(spec.account.email).map_err(anyhow::Error::msg)?,
            name: spec.account.name.to_owned(),
            password_hash: Some(password_hash.clone()),
            birth_year: Some(i64::from(today.year()) - 30 - i64::from(rng.u8(0..30))),
            employment: Some(NewEmployment {
                org_id: employer.id,
                team_id: Some(employer.teams[spec.team].0),
                job_role: spec.job_role.to_owned(),
                start_date: registered.min(today - Duration::days(60)),
                end_date: None,
                hours_per_week: Hours::from_whole(spec.hours_per_week),
            }),
            registrations,
            roles: spec
                .roles
                .iter()
                .map(|role| (employer.id, (*role).to_owned()))
                .collect(),
        };
        let person_id = people::insert_person(db, &person, now).await?;
        person_ids.push(person_id);
        if let Some(profile) = spec.profile {
            let from = registered.max(today - Duration::days(365 * 3));
            let years = ((today - from).whole_days() as f64 / 365.0).max(0.1);
            super::generate_entries(
                &mut batch, person_id, profile, from, today, years, &mut rng, &mut ids,
            );
        }
    }
    for (spec, person_id) in specs.iter().zip(&person_ids) {
        if let Some(supervisor) = spec.supervisor {
            people::add_supervision(
                db,
                person_ids[supervisor],
                *person_id,
                employers[spec.employer].id,
            )
            .await?;
        }
    }
    if let Some(eilidh) = specs
        .iter()
        .position(|spec| spec.account.email == "eilidh@demo.cairn.test")
    {
        year_ready_to_declare(&mut batch, person_ids[eilidh], today, &mut ids);
    }
    super::bulk::write(db, &batch, now).await?;
    // The generated learning is their imported history: the record holds it from its start.
    let mut earliest: std::collections::HashMap<Uuid, Date> = std::collections::HashMap::new();
    for entry in &batch.entries {
        let day = earliest.entry(entry.person_id).or_insert(entry.date);
        *day = (*day).min(entry.date);
    }
    let mut tx = db.begin_write().await?;
    for (person_id, day) in earliest {
        people::history_from_in(&mut tx, person_id, day).await?;
    }
    tx.commit().await?;
    // Experienced staff completed their last ended period, as most do.
    let mut completed = super::Batch::default();
    for person_id in &person_ids {
        if let Some(record) = crate::record::export(db, *person_id, today, now).await? {
            let completion = super::complete::completing(&record, today);
            super::complete::add_to_batch(&mut completed, *person_id, completion, &mut ids);
        }
    }
    super::bulk::write(db, &completed, now).await?;
    // Chidi's fire safety has lapsed (whatever day the demo is made), so there is something
    // for his employer's suggestions and compliance pages to show.
    if let Some(chidi) = specs
        .iter()
        .position(|spec| spec.account.email == "chidi@demo.cairn.test")
    {
        let lapsed = today - Duration::days(430);
        crate::db::execute(
            db,
            LAPSE_TRAINING,
            (person_ids[chidi], lapsed, "Fire safety awareness"),
        )
        .await
        .map(|_| ())?;
    }
    // The Orkney partnership's mandatory training matrix, for its care staff.
    let care_roles = Assignment {
        job_roles: vec!["Support worker".to_owned(), "Care home nurse".to_owned()],
        teams: Vec::new(),
    };
    add_org_policy_version(
        db,
        employers[1].id,
        MANDATORY_TRAINING,
        &care_roles,
        today - Duration::days(365 * 5),
        None,
        now,
    )
    .await
    .map_err(|e| anyhow::anyhow!("the demo's mandatory training policy: {e}"))?;
    add_catalogue(
        db,
        employers[0].id,
        employers[1].id,
        person_ids[3],
        today,
        now,
    )
    .await?;
    // Two days ago Ailsa and Eilidh were on a course whose attendance is still to be marked,
    // so that marking it, the evaluation and the spend report can be tried at once.
    add_past_course(
        db,
        employers[0].id,
        person_ids[3],
        &[person_ids[0], person_ids[2]],
        today,
        now,
    )
    .await?;
    add_supervision_and_plan(
        db,
        employers[0].id,
        person_ids[1],
        person_ids[0],
        today,
        now,
    )
    .await?;
    // Eilidh is newly qualified: on Highland's supported year from her registration, with
    // Ailsa as her mentor and the activities the council asks for (her 3-month review due).
    let eilidh_started = people::registrations_of(db, person_ids[2])
        .await?
        .first()
        .map_or(today - Duration::days(120), |r| r.start_date);
    add_supported_year(
        db,
        employers[0].id,
        person_ids[2],
        person_ids[0],
        eilidh_started,
        now,
    )
    .await?;
    // Colleagues, so that teams and organisations have people in them.
    let colleagues = RegisterSpec {
        people: 60,
        years: 3,
        seed: 7,
        largest_org: 0,
    };
    super::populate(db, &employers, colleagues, &mut rng, today, now, |_| {}).await?;
    people::set_setting(db, CREATED_SETTING, &now.to_string()).await?;
    Ok(true)
}

/// A few opportunities in the catalogue: Highland's own courses, an e-learning module open to
/// everyone, and Orkney's mandatory training sessions (which its care staff are suggested).
async fn add_catalogue(
    db: &Db,
    highland: uuid::Uuid,
    orkney: uuid::Uuid,
    highland_lead: uuid::Uuid,
    today: Date,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let at = |days: i64, hour: u8| {
        time::Time::from_hms(hour, 0, 0)
            .map(|t| crate::zone::at(today + Duration::days(days), t))
            .map(|t| t.format(&time::format_description::well_known::Rfc3339))
    };
    let offers = [
        (
            highland,
            "Court skills: giving evidence",
            "Highland Council",
            "course",
            "in-person",
            "court-skills",
            6,
            "0",
            "own",
            21,
            "Inverness",
            "urban",
            14,
        ),
        (
            highland,
            "Trauma-informed conversations",
            "NHS Education for Scotland",
            "course",
            "blended",
            "trauma-informed-practice",
            4,
            "45",
            "own",
            35,
            "Portree",
            "island",
            10,
        ),
        (
            orkney,
            "Adult support and protection: the essentials",
            "Scottish Social Services Council",
            "e-learning",
            "online",
            "adult-support-and-protection",
            2,
            "0",
            "everyone",
            7,
            "",
            "",
            200,
        ),
        (
            orkney,
            "Fire safety for care at home",
            "Orkney Health and Care",
            "course",
            "in-person",
            "fire-safety",
            3,
            "0",
            "own",
            10,
            "Kirkwall",
            "island",
            12,
        ),
        (
            orkney,
            "Moving and handling refresher",
            "Orkney Health and Care",
            "course",
            "in-person",
            "moving-and-handling",
            3,
            "25",
            "own",
            17,
            "Stromness",
            "island",
            8,
        ),
    ];
    for (
        org,
        title,
        provider,
        kind,
        mode,
        topic,
        hours,
        cost,
        visibility,
        in_days,
        venue,
        locality,
        places,
    ) in offers
    {
        let starts = at(in_days, 9)??;
        let ends = at(in_days, 9 + hours.min(8) as u8)??;
        let town = match venue {
            "Inverness" => "inverness",
            "Portree" => "portree",
            "Kirkwall" | "Stromness" => "kirkwall",
            _ => "",
        };
        // The NES course needs the line manager's approval; courses keep a week's notice.
        let approval_stages = i64::from(provider == "NHS Education for Scotland");
        let cancel_notice_days = if kind == "course" { 7 } else { 0 };
        let draft: cairn_core::catalogue::OpportunityDraft = serde_json::from_value(
            serde_json::json!({
                "title": title, "provider": provider, "kind": kind, "mode": mode, "topics": [topic],
                "hours": hours, "cost_per_place": cost, "visibility": visibility,
                "approval_stages": approval_stages, "cancel_notice_days": cancel_notice_days,
                "description": "Practical, case-based learning for practitioners.",
                "sessions": [{"starts_at": starts, "ends_at": ends, "venue": venue, "locality": locality,
                              "town": town, "capacity": places}]
            }),
        )?;
        let valid = draft
            .validate()
            .map_err(|e| anyhow::anyhow!("a demo opportunity: {e:?}"))?;
        let offered_by = (org == highland).then_some(highland_lead);
        crate::catalogue::store::insert_opportunity(db, org, &valid, offered_by, now).await?;
    }
    Ok(())
}

/// Eilidh's first year of continuous professional learning holds everything but the
/// declaration: every core element, trauma-informed practice and protection, so she can
/// declare it and Morag verify it.
fn year_ready_to_declare(batch: &mut Batch, person_id: Uuid, today: Date, ids: &mut IdMaker) {
    let elements = cairn_core::policy::builtin::find("sssc-cpl-2024-social-worker")
        .and_then(|policy| {
            policy.rules.into_iter().find_map(|rule| match rule.kind {
                cairn_core::policy::RuleKind::Coverage { elements } => Some(elements),
                _ => None,
            })
        })
        .unwrap_or_default();
    let (first, second) = elements.split_at(elements.len() / 2);
    let learning = [
        (
            "Trauma-informed practice with children and families",
            "course",
            &["trauma-informed-practice", "child-protection"][..],
            first,
            6,
            20,
        ),
        (
            "Reflective practice group: my first months in the team",
            "peer-discussion",
            &["stress-and-wellbeing"][..],
            second,
            2,
            9,
        ),
    ];
    for (pick, (title, kind, topics, elements, hours, days_ago)) in learning.into_iter().enumerate()
    {
        let date = today - Duration::days(days_ago);
        batch.entries.push(super::bulk::EntryRow {
            id: ids.next(),
            person_id,
            date,
            title: title.to_owned(),
            kind,
            hours: hours * cairn_core::hours::SCALE,
            topics: crate::db::join_tags(
                &topics.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>(),
            ),
            elements: crate::db::join_tags(elements),
            reflection: Some(super::content::reflection(pick * 7 + 3)),
            peer_reflection: kind == "peer-discussion",
            endorsed: false,
            created_at: date.midnight().assume_utc() + Duration::hours(17),
        });
    }
}

/// The council's supported year: three activities for the newly qualified, and `nqsw` on it.
async fn add_supported_year(
    db: &Db,
    highland: uuid::Uuid,
    nqsw: uuid::Uuid,
    mentor: uuid::Uuid,
    started_on: Date,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    for (title, kind, topic, months) in [
        (
            "Shadow an experienced colleague at a case conference",
            "shadowing",
            None,
            3,
        ),
        (
            "Child protection in practice",
            "course",
            Some("child-protection"),
            4,
        ),
        (
            "A reflective account of your first court report",
            "reflective-account",
            None,
            9,
        ),
    ] {
        let draft = cairn_core::nqsw::RequirementDraft {
            title: Some(title.to_owned()),
            kind: Some(kind.to_owned()),
            topic: topic.map(str::to_owned),
            due_after_months: Some(months),
        };
        let requirement = draft
            .validate()
            .map_err(|e| anyhow::anyhow!("the demo's supported year: {e:?}"))?;
        crate::nqsw::store::add_requirement(db, highland, &requirement, now).await?;
    }
    let protected = cairn_core::Hours::from_units(28 * cairn_core::hours::SCALE / 10);
    crate::nqsw::store::enrol(db, nqsw, highland, started_on, Some(mentor), protected, now).await?;
    Ok(())
}

/// Morag's last supervision with Ailsa three weeks ago (with an action still open) and
/// Ailsa's development plan with one goal.
async fn add_supervision_and_plan(
    db: &Db,
    highland: uuid::Uuid,
    morag: uuid::Uuid,
    ailsa: uuid::Uuid,
    today: Date,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let draft: cairn_core::supervision::SessionDraft = serde_json::from_value(serde_json::json!({
        "held_on": (today - Duration::days(21)).to_string(), "duration_minutes": 75, "kind": "individual",
        "attendees": [ailsa],
        "agenda": {"case_management": 50, "reflection": 25, "professional_development": 15, "wellbeing": 10},
        "notes": "Reviewed the two child protection cases on Skye; talked through the court report.",
        "actions": [{"description": "Book a place on court skills before the January hearing", "owner": ailsa,
                     "due_on": (today + Duration::days(10)).to_string()}]
    }))?;
    let session = draft
        .validate(morag, today)
        .map_err(|e| anyhow::anyhow!("the demo's supervision: {e:?}"))?;
    crate::supervision::store::insert_session(
        db,
        &crate::supervision::store::NewSession {
            id: Uuid::now_v7(),
            org_id: highland,
            supervisor_id: morag,
            session: &session,
            entries: &[],
            notices: &[],
        },
        now,
    )
    .await?;
    let goal: cairn_core::plan::GoalDraft = serde_json::from_value(serde_json::json!({
        "what": "Give evidence in court with confidence", "why": "Two hearings are expected next year",
        "how": "Court skills course, then shadowing a colleague at the sheriff court",
        "by_when": (today + Duration::days(180)).to_string(), "elements": ["knowledge-for-role"],
        "status": "in-progress"
    }))?;
    let goal = goal
        .validate()
        .map_err(|e| anyhow::anyhow!("the demo's goal: {e:?}"))?;
    crate::plan::store::insert_goal(db, ailsa, &goal, now).await?;
    Ok(())
}

/// A Highland course held two days ago with `attendees` booked, and the council's budgets
/// for the year and a £500 learning allowance.
async fn add_past_course(
    db: &Db,
    highland: uuid::Uuid,
    lead: uuid::Uuid,
    attendees: &[uuid::Uuid],
    today: Date,
    now: OffsetDateTime,
) -> anyhow::Result<()> {
    let rfc = |t: OffsetDateTime| t.format(&time::format_description::well_known::Rfc3339);
    let starts = crate::zone::at(today - Duration::days(2), time::Time::from_hms(9, 30, 0)?);
    let draft: cairn_core::catalogue::OpportunityDraft = serde_json::from_value(
        serde_json::json!({
            "title": "Reflective supervision skills", "provider": "Highland Council", "kind": "course",
            "mode": "in-person", "topics": ["supervision-skills"], "elements": ["self-awareness-and-reflexivity", "knowledge-for-role"],
            "hours": 6, "cost_per_place": "60", "visibility": "own", "follow_up_days": 60,
            "description": "Using supervision to reflect on practice: a day of case discussion.",
            "sessions": [{"starts_at": rfc(starts)?, "ends_at": rfc(starts + Duration::hours(6))?,
                          "venue": "Council headquarters", "town": "inverness", "locality": "urban", "capacity": 16}]
        }),
    )?;
    let valid = draft
        .validate()
        .map_err(|e| anyhow::anyhow!("the demo's past course: {e:?}"))?;
    let id =
        crate::catalogue::store::insert_opportunity(db, highland, &valid, Some(lead), now).await?;
    let session = crate::catalogue::store::get_opportunity(db, id)
        .await?
        .and_then(|o| o.sessions.first().map(|s| s.id))
        .ok_or_else(|| anyhow::anyhow!("the demo's past course has no session"))?;
    for person in attendees {
        crate::catalogue::store::book(db, session, *person, now - Duration::days(20)).await?;
    }
    let budgets = [
        ("adults".to_owned(), 300_000),
        ("children-and-families".to_owned(), 250_000),
        ("justice".to_owned(), 120_000),
    ];
    crate::spend::store::set_budgets(db, highland, today.year(), &budgets).await?;
    crate::spend::store::set_allowance(db, highland, Some(50_000)).await?;
    Ok(())
}
