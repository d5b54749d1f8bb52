//! Demo data: a small, realistic showcase for `cairn serve --demo` (named accounts in every
//! role) and a synthetic register of any size for `cairn demo`, generated deterministically
//! from a seed and calibrated to the sector. Every benchmark uses the latter.
//!
//! Calibration (sources in ../shared/seeds): the SSSC register holds about 176,000 people,
//! mostly care workers; Social Work England 100,654 social workers. So about 64 % of a
//! generated register works for Scottish employers (7 % social workers, 70 % social care,
//! 23 % children and young people) and 36 % for English ones (95 % SWE social workers, 5 %
//! NMC nurses in care homes). 29 % are aged 55 or over. Turnover is about 25 % a year: a
//! quarter of current staff started within the last year, and one person in five on file
//! has left. Registrants record 3-10 pieces of CPD a year; social workers add supervision and
//! peer discussion; care workers add their mandatory training and bite-size learning.

mod bulk;
pub mod complete;
pub mod content;
pub mod showcase;

use crate::db::{Db, join_tags};
use crate::people::store as people;
use bulk::{Batch, EmploymentRow, EntryRow, PersonRow, RegistrationRow, RoleRow};
use content::Profile;
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct RegisterSpec {
    pub people: u64,
    pub years: u32,
    pub seed: u64,
    /// This many of the people (the first generated) work for the first employer and are
    /// all in post today: one large organisation inside the register, for its reports.
    pub largest_org: u64,
}

/// What was generated.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub organisations: u64,
    pub people: u64,
    pub entries: u64,
}

/// People generated and written per transaction.
const PEOPLE_PER_BATCH: u64 = 500;

