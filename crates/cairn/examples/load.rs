//! A bounded load test of a running cairn on loopback: signs in N people of a generated
//! register, then measures `GET /api/v1/me/entries` and `POST /api/v1/me/entries` with N
//! concurrent clients. It stops by itself after the requested number of requests.
//!
//!     cargo run --release --example load -- --url http://127.0.0.1:8080 \
//!         --database sqlite://bench-data/cairn.db --clients 50 --requests 20000 [--record-page]
//!
//! With `--record-page` it then times the My record page of a person with 500 entries; with
//! `--catalogue`, searches of a catalogue of 20,000 opportunities (added first if missing); with
//! `--spend`, the spend report of an organisation of 5,000 people with a year of bookings
//! (added first if missing); with `--supervision`, in that organisation, a supervisor's team
//! page (15 supervisees) and the L&D lead's overdue supervision page. `--compliance` alone
//! times the compliance report (API and page) of the organisation with most people in post.
//!
//! Passwords are set for the chosen people directly in the database (a generated register
//! has none), so run it only against a benchmark database.

use cairn::db::{Db, DbUrl, PoolSize};
use cairn::on_db;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const PASSWORD: &str = "benchmark-password";

struct Args {
    url: String,
    database: String,
    clients: usize,
    requests: u64,
    /// What the GET phase asks for.
    path: String,
    /// Also time the record page of a person with 500 entries.
    record_page: bool,
    /// Also time catalogue searches over 20,000 opportunities (added to the database first).
    catalogue: bool,
    /// Also time the spend report of a 5,000-person organisation (added first).
    spend: bool,
    /// Also time supervision pages in that organisation.
    supervision: bool,
    /// Measure only the GET phase (writes nothing to the chosen people's records).
    get_only: bool,
    /// Time only the compliance report of the largest organisation (API and page).
    compliance: bool,
    /// The server's process id: each phase then also reports the server's CPU time per
    /// request, a steadier figure than latency on a shared machine.
    server_pid: Option<u32>,
}

fn parse_args() -> Args {
    let mut args = Args {
        url: "http://127.0.0.1:8080".into(),
        database: String::new(),
        clients: 50,
        requests: 20_000,
        path: "/api/v1/me/entries".into(),
        record_page: false,
        catalogue: false,
        spend: false,
        supervision: false,
        get_only: false,
        compliance: false,
        server_pid: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--record-page" {
            args.record_page = true;
            continue;
        }
        if flag == "--catalogue" {
            args.catalogue = true;
            continue;
        }
        if flag == "--spend" {
            args.spend = true;
            continue;
        }
        if flag == "--supervision" {
            args.supervision = true;
            continue;
        }
        if flag == "--compliance" {
            args.compliance = true;
            continue;
        }
        if flag == "--get-only" {
            args.get_only = true;
            continue;
        }
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => args.url = value,
            "--database" => args.database = value,
            "--clients" => args.clients = value.parse().expect("--clients: a number"),
            "--requests" => args.requests = value.parse().expect("--requests: a number"),
            "--path" => args.path = value,
            "--server-pid" => {
                args.server_pid = Some(value.parse().expect("--server-pid: a number"))
            }
            other => panic!(
                "unknown option {other}; use --url, --database, --clients, --requests, --path, --get-only, --server-pid, --record-page, --catalogue, --spend, --supervision, --compliance"
            ),
        }
    }
    assert!(
        args.url.contains("127.0.0.1") || args.url.contains("localhost"),
        "--url must be on loopback"
    );
    assert!(
        !args.database.is_empty(),
        "--database is required (the benchmark database)"
    );
    args
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let args = parse_args();
    if args.compliance {
        return compliance(&args).await;
    }
    let db = Db::connect(
        &DbUrl::parse(&args.database)?,
        PoolSize { max_connections: 2 },
    )
    .await?;
    // People with the most typical record: registrants spread over the register.
    const PICK: &str =
        "SELECT p.id, p.email FROM person p WHERE p.password_hash IS NULL ORDER BY p.id LIMIT $1";
    let people: Vec<(uuid::Uuid, String)> = on_db!(&db, |pool| sqlx::query_as(PICK)
        .bind(args.clients as i64 * 97)
        .fetch_all(pool)
        .await)?;
    let people: Vec<_> = people.into_iter().step_by(97).take(args.clients).collect();
    anyhow::ensure!(
        people.len() == args.clients,
        "the database has too few people; generate a register first"
    );
    let hash = cairn::auth::password::hash_blocking(PASSWORD)?;
    let now = time::OffsetDateTime::now_utc();
    for (id, _) in &people {
        cairn::auth::store::set_password_hash(&db, *id, &hash, now).await?;
    }
    db.close().await;

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients)
        .build()?;
    let mut tokens = Vec::new();
    for (_, email) in &people {
        let response = client
            .post(format!("{}/api/v1/auth/token", args.url))
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await?;
        anyhow::ensure!(
            response.status() == 201,
            "sign-in for a benchmark person failed: {}",
            response.status()
        );
        let body: serde_json::Value = response.json().await?;
        tokens.push(body["token"].as_str().unwrap_or_default().to_owned());
    }
    println!(
        "{} clients signed in; {} requests per phase",
        args.clients, args.requests
    );
    // Warm-up, not measured: each client reads its page a few times, so that the figures are
    // of a running service rather than of its first seconds.
    for token in &tokens {
        for _ in 0..5 {
            client
                .get(format!("{}{}", args.url, args.path))
                .bearer_auth(token)
                .send()
                .await?
                .bytes()
                .await?;
        }
    }

    let today = now.date().to_string();
    let get_phase = format!("GET {}", args.path);
    let phases = [get_phase.as_str(), "POST /api/v1/me/entries"];
    for phase in &phases[..if args.get_only { 1 } else { 2 }] {
        let cpu_before = args.server_pid.and_then(cpu_seconds);
        let remaining = Arc::new(AtomicU64::new(args.requests));
        let failures = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for token in &tokens {
            let (client, token, remaining, failures) = (
                client.clone(),
                token.clone(),
                remaining.clone(),
                failures.clone(),
            );
            let (url, today, path, phase) = (
                args.url.clone(),
                today.clone(),
                args.path.clone(),
                (*phase).to_owned(),
            );
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::new();
                while remaining.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
                    let start = Instant::now();
                    let request = if phase.starts_with("GET") {
                        client.get(format!("{url}{path}")).bearer_auth(&token)
                    } else {
                        client.post(format!("{url}/api/v1/me/entries")).bearer_auth(&token).json(&serde_json::json!({
                            "date": today, "title": "Benchmark learning", "kind": "e-learning", "hours": 0.5,
                            "topics": ["digital-skills"], "reflection": "Written by the load test"}))
                    };
                    match request.timeout(Duration::from_secs(30)).send().await {
                        Ok(response) if response.status().is_success() => {
                            let _ = response.bytes().await;
                        }
                        _ => {
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    latencies.push(start.elapsed());
                }
                latencies
            }));
        }
        let mut latencies = Vec::new();
        for task in tasks {
            latencies.extend(task.await?);
        }
        let count = latencies.len();
        report(
            phase,
            latencies,
            started.elapsed(),
            failures.load(Ordering::Relaxed),
        );
        if let (Some(before), Some(after)) = (cpu_before, args.server_pid.and_then(cpu_seconds)) {
            println!(
                "  server CPU: {:.3} ms per request",
                (after - before) * 1e3 / count as f64
            );
        }
    }

    // The record page of a person with 500 entries, one request at a time (server time plus
    // loopback): the first client's record is topped up to 500 entries first.
    if args.record_page {
        let token = &tokens[0];
        let totals: serde_json::Value = client
            .get(format!("{}/api/v1/me/entries?limit=0", args.url))
            .bearer_auth(token)
            .send()
            .await?
            .json()
            .await?;
        let have = totals["total"].as_i64().unwrap_or(0);
        for i in have..500 {
            let response = client
                .post(format!("{}/api/v1/me/entries", args.url))
                .bearer_auth(token)
                .json(&serde_json::json!({
                    "date": today, "title": format!("Learning {i}"), "kind": "reading", "hours": 1,
                    "reflection": "What I read and what it changed in my practice."}))
                .send()
                .await?;
            anyhow::ensure!(
                response.status().is_success(),
                "topping up the record failed"
            );
        }
        let path = "/record";
        for _ in 0..20 {
            client
                .get(format!("{}{path}", args.url))
                .bearer_auth(token)
                .send()
                .await?
                .bytes()
                .await?;
        }
        let started = Instant::now();
        let mut latencies = Vec::new();
        let mut failures = 0;
        let mut bytes = 0;
        for _ in 0..1000 {
            let start = Instant::now();
            let response = client
                .get(format!("{}{path}", args.url))
                .bearer_auth(token)
                .send()
                .await?;
            if !response.status().is_success() {
                failures += 1;
            }
            bytes = response.bytes().await?.len();
            latencies.push(start.elapsed());
        }
        report(
            &format!("GET {path} (500 entries, one client, {bytes} bytes)"),
            latencies,
            started.elapsed(),
            failures,
        );
    }
    if args.catalogue {
        catalogue(&args, &client, &tokens[0]).await?;
    }
    if args.spend {
        spend(&args, &client).await?;
    }
    if args.supervision {
        supervision(&args, &client).await?;
    }
    Ok(())
}