/// An employer and its teams, as the generator places people in them.
#[derive(Clone)]
struct Employer {
    id: Uuid,
    scottish: bool,
    teams: Vec<(Uuid, &'static str)>,
}

/// Generates a synthetic register into `db`, reporting progress (people done) to `progress`.
pub async fn generate(
    db: &Db,
    spec: RegisterSpec,
    today: Date,
    now: OffsetDateTime,
    progress: impl Fn(u64),
) -> anyhow::Result<Summary> {
    let mut rng = fastrand::Rng::with_seed(spec.seed);
    let employers = create_employers(db, spec, &mut rng, now).await?;
    let mut summary = populate(db, &employers, spec, &mut rng, today, now, progress).await?;
    summary.organisations = employers.len() as u64;
    Ok(summary)
}

/// Generates `spec.people` people working for `employers`, with their learning. Generation
/// runs on its own thread, a batch ahead of the database writes, so both cores work.
async fn populate(
    db: &Db,
    employers: &[Employer],
    spec: RegisterSpec,
    rng: &mut fastrand::Rng,
    today: Date,
    now: OffsetDateTime,
    progress: impl Fn(u64),
) -> anyhow::Result<Summary> {
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Batch>(2);
    let employers = employers.to_vec();
    let mut rng = rng.fork();
    let generator = tokio::task::spawn_blocking(move || {
        let mut ids = IdMaker::new(spec.seed, now);
        let mut done = 0;
        while done < spec.people {
            let count = PEOPLE_PER_BATCH.min(spec.people - done);
            let mut batch = Batch::default();
            for i in done..done + count {
                generate_person(&mut batch, i, &employers, spec, today, &mut rng, &mut ids);
            }
            if sender.blocking_send(batch).is_err() {
                break; // the writer stopped on an error, which it reports
            }
            done += count;
        }
    });
    let mut summary = Summary::default();
    while let Some(batch) = batches.recv().await {
        summary.entries += batch.entries.len() as u64;
        summary.people += batch.people.len() as u64;
        bulk::write(db, &batch, now).await?;
        progress(summary.people);
    }
    generator.await?;
    Ok(summary)
}

const SCOTTISH_EMPLOYERS: &[(&str, &str)] = &[
    ("Highland Council", "local-authority"),
    ("Orkney Health and Care", "hscp"),
    ("Western Isles HSCP", "hscp"),
    ("Glasgow City HSCP", "hscp"),
    ("Fife Council", "local-authority"),
    ("Argyll and Bute HSCP", "hscp"),
    ("Caring Hands Scotland", "third-sector"),
    ("Bfield Care Homes", "private-provider"),
];
const ENGLISH_EMPLOYERS: &[(&str, &str)] = &[
    ("Cumbria County Council", "local-authority"),
    ("Northshire Children's Services", "local-authority"),
    ("Riverside Care Group", "private-provider"),
];
const TEAMS: &[(&str, &str)] = &[
    ("Adults", "adults"),
    ("Children and families", "children-and-families"),
    ("Justice", "justice"),
    ("Care at home", "care-at-home"),
    ("Residential care", "residential-care"),
    ("Mental health", "mental-health"),
];
const LOCALITIES: &[&str] = &["urban", "mixed", "rural", "remote", "island"];

async fn create_employers(
    db: &Db,
    spec: RegisterSpec,
    rng: &mut fastrand::Rng,
    now: OffsetDateTime,
) -> anyhow::Result<Vec<Employer>> {
    let count = (spec.people / 2500).clamp(3, 400) as usize;
    let mut employers = Vec::with_capacity(count);
    for i in 0..count {
        // Keep the 64:36 split of people by making employers in that proportion.
        let scottish = (i * 100 / count) < 64;
        let names = if scottish {
            SCOTTISH_EMPLOYERS
        } else {
            ENGLISH_EMPLOYERS
        };
        let (base, kind) = names[i % names.len()];
        let name = if i < names.len() * 2 && i / names.len() == 0 {
            base.to_owned()
        } else {
            format!("{base} ({})", i + 1)
        };
        let org = people::insert_org(db, &name, kind, now).await?;
        let mut teams = Vec::new();
        for (team, service) in TEAMS {
            let locality = LOCALITIES[rng.usize(..LOCALITIES.len())];
            let team = people::insert_team(
                db,
                org.id,
                &format!("{team} ({locality})"),
                service,
                locality,
                None,
            )
            .await?;
            teams.push((team.id, *service));
        }
        employers.push(Employer {
            id: org.id,
            scottish,
            teams,
        });
    }
    Ok(employers)
}

/// Deterministic, time-ordered ids: a v7 layout whose timestamp counts up from a base, so
/// that rows arrive in index order and the same seed gives the same ids.
struct IdMaker {
    rng: fastrand::Rng,
    millis: u64,
}

impl IdMaker {
    /// Starts about 1.6 years before `now`, far from ids made by the live clock.
    fn new(seed: u64, now: OffsetDateTime) -> Self {
        let millis = u64::try_from(now.unix_timestamp())
            .unwrap_or(0)
            .saturating_mul(1000)
            .saturating_sub(50_000_000_000);
        Self {
            rng: fastrand::Rng::with_seed(seed ^ 0x5eed),
            millis,
        }
    }
    fn next(&mut self) -> Uuid {
        self.millis += 1;
        let bytes: [u8; 10] = std::array::from_fn(|_| self.rng.u8(..));
        uuid::Builder::from_unix_timestamp_millis(self.millis, &bytes).into_uuid()
    }
}

fn random_date(rng: &mut fastrand::Rng, from: Date, to: Date) -> Date {
    let days = (to - from).whole_days().max(0);
    from + Duration::days(rng.i64(0..=days))
}

fn generate_person(
    batch: &mut Batch,
    index: u64,
    employers: &[Employer],
    spec: RegisterSpec,
    today: Date,
    rng: &mut fastrand::Rng,
    ids: &mut IdMaker,
) {
    let in_largest = index < spec.largest_org;
    // With a largest organisation, it has those people and no others.
    let others = usize::from(spec.largest_org > 0).min(employers.len() - 1);
    let drawn = others + rng.usize(..employers.len() - others);
    let employer = &employers[if in_largest { 0 } else { drawn }];
    let roll = rng.u32(..100);
    let (profile, register, part, job_role) = if employer.scottish {
        match roll {
            0..7 => (
                Profile::SocialWorker,
                "SSSC",
                "social-worker",
                "Social worker",
            ),
            7..77 => (Profile::CareWorker, "SSSC", "social-care", "Support worker"),
            _ => (
                Profile::CareWorker,
                "SSSC",
                "children-and-young-people",
                "Residential childcare worker",
            ),
        }
    } else if roll < 95 {
        (
            Profile::SocialWorker,
            "SWE",
            "social-worker",
            "Social worker",
        )
    } else {
        (Profile::Nurse, "NMC", "nurse", "Care home nurse")
    };
    let person_id = ids.next();
    let given = content::GIVEN[rng.usize(..content::GIVEN.len())];
    let family = content::FAMILY[rng.usize(..content::FAMILY.len())];
    let age = if rng.u32(..100) < 29 {
        rng.i64(55..68)
    } else {
        rng.i64(20..55)
    };
    batch.people.push(PersonRow {
        id: person_id,
        email: format!(
            "{}.{}.{index}@register.example",
            given.to_lowercase(),
            family.to_lowercase()
        ),
        name: format!("{given} {family}"),
        birth_year: i64::from(today.year()) - age,
        recorded_since: today,
    });

    // A quarter of current staff started in the last year; the rest earlier in their career.
    let career_start = today - Duration::days(365 * (age - 19).max(1));
    let start = if rng.u32(..100) < 25 {
        today - Duration::days(rng.i64(1..365))
    } else {
        random_date(
            rng,
            career_start.max(Date::MIN),
            today - Duration::days(365),
        )
    };
    let left = rng.u32(..100) < 20 && !in_largest;
    let end = left.then(|| {
        random_date(
            rng,
            start.max(today - Duration::days(365 * i64::from(spec.years))),
            today - Duration::days(1),
        )
    });
    let end = end.filter(|e| *e >= start);
    let part_time = rng.u32(..100) < 30;
    let (team_id, _) = *pick_team(employer, profile, rng);
    batch.employments.push(EmploymentRow {
        id: ids.next(),
        person_id,
        org_id: employer.id,
        team_id,
        job_role,
        start_date: start,
        end_date: end,
        hours_per_week: if part_time {
            rng.i64(16..35) * 10_000
        } else {
            37 * 10_000
        },
    });
    let registered = (start + Duration::days(rng.i64(0..120))).min(today);
    batch.registrations.push(RegistrationRow {
        id: ids.next(),
        person_id,
        register,
        part,
        start_date: registered,
    });
    let role = if index.is_multiple_of(12) {
        "supervisor"
    } else {
        "practitioner"
    };
    batch.roles.push(RoleRow {
        person_id,
        org_id: employer.id,
        role,
    });

    let window_start = (today - Duration::days(365 * i64::from(spec.years))).max(registered);
    if let Some(person) = batch.people.last_mut() {
        person.recorded_since = window_start.min(today);
    }
    let window_end = end.unwrap_or(today).min(today);
    if window_end <= window_start {
        return;
    }
    let years = ((window_end - window_start).whole_days() as f64 / 365.0).max(0.1);
    let first_entry = batch.entries.len();
    generate_entries(
        batch,
        person_id,
        profile,
        window_start,
        window_end,
        years,
        rng,
        ids,
    );
    complete::complete_last_person(batch, first_entry, today, rng, ids);
}

fn pick_team<'a>(
    employer: &'a Employer,
    profile: Profile,
    rng: &mut fastrand::Rng,
) -> &'a (Uuid, &'static str) {
    let wanted: &[&str] = match profile {
        Profile::SocialWorker => &[
            "adults",
            "children-and-families",
            "justice",
            "mental-health",
        ],
        Profile::CareWorker | Profile::Nurse => &["care-at-home", "residential-care"],
    };
    let candidates: Vec<&(Uuid, &str)> = employer
        .teams
        .iter()
        .filter(|(_, s)| wanted.contains(s))
        .collect();
    candidates
        .get(rng.usize(..candidates.len().max(1)))
        .copied()
        .unwrap_or(&employer.teams[0])
}

#[expect(
    clippy::too_many_arguments,
    reason = "a private generator step; a struct would only rename the arguments"
)]
fn generate_entries(
    batch: &mut Batch,
    person_id: Uuid,
    profile: Profile,
    from: Date,
    to: Date,
    years: f64,
    rng: &mut fastrand::Rng,
    ids: &mut IdMaker,
) {
    let per_year = |low: u32, high: u32, rng: &mut fastrand::Rng| {
        (f64::from(rng.u32(low..=high)) * years).round() as u32
    };
    let mut add = |batch: &mut Batch,
                   rng: &mut fastrand::Rng,
                   kind: &'static str,
                   topic: &str,
                   title: String,
                   hours: i64,
                   reflect_percent: u32| {
        let date = random_date(rng, from, to);
        let pick = rng.usize(..10_000);
        let reflection = (rng.u32(..100) < reflect_percent).then(|| content::reflection(pick));
        let peer = matches!(
            kind,
            "peer-discussion" | "team-learning-session" | "supervision"
        ) || rng.u32(..100) < 10;
        let elements = element_for(profile, topic, pick);
        batch.entries.push(EntryRow {
            id: ids.next(),
            person_id,
            date,
            title,
            kind,
            hours,
            topics: join_tags(&[topic.to_owned()]),
            elements: join_tags(&elements),
            reflection,
            peer_reflection: peer,
            endorsed: rng.u32(..100) < 15,
            created_at: date
                .with_time(Time::from_hms(17, rng.u8(0..60), 0).unwrap_or(Time::MIDNIGHT))
                .assume_utc(),
        });
    };
    const CPD_KINDS: &[&str] = &[
        "course",
        "e-learning",
        "reading",
        "shadowing",
        "research",
        "conference",
        "reflection-on-practice",
        "practitioner-forum",
    ];
    for _ in 0..per_year(3, 10, rng) {
        let topic = content::SOCIAL_WORK_TOPICS[rng.usize(..content::SOCIAL_WORK_TOPICS.len())];
        let kind = CPD_KINDS[rng.usize(..CPD_KINDS.len())];
        let hours = match kind {
            "course" => [30_000, 60_000, 70_000, 120_000][rng.usize(..4)],
            "conference" => [60_000, 120_000][rng.usize(..2)],
            _ => [5_000, 10_000, 15_000, 20_000, 30_000][rng.usize(..5)],
        };
        let title = content::title(kind, topic, rng.usize(..100));
        add(batch, rng, kind, topic, title, hours, 45);
    }
    match profile {
        Profile::SocialWorker | Profile::Nurse => {
            for _ in 0..per_year(10, 12, rng) {
                let topic =
                    content::SOCIAL_WORK_TOPICS[rng.usize(..content::SOCIAL_WORK_TOPICS.len())];
                let title = content::title("supervision", topic, rng.usize(..100));
                add(batch, rng, "supervision", topic, title, 15_000, 20);
            }
            for _ in 0..per_year(4, 8, rng) {
                let topic =
                    content::SOCIAL_WORK_TOPICS[rng.usize(..content::SOCIAL_WORK_TOPICS.len())];
                let title = content::title("peer-discussion", topic, rng.usize(..100));
                add(batch, rng, "peer-discussion", topic, title, 10_000, 40);
            }
        }
        Profile::CareWorker => {
            for (topic, title, every) in content::MANDATORY {
                let times = (years / f64::from(*every)).ceil() as u32;
                for _ in 0..times {
                    let hours = [10_000, 20_000, 30_000][rng.usize(..3)];
                    add(
                        batch,
                        rng,
                        "e-learning",
                        topic,
                        (*title).to_owned(),
                        hours,
                        5,
                    );
                }
            }
            for _ in 0..per_year(26, 44, rng) {
                let (topic, title) = content::BITE_SIZE[rng.usize(..content::BITE_SIZE.len())];
                add(batch, rng, "bite-size", topic, title.to_owned(), 1_250, 10);
            }
        }
    }
}