/// The compliance report of the organisation with the most people in post (`cairn demo
/// --largest-org 5000` makes one), as its L&D lead sees it: the API's JSON and the page,
/// 100 requests each, one at a time.
async fn compliance(args: &Args) -> anyhow::Result<()> {
    const LARGEST: &str = "SELECT org_id, COUNT(DISTINCT person_id) AS n FROM employment \
         WHERE start_date <= $1 AND (end_date IS NULL OR end_date >= $1) \
         GROUP BY org_id ORDER BY n DESC LIMIT 1";
    const LEAD: &str =
        "SELECT person_id FROM employment WHERE org_id = $1 ORDER BY person_id LIMIT 1";
    let db = Db::connect(
        &DbUrl::parse(&args.database)?,
        PoolSize { max_connections: 2 },
    )
    .await?;
    let today = time::OffsetDateTime::now_utc().date();
    let (org_id, people): (uuid::Uuid, i64) = on_db!(&db, |pool| sqlx::query_as(LARGEST)
        .bind(today)
        .fetch_one(pool)
        .await)?;
    let (lead,): (uuid::Uuid,) = on_db!(&db, |pool| sqlx::query_as(LEAD)
        .bind(org_id)
        .fetch_one(pool)
        .await)?;
    cairn::people::store::set_roles_in_org(&db, lead, org_id, &[cairn_core::Role::LdLead]).await?;
    let email = cairn::people::store::get_person(&db, lead)
        .await?
        .map(|p| p.email)
        .unwrap_or_default();
    let client = reqwest::Client::new();
    let token = sign_in_as(args, &client, &db, &email).await?;
    db.close().await;
    for path in [
        format!("/api/v1/orgs/{org_id}/compliance"),
        format!("/orgs/{org_id}/compliance"),
        format!("/orgs/{org_id}/compliance?headline=overdue"),
    ] {
        time_path(
            args,
            &client,
            &token,
            &path,
            100,
            &format!("compliance of a {people}-person organisation: GET {path}"),
        )
        .await?;
    }
    Ok(())
}

const SPEND_ORG: &str = "Spend benchmark council";
const SPEND_PEOPLE: usize = 5_000;