/// The framework elements a piece of learning on `topic` most plausibly covers.
fn element_for(profile: Profile, topic: &str, pick: usize) -> Vec<String> {
    let care = matches!(profile, Profile::CareWorker);
    let element = match topic {
        "risk-to-vulnerable-groups" | "child-protection" | "adult-support-and-protection" => {
            "protection"
        }
        "equality-and-diversity" | "law-and-policy" => {
            if care {
                "rights-and-ethics"
            } else {
                "ethics-values-rights"
            }
        }
        "motivational-interviewing" | "conflict-resolution" | "court-skills" => {
            if care {
                "communication-and-relationships"
            } else {
                "communication-engagement-relationships"
            }
        }
        "stress-and-wellbeing" | "trauma-informed-practice" | "mental-health" | "dementia" => {
            "wellbeing-and-support"
        }
        "supervision-skills" | "management-and-leadership" => "leadership-and-quality",
        _ if pick.is_multiple_of(3) => {
            if care {
                "reflective-practice"
            } else {
                "self-awareness-and-reflexivity"
            }
        }
        _ => "knowledge-for-role",
    };
    vec![element.to_owned()]
}

/// Before a bulk load on SQLite: skip the fsync per transaction (a crash mid-load loses
/// only generated data, which can be generated again).
pub async fn prepare_bulk_load(db: &Db) -> Result<(), sqlx::Error> {
    if let Db::Sqlite(sqlite) = db {
        sqlx::query("PRAGMA synchronous = OFF")
            .execute(&sqlite.pool)
            .await?;
    }
    Ok(())
}

/// After a bulk load: durable writes again, and fresh statistics for the planner.
pub async fn finish_bulk_load(db: &Db) -> Result<(), sqlx::Error> {
    match db {
        Db::Sqlite(crate::db::SqliteDb { pool, .. }) => {
            sqlx::query("PRAGMA synchronous = NORMAL")
                .execute(pool)
                .await?;
            sqlx::query("PRAGMA optimize").execute(pool).await?;
        }
        Db::Postgres(pool) => {
            // VACUUM marks the new pages all-visible, so that reads over the whole register
            // are index-only scans from the start rather than after autovacuum's first pass.
            sqlx::query("VACUUM (ANALYZE)").execute(pool).await?;
        }
    }
    Ok(())
}