/// An organisation of 5,000 people in teams of every service and locality, with a year of
/// bookings (four each: mostly attended, some booked, absent or cancelled late; travel for
/// rural, remote and island staff, backfill for a third), then its spend report one request
/// at a time.
/// The benchmark organisation (made on first use): its database connection and id.
async fn benchmark_org(args: &Args) -> anyhow::Result<(Db, uuid::Uuid)> {
    use cairn::people::{NewEmployment, NewPerson, store as people};
    let db = Db::connect(
        &DbUrl::parse(&args.database)?,
        PoolSize { max_connections: 2 },
    )
    .await?;
    let now = time::OffsetDateTime::now_utc();
    let year = now.year();
    let existing: Option<uuid::Uuid> = on_db!(&db, |pool| sqlx::query_scalar(
        "SELECT id FROM organisation WHERE name = $1"
    )
    .bind(SPEND_ORG)
    .fetch_optional(pool)
    .await)?;
    let org_id = match existing {
        Some(id) => id,
        None => {
            let started = Instant::now();
            let org = people::insert_org(&db, SPEND_ORG, "local-authority", now).await?;
            let mut teams = Vec::new();
            for (service, _) in cairn_core::vocabulary::SERVICES.iter().take(6) {
                for (locality, _) in cairn_core::vocabulary::LOCALITIES {
                    let team = people::insert_team(
                        &db,
                        org.id,
                        &format!("{service} {locality}"),
                        service,
                        locality,
                        None,
                    )
                    .await?;
                    teams.push((team.id, *locality));
                }
            }
            let mut person_ids = Vec::with_capacity(SPEND_PEOPLE);
            for i in 0..SPEND_PEOPLE {
                let (team, locality) = teams[i % teams.len()];
                let email = if i == 0 {
                    LEAD_EMAIL.to_owned()
                } else {
                    format!("spend{i}@benchmark.example")
                };
                let id = people::insert_person(
                    &db,
                    &NewPerson {
                        email: cairn_core::Email::parse(&email).map_err(anyhow::Error::msg)?,
                        name: format!("Benchmark person {i}"),
                        password_hash: None,
                        birth_year: Some(1960 + (i % 40) as i64),
                        employment: Some(NewEmployment {
                            org_id: org.id,
                            team_id: Some(team),
                            job_role: "Social care worker".into(),
                            start_date: time::Date::from_calendar_date(
                                year - 3,
                                time::Month::January,
                                1,
                            )?,
                            end_date: None,
                            hours_per_week: cairn_core::Hours::from_whole(37),
                        }),
                        registrations: Vec::new(),
                        roles: if i == 0 {
                            vec![(org.id, "ld-lead".to_owned())]
                        } else {
                            Vec::new()
                        },
                    },
                    now,
                )
                .await?;
                person_ids.push((id, locality));
            }
            // 240 one-day courses through the year.
            let mut sessions = Vec::new();
            let first = time::Date::from_calendar_date(year, time::Month::January, 10)?;
            for j in 0..240i64 {
                let day = first + time::Duration::days(j * 340 / 240);
                let starts = day.with_hms(9, 30, 0)?.assume_utc();
                let draft: cairn_core::catalogue::OpportunityDraft = serde_json::from_value(
                    serde_json::json!({
                        "title": format!("Benchmark course {j}"), "provider": format!("Provider {}", j % 12),
                        "kind": "course", "mode": "in-person", "topics": ["adult-support-and-protection"], "hours": 3 + j % 5,
                        "cost_per_place": (40 + j % 9 * 15).to_string(),
                        "sessions": [{"starts_at": starts.format(&time::format_description::well_known::Rfc3339)?,
                                      "ends_at": (starts + time::Duration::hours(6)).format(&time::format_description::well_known::Rfc3339)?,
                                      "capacity": 10_000}]
                    }),
                )?;
                let valid = draft.validate().map_err(|e| anyhow::anyhow!("{e:?}"))?;
                let id =
                    cairn::catalogue::store::insert_opportunity(&db, org.id, &valid, None, now)
                        .await?;
                let opportunity = cairn::catalogue::store::get_opportunity(&db, id)
                    .await?
                    .expect("just made");
                sessions.push(opportunity.sessions[0].id);
            }
            const INSERT: &str = "INSERT INTO booking (id, session_id, person_id, status, requested_at, updated_at, late_cancellation, travel_pence, accommodation_pence, backfill_hours, backfill_rate_pence) \
                 VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10)";
            for chunk in person_ids.chunks(500).enumerate() {
                let (c, chunk) = chunk;
                on_db!(&db, |pool| {
                    let mut tx = pool.begin().await?;
                    for (n, (person, locality)) in chunk.iter().enumerate() {
                        let i = c * 500 + n;
                        for k in 0..4 {
                            let session = sessions[(i * 7 + k * 61) % sessions.len()];
                            let (status, late) = match (i + k) % 10 {
                                0..=5 => ("attended", false),
                                6 | 7 => ("booked", false),
                                8 => ("absent", false),
                                _ => ("cancelled", true),
                            };
                            let far = matches!(*locality, "rural" | "remote" | "island");
                            sqlx::query(INSERT)
                                .bind(uuid::Uuid::now_v7())
                                .bind(session)
                                .bind(person)
                                .bind(status)
                                .bind(now)
                                .bind(late)
                                .bind(if far {
                                    2_000 + (i % 50) as i64 * 100
                                } else {
                                    0
                                })
                                .bind(if *locality == "island" && k == 0 {
                                    9_500
                                } else {
                                    0
                                })
                                .bind(if i % 3 == 0 { 75_000 } else { 0 })
                                .bind(if i % 3 == 0 { 2_133 } else { 0 })
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                    tx.commit().await
                })?;
            }
            println!(
                "spend: made {SPEND_ORG} with {SPEND_PEOPLE} people and {} bookings in {:.1} s",
                SPEND_PEOPLE * 4,
                started.elapsed().as_secs_f64()
            );
            org.id
        }
    };
    Ok((db, org_id))
}

const LEAD_EMAIL: &str = "spend-lead@benchmark.example";

/// Sets the benchmark password for `email` and signs in: a bearer token.
async fn sign_in_as(
    args: &Args,
    client: &reqwest::Client,
    db: &Db,
    email: &str,
) -> anyhow::Result<String> {
    use cairn::people::store as people;
    let person = people::person_by_email(db, email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("{email} is not in the benchmark organisation"))?;
    let hash = cairn::auth::password::hash_blocking(PASSWORD)?;
    cairn::auth::store::set_password_hash(db, person.id, &hash, time::OffsetDateTime::now_utc())
        .await?;
    let response = client
        .post(format!("{}/api/v1/auth/token", args.url))
        .json(&serde_json::json!({"email": email, "password": PASSWORD}))
        .send()
        .await?;
    anyhow::ensure!(response.status() == 201, "{email} could not sign in");
    let body: serde_json::Value = response.json().await?;
    Ok(body["token"].as_str().unwrap_or_default().to_owned())
}

/// Times `path` `count` times, one at a time, after five unmeasured requests.
async fn time_path(
    args: &Args,
    client: &reqwest::Client,
    token: &str,
    path: &str,
    count: usize,
    label: &str,
) -> anyhow::Result<()> {
    for _ in 0..5 {
        client
            .get(format!("{}{path}", args.url))
            .bearer_auth(token)
            .send()
            .await?
            .bytes()
            .await?;
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    let mut bytes = 0;
    let started = Instant::now();
    for _ in 0..count {
        let at = Instant::now();
        let response = client
            .get(format!("{}{path}", args.url))
            .bearer_auth(token)
            .send()
            .await?;
        if !response.status().is_success() {
            failures += 1;
        }
        bytes = response.bytes().await?.len();
        latencies.push(at.elapsed());
    }
    report(
        &format!("{label} ({bytes} bytes)"),
        latencies,
        started.elapsed(),
        failures,
    );
    Ok(())
}

/// The spend report of the benchmark organisation, one request at a time.
async fn spend(args: &Args, client: &reqwest::Client) -> anyhow::Result<()> {
    let (db, org_id) = benchmark_org(args).await?;
    let year = time::OffsetDateTime::now_utc().year();
    let token = sign_in_as(args, client, &db, LEAD_EMAIL).await?;
    db.close().await;
    time_path(
        args,
        client,
        &token,
        &format!("/api/v1/orgs/{org_id}/spend?year={year}"),
        100,
        &format!("spend report for a year of a {SPEND_PEOPLE}-person organisation"),
    )
    .await
}

/// Supervision in the benchmark organisation: a supervisor of 15 people, and sessions in the
/// last three months for 70 % of its staff (made once); then the supervisor's team page and
/// the L&D lead's overdue list, one request at a time.
async fn supervision(args: &Args, client: &reqwest::Client) -> anyhow::Result<()> {
    use cairn::people::store as people;
    let (db, org_id) = benchmark_org(args).await?;
    let now = time::OffsetDateTime::now_utc();
    let today = now.date();
    let supervisor_email = "spend1@benchmark.example";
    let supervisor = people::person_by_email(&db, supervisor_email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("benchmark person 1 is missing"))?;
    let have: i64 = on_db!(&db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM supervision_session WHERE org_id = $1"
    )
    .bind(org_id)
    .fetch_one(pool)
    .await)?;
    if have == 0 {
        let started = Instant::now();
        on_db!(&db, |pool| sqlx::query(
            "INSERT INTO role_grant (person_id, org_id, role) VALUES ($1, $2, 'supervisor')"
        )
        .bind(supervisor.id)
        .bind(org_id)
        .execute(pool)
        .await
        .map(|_| ()))?;
        for i in 2..17 {
            let person = people::person_by_email(&db, &format!("spend{i}@benchmark.example"))
                .await?
                .ok_or_else(|| anyhow::anyhow!("benchmark person {i} is missing"))?;
            people::add_supervision(&db, supervisor.id, person.id, org_id).await?;
        }
        let staff: Vec<uuid::Uuid> = on_db!(&db, |pool| sqlx::query_scalar(
            "SELECT person_id FROM employment WHERE org_id = $1 ORDER BY person_id"
        )
        .bind(org_id)
        .fetch_all(pool)
        .await)?;
        const SESSION: &str = "INSERT INTO supervision_session (id, org_id, supervisor_id, held_on, duration_minutes, kind, \
             case_management, reflection, professional_development, wellbeing, notes, private_notes, created_at) \
             VALUES ($1, $2, $3, $4, 60, 'individual', 40, 30, 20, 10, 'Caseload and development.', '', $5)";
        const ATTENDEE: &str =
            "INSERT INTO supervision_attendee (session_id, person_id) VALUES ($1, $2)";
        const ACTION: &str = "INSERT INTO supervision_action (id, session_id, description, owner_id, due_on) \
             VALUES ($1, $2, 'Read the new guidance', $3, $4)";
        for (c, chunk) in staff.chunks(500).enumerate() {
            on_db!(&db, |pool| {
                let mut tx = pool.begin().await?;
                for (n, person) in chunk.iter().enumerate() {
                    let i = c * 500 + n;
                    if i % 10 >= 7 {
                        continue;
                    }
                    let id = uuid::Uuid::now_v7();
                    sqlx::query(SESSION)
                        .bind(id)
                        .bind(org_id)
                        .bind(supervisor.id)
                        .bind(today - time::Duration::days((i % 90) as i64))
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(ATTENDEE)
                        .bind(id)
                        .bind(person)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(ACTION)
                        .bind(uuid::Uuid::now_v7())
                        .bind(id)
                        .bind(person)
                        .bind(today + time::Duration::days(14))
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await
            })?;
        }
        println!(
            "supervision: sessions for 70 % of {} staff in {:.1} s",
            staff.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let supervisor_token = sign_in_as(args, client, &db, supervisor_email).await?;
    let lead_token = sign_in_as(args, client, &db, LEAD_EMAIL).await?;
    db.close().await;
    time_path(
        args,
        client,
        &supervisor_token,
        "/team",
        100,
        "supervisor's team page, 15 supervisees",
    )
    .await?;
    time_path(
        args,
        client,
        &lead_token,
        &format!("/orgs/{org_id}/supervision"),
        100,
        &format!("L&D lead's overdue supervision page, {SPEND_PEOPLE} staff"),
    )
    .await
}

/// 20,000 opportunities (about 60 % open to everyone), then searches one at a time.
async fn catalogue(args: &Args, client: &reqwest::Client, token: &str) -> anyhow::Result<()> {
    const WANT: i64 = 20_000;
    let db = Db::connect(
        &DbUrl::parse(&args.database)?,
        PoolSize { max_connections: 2 },
    )
    .await?;
    let have: i64 = on_db!(&db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM opportunity"
    )
    .fetch_one(pool)
    .await)?;
    let orgs: Vec<uuid::Uuid> = on_db!(&db, |pool| sqlx::query_scalar(
        "SELECT id FROM organisation ORDER BY id"
    )
    .fetch_all(pool)
    .await)?;
    let creator: uuid::Uuid = on_db!(&db, |pool| sqlx::query_scalar(
        "SELECT id FROM person ORDER BY id LIMIT 1"
    )
    .fetch_one(pool)
    .await)?;
    let topics = cairn_core::vocabulary::TOPICS;
    let words = [
        "practice",
        "introduction",
        "refresher",
        "advanced",
        "skills",
        "update",
        "masterclass",
        "essentials",
    ];
    let start = time::OffsetDateTime::now_utc() + time::Duration::days(30);
    for i in have..WANT {
        let n = i as usize;
        let kind = ["course", "e-learning", "bite-size", "conference"][n % 4];
        let mode = ["in-person", "online", "blended"][n % 3];
        let draft: cairn_core::catalogue::OpportunityDraft = serde_json::from_value(
            serde_json::json!({
                "title": format!("{} {} {i}", topics[n % topics.len()].1, words[n % words.len()]),
                "provider": format!("Provider {}", n % 97),
                "description": "A day of learning with case studies and discussion.",
                "kind": kind,
                "mode": mode,
                "topics": [topics[n % topics.len()].0], "hours": 1 + n % 12,
                "cost_per_place": (n % 300).to_string(),
                "visibility": if n % 5 < 3 { "everyone" } else { "own" },
                "sessions": [{"starts_at": (start + time::Duration::days((n % 200) as i64)).format(&time::format_description::well_known::Rfc3339)?,
                              "ends_at": (start + time::Duration::days((n % 200) as i64) + time::Duration::hours(6)).format(&time::format_description::well_known::Rfc3339)?,
                              "capacity": 20}]
            }),
        )?;
        let valid = draft.validate().map_err(|e| anyhow::anyhow!("{e:?}"))?;
        cairn::catalogue::store::insert_opportunity(
            &db,
            orgs[n % orgs.len()],
            &valid,
            Some(creator),
            time::OffsetDateTime::now_utc(),
        )
        .await?;
    }
    db.close().await;
    let day = |days: i64| (time::OffsetDateTime::now_utc() + time::Duration::days(days)).date();
    let dates = format!("max_cost=100&from={}&to={}", day(60), day(90));
    for (label, query) in [
        ("words", "q=refresher"),
        ("topic", "topic=court-skills"),
        ("topic and mode", "topic=dementia&mode=online"),
        ("cost and dates", dates.as_str()),
        ("online only", "online=1"),
    ] {
        let path = format!("/api/v1/opportunities?{query}");
        let mut latencies = Vec::new();
        let started = Instant::now();
        let mut failures = 0;
        let mut count = 0;
        for _ in 0..300 {
            let at = Instant::now();
            let response = client
                .get(format!("{}{path}", args.url))
                .bearer_auth(token)
                .send()
                .await?;
            if !response.status().is_success() {
                failures += 1;
            }
            let body: serde_json::Value = response.json().await?;
            count = body["opportunities"].as_array().map_or(0, Vec::len);
            latencies.push(at.elapsed());
        }
        report(
            &format!("catalogue search by {label} over {WANT} opportunities ({count} shown)"),
            latencies,
            started.elapsed(),
            failures,
        );
    }
    Ok(())
}

/// A process's user + system CPU time so far, from `/proc/PID/stat` (Linux).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // The kernel's USER_HZ is 100 on every Linux this runs on.
    Some(ticks / 100.0)
}

fn report(phase: &str, mut latencies: Vec<Duration>, elapsed: Duration, failures: u64) {
    latencies.sort();
    let at = |q: f64| {
        latencies[((latencies.len() as f64 * q).ceil() as usize)
            .saturating_sub(1)
            .min(latencies.len() - 1)]
    };
    println!(
        "{phase}: {} requests in {:.1} s = {:.0}/s; p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {} failed",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
        failures
    );
}
