//! The command line (clap). Every command shares the database and data-folder options; each
//! one is a thin call into the library.

use crate::config::Config;
use crate::db::{Db, DbUrl, PoolSize};
use crate::demo::showcase;
use crate::people::{NewEmployment, NewPerson, store as people};
use crate::{Clock, server};
use anyhow::{Context, bail};
use cairn_core::{Email, Hours, vocabulary};
use clap::{Args, Parser, Subcommand};
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use uuid::Uuid;

/// cairn: the career-long learning record of the social services workforce.
///
/// With no database named, cairn keeps everything in an SQLite file under ./cairn-data/.
/// Name a PostgreSQL database with --database or CAIRN_DATABASE_URL to run it for many
/// people behind a load balancer.
#[derive(Parser, Debug)]
#[command(name = "cairn", version, about, long_about)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug, Clone)]
struct GlobalArgs {
    /// The database: sqlite://PATH or postgres://USER@HOST/DATABASE [default: sqlite://DATA_DIR/cairn.db]
    #[arg(
        long,
        global = true,
        env = "CAIRN_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    database: Option<String>,
    /// Where cairn keeps its SQLite file and evidence files.
    #[arg(
        long,
        global = true,
        env = "CAIRN_DATA_DIR",
        default_value = "cairn-data",
        value_name = "DIR"
    )]
    data_dir: PathBuf,
    /// Log lines as JSON (for log collectors) instead of text.
    #[arg(long, global = true, env = "CAIRN_LOG_JSON")]
    log_json: bool,
    /// The SMTP relay for the daily email digests, as smtp://HOST:PORT (none: no email).
    #[arg(long, global = true, env = "CAIRN_SMTP_URL", value_name = "URL")]
    smtp_url: Option<String>,
    /// Who the digests come from.
    #[arg(
        long,
        global = true,
        env = "CAIRN_MAIL_FROM",
        default_value = "cairn <no-reply@localhost>",
        value_name = "ADDRESS"
    )]
    mail_from: String,
    /// The address people reach cairn at, for links in emails.
    #[arg(
        long,
        global = true,
        env = "CAIRN_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080",
        value_name = "URL"
    )]
    public_url: String,
    /// The time zone times are typed and shown in, and "today" is judged in (tz database
    /// name).
    #[arg(
        long,
        global = true,
        env = "CAIRN_TIME_ZONE",
        default_value = crate::zone::DEFAULT,
        value_name = "ZONE"
    )]
    time_zone: String,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web pages and the API.
    Serve(ServeArgs),
    /// Send today's email digests now (what is due for each person who wants one); the server
    /// also sends them once a day. Needs --smtp-url.
    Digest,
    /// Bring the database schema up to date (also done at every start).
    Migrate,
    /// Organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Teams within an organisation.
    #[command(subcommand)]
    Team(TeamCommand),
    /// People who can sign in.
    #[command(subcommand)]
    User(UserCommand),
    /// Import an HR feed (CSV, one row per person: needs --org) or a portable record
    /// (cairn-record/1 JSON: needs --person).
    Import(ImportArgs),
    /// Export a person's whole record as cairn-record/1 JSON.
    Export(ExportArgs),
    /// Generate a synthetic register, deterministically, for trying cairn at scale and for benchmarks.
    Demo(DemoArgs),
    /// Evaluate a portable record (cairn-record/1) against requirement policies: where the
    /// person stands, what is left and by when. Needs no database.
    Check(CheckArgs),
    /// Requirement policies: list the built-in ones, show one, or validate a policy file.
    #[command(subcommand)]
    Policies(PoliciesCommand),
    /// Print the API's OpenAPI 3.1 description (the document served at /api/v1/openapi.json).
    /// Needs no database.
    Openapi,
    /// Reports over the database.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Everyone's kept standing (what the compliance, team and home pages read).
    #[command(subcommand)]
    Standing(StandingCommand),
}

#[derive(Subcommand, Debug)]
enum ReportCommand {
    /// Everyone an organisation employs against every built-in policy that applies to them:
    /// status, days left and what is next, with a summary per policy.
    Compliance {
        /// One organisation (see `cairn org list`); without it, every organisation.
        #[arg(long)]
        org: Option<Uuid>,
        /// The day to judge on (YYYY-MM-DD) [default: today].
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: ReportFormat,
    },
}

#[derive(Subcommand, Debug)]
enum StandingCommand {
    /// Judge the whole register again for today in one pass, replace the kept standing, and
    /// report how far it had drifted (lines a write did not keep). The server does this once
    /// a day as the date moves on.
    Rebuild,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ReportFormat {
    Json,
    Csv,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// The record file (cairn-record/1 JSON).
    #[arg(long)]
    record: PathBuf,
    /// A policy file (cairn-policy/1 TOML) or a built-in policy's id; repeat for several.
    /// Without it, every built-in policy that applies to the person.
    #[arg(long = "policy", value_name = "FILE_OR_ID")]
    policies: Vec<String>,
    /// The day to judge on (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// json for programs (the stable contract), text for people.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum OutputFormat {
    Json,
    Text,
}

#[derive(Subcommand, Debug)]
enum PoliciesCommand {
    /// The built-in policies: id, register and parts, title.
    List,
    /// A built-in policy's file, with the parts that published sources do not confirm.
    Show { id: String },
    /// Check a policy file; errors name the file, line and key.
    Validate { file: PathBuf },
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "CAIRN_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Create a demo (organisations, people in every role, three years of learning) once, and print its accounts.
    #[arg(long)]
    demo: bool,
    /// Allow --demo on an address other than loopback (the demo's passwords are public).
    #[arg(long)]
    allow_public_demo: bool,
    /// Mark cookies Secure (do this whenever cairn is reached over HTTPS, e.g. behind a proxy).
    #[arg(long, env = "CAIRN_SECURE_COOKIES")]
    secure_cookies: bool,
    /// cairn is behind a proxy or load balancer that appends the client's address to
    /// X-Forwarded-For (the sign-in limit per client then reads it there; never set this
    /// when clients reach cairn directly, or they could name any address).
    #[arg(long, env = "CAIRN_BEHIND_PROXY")]
    behind_proxy: bool,
    /// Database connections per instance.
    #[arg(long, env = "CAIRN_DB_CONNECTIONS", default_value_t = 16)]
    db_connections: u32,
}

#[derive(Subcommand, Debug)]
enum OrgCommand {
    /// Add an organisation; prints its id.
    Add {
        #[arg(long)]
        name: String,
        /// local-authority, hscp, nhs-board, third-sector or private-provider.
        #[arg(long)]
        kind: String,
    },
    /// List organisations with their ids.
    List,
}

#[derive(Subcommand, Debug)]
enum TeamCommand {
    /// Add a team; prints its id.
    Add {
        #[arg(long)]
        org: Uuid,
        #[arg(long)]
        name: String,
        /// adults, children-and-families, justice, mental-health, older-people, disability, residential-care, care-at-home or business-support.
        #[arg(long)]
        service: String,
        /// urban, mixed, rural, remote or island.
        #[arg(long)]
        locality: String,
    },
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Add a person who can sign in (how the first administrator of an installation is created).
    /// Prints the new person's id.
    Add {
        #[arg(long)]
        org: Uuid,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// practitioner, supervisor, ld-lead, org-admin or auditor (repeat for several).
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Their job, in the organisation's words.
        #[arg(long, default_value = "Staff member")]
        job_role: String,
        /// Read the password from standard input (one line), so it never appears in the shell's history.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Set a person's password (people from an HR feed have none until one is set), and end
    /// their sessions.
    SetPassword {
        #[arg(long)]
        email: String,
        /// Read the password from standard input (one line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Args, Debug)]
struct ImportArgs {
    /// The file: .csv for an HR feed, .json for a portable record.
    file: PathBuf,
    /// The organisation an HR feed belongs to.
    #[arg(long)]
    org: Option<Uuid>,
    /// The email of the person whose record a cairn-record/1 file is imported into.
    #[arg(long)]
    person: Option<String>,
}

#[derive(Args, Debug)]
struct ExportArgs {
    /// The email of the person.
    #[arg(long)]
    person: String,
    /// Write here instead of to standard output.
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct DemoArgs {
    /// How many people.
    #[arg(long, default_value_t = 1000)]
    people: u64,
    /// How many years of learning, back from today.
    #[arg(long, default_value_t = 3)]
    years: u32,
    /// The same seed gives the same register.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Make the first organisation this large: that many people, all in post (for the
    /// reports of a large employer).
    #[arg(long, default_value_t = 0)]
    largest_org: u64,
}

/// Parses the arguments, runs the command and turns errors into a message and exit code 1
/// (2 for wrong arguments, from clap).
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.global.log_json);
    match crate::zone::Zone::named(&cli.global.time_zone) {
        Ok(zone) => crate::zone::configure(zone),
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::FAILURE;
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init()
    } else {
        builder.init()
    }
}

fn config(global: &GlobalArgs) -> anyhow::Result<Config> {
    let mut config = Config::for_data_dir(global.data_dir.clone());
    if let Some(url) = &global.database {
        config.database = DbUrl::parse(url)?;
    }
    if let Some(url) = &global.smtp_url {
        config.mail = Some(crate::config::MailConfig::parse(
            url,
            &global.mail_from,
            &global.public_url,
        )?);
    }
    Ok(config)
}

async fn execute(cli: Cli) -> anyhow::Result<()> {
    // Commands that need no database or configuration come first.
    match cli.command {
        Command::Check(args) => return check(args),
        Command::Policies(command) => return policies(command),
        Command::Openapi => {
            println!("{}", crate::server::api_document().to_pretty_json()?);
            return Ok(());
        }
        _ => {}
    }
    let mut config = config(&cli.global)?;
    let clock = Clock::System;
    match cli.command {
        Command::Serve(args) => {
            if args.demo && !args.listen.ip().is_loopback() && !args.allow_public_demo {
                bail!(
                    "--demo publishes its passwords, so it only listens on a loopback address such as 127.0.0.1; \
                     add --allow-public-demo to listen on {} anyway",
                    args.listen
                );
            }
            config.listen = args.listen;
            config.secure_cookies = args.secure_cookies;
            config.behind_proxy = args.behind_proxy;
            config.pool = PoolSize {
                max_connections: args.db_connections,
            };
            let db = Db::open(&config.database, config.pool).await?;
            if args.demo {
                if showcase::ensure_showcase(&db, clock.today(), clock.now()).await? {
                    eprintln!("Created the demo.");
                }
                // Everyone's standing kept before the first page (the daily pass would
                // otherwise make it just after the server starts).
                crate::standing::service::move_on(&db, clock.now()).await?;
                print_demo_accounts(&args.listen);
            }
            let listener = tokio::net::TcpListener::bind(config.listen)
                .await
                .with_context(|| format!("cannot listen on {}", config.listen))?;
            tracing::info!(listen = %config.listen, database = %config.database, "cairn is serving");
            eprintln!("cairn is ready at http://{}", listener.local_addr()?);
            server::serve(crate::app::AppState::new(db, config, clock), listener).await
        }
        Command::Digest => {
            anyhow::ensure!(
                config.mail.is_some(),
                "cairn digest needs an SMTP relay: --smtp-url smtp://HOST:PORT (or CAIRN_SMTP_URL)"
            );
            let db = Db::open(&config.database, PoolSize { max_connections: 2 }).await?;
            let state = crate::app::AppState::new(db, config, clock);
            let report = crate::reminders::digest::send_digests(&state).await?;
            println!(
                "{} digests sent, {} people had nothing due, {} had already had today's",
                report.sent, report.nothing_due, report.already_sent
            );
            Ok(())
        }
        Command::Migrate => {
            Db::open(&config.database, PoolSize { max_connections: 1 }).await?;
            eprintln!("The database at {} is up to date.", config.database);
            Ok(())
        }
        Command::Org(OrgCommand::Add { name, kind }) => {
            vocabulary::check(vocabulary::ORG_KINDS, &kind)
                .map_err(|m| anyhow::anyhow!("--kind {m}"))?;
            anyhow::ensure!(!name.trim().is_empty(), "--name must not be empty");
            let db = Db::open(&config.database, PoolSize { max_connections: 1 }).await?;
            let org = people::insert_org(&db, name.trim(), &kind, clock.now()).await?;
            println!("{}", org.id);
            Ok(())
        }
        Command::Org(OrgCommand::List) => {
            let db = Db::open(&config.database, PoolSize { max_connections: 1 }).await?;
            for org in people::list_orgs(&db).await? {
                println!("{}\t{}\t{}", org.id, org.kind, org.name);
            }
            Ok(())
        }
        Command::Team(TeamCommand::Add {
            org,
            name,
            service,
            locality,
        }) => {
            vocabulary::check(vocabulary::SERVICES, &service)
                .map_err(|m| anyhow::anyhow!("--service {m}"))?;
            vocabulary::check(vocabulary::LOCALITIES, &locality)
                .map_err(|m| anyhow::anyhow!("--locality {m}"))?;
            let db = Db::open(&config.database, PoolSize { max_connections: 1 }).await?;
            people::get_org(&db, org)
                .await?
                .with_context(|| format!("--org: no organisation has the id {org}"))?;
            let team =
                people::insert_team(&db, org, name.trim(), &service, &locality, None).await?;
            println!("{}", team.id);
            Ok(())
        }
        Command::User(UserCommand::Add {
            org,
            email,
            name,
            roles,
            job_role,
            password_stdin: _,
        }) => {
            let email = Email::parse(&email).map_err(|m| anyhow::anyhow!("--email {m}"))?;
            for role in &roles {
                vocabulary::check(vocabulary::ROLES, role)
                    .map_err(|m| anyhow::anyhow!("--role {m}"))?;
            }
            let password = read_password()?;
            let db = Db::open(&config.database, PoolSize { max_connections: 1 }).await?;
            people::get_org(&db, org)
                .await?
                .with_context(|| format!("--org: no organisation has the id {org}"))?;
            if people::person_by_email(&db, email.as_str())
                .await?
                .is_some()
            {
                bail!("--email: someone with the email {email} already exists");
            }
            let person = NewPerson {
                email,
                name: name.trim().to_owned(),
                password_hash: Some(crate::auth::password::hash(password).await?),
                birth_year: None,
                employment: Some(NewEmployment {
                    org_id: org,
                    team_id: None,
                    job_role,
                    start_date: clock.today(),
                    end_date: None,
                    hours_per_week: Hours::from_whole(35),
                }),
                registrations: Vec::new(),
                roles: roles.into_iter().map(|role| (org, role)).collect(),
            };
            let id = people::insert_person(&db, &person, clock.now()).await?;
            println!("{id}");
            Ok(())
        }
        Command::User(UserCommand::SetPassword {
            email,
            password_stdin: _,
        }) => {
            let password = read_password()?;
            let db = Db::open(&config.database, PoolSize { max_connections: 1 }).await?;
            let person = find_person(&db, &email)
                .await
                .map_err(|e| anyhow::anyhow!("{e:#}").context("--email"))?;
            let hash = crate::auth::password::hash(password).await?;
            crate::auth::store::set_password_hash(&db, person, &hash, clock.now()).await?;
            crate::auth::store::delete_other_sessions(&db, person, "").await?;
            eprintln!("The password is set; any sessions the person had are ended.");
            Ok(())
        }
        Command::Import(args) => import(&config, clock, args).await,
        Command::Export(args) => {
            let db = Db::open(&config.database, PoolSize { max_connections: 1 }).await?;
            let person = find_person(&db, &args.person).await?;
            let record = crate::record::export(&db, person, clock.today(), clock.now())
                .await?
                .context("the person has gone")?;
            let json = serde_json::to_string_pretty(&record)?;
            match args.output {
                Some(path) => std::fs::write(&path, json)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => println!("{json}"),
            }
            Ok(())
        }
        Command::Demo(args) => demo(&config, clock, args).await,
        Command::Standing(StandingCommand::Rebuild) => {
            let db = Db::open(&config.database, PoolSize { max_connections: 2 }).await?;
            let pass = crate::standing::kept::rebuild(&db, clock.now()).await?;
            println!("{}", pass.describe());
            Ok(())
        }
        Command::Report(ReportCommand::Compliance { org, as_of, format }) => {
            report_compliance(&config, clock, org, as_of.as_deref(), format).await
        }
        // Answered above, before any database is opened.
        Command::Check(_) | Command::Policies(_) | Command::Openapi => Ok(()),
    }
}

/// One line from standard input, checked as a new password.
fn read_password() -> anyhow::Result<String> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("cannot read the password from standard input")?;
    let password = password.trim_end_matches(['\n', '\r']).to_owned();
    crate::auth::password::check_new(&password)
        .map_err(|m| anyhow::anyhow!("the password from standard input: {m}"))?;
    Ok(password)
}

fn print_demo_accounts(listen: &SocketAddr) {
    eprintln!(
        "\nDemo accounts at http://{listen} (password for all: {}):",
        showcase::DEMO_PASSWORD
    );
    for account in showcase::demo_accounts() {
        eprintln!(
            "  {:<26} {} – {}",
            account.email, account.name, account.what
        );
    }
    eprintln!();
}

async fn find_person(db: &Db, email: &str) -> anyhow::Result<Uuid> {
    let email = Email::parse(email).map_err(|m| anyhow::anyhow!("--person {m}"))?;
    Ok(people::person_by_email(db, email.as_str())
        .await?
        .with_context(|| format!("--person: nobody has the email {email}"))?
        .id)
}

async fn import(config: &Config, clock: Clock, args: ImportArgs) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let file = args.file.display();
    let looks_like_json = text.trim_start().starts_with('{');
    let db = Db::open(&config.database, PoolSize { max_connections: 1 }).await?;
    if looks_like_json {
        let person = find_person(
            &db,
            args.person
                .as_deref()
                .context("a portable record needs --person EMAIL: whose record it goes into")?,
        )
        .await?;
        let record =
            cairn_core::record::parse(&text).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
        match crate::record::import(&db, person, &record, clock.today(), clock.now()).await {
            Ok(report) => {
                println!(
                    "{} entries added, {} already present",
                    report.added, report.already_present
                );
                if report.endorsement_not_carried > 0 {
                    println!(
                        "{} entries were marked endorsed in the file: endorsement is not taken from a file, so ask for it again in cairn",
                        report.endorsement_not_carried
                    );
                }
                Ok(())
            }
            Err(crate::record::ImportError::Invalid(errors)) => {
                for error in &errors.0 {
                    eprintln!("{file}: {error}");
                }
                bail!("{file}: nothing was imported ({} problems)", errors.0.len())
            }
            Err(crate::record::ImportError::Database(error)) => Err(error.into()),
        }
    } else {
        let org = args.org.context(
            "an HR feed needs --org ID: the organisation it comes from (see `cairn org list`)",
        )?;
        people::get_org(&db, org)
            .await?
            .with_context(|| format!("--org: no organisation has the id {org}"))?;
        match crate::people::import::import_people(&db, org, &text, clock.now()).await {
            Ok(report) => {
                print!("{}", report.to_text());
                if report.rejected.is_empty() {
                    Ok(())
                } else {
                    bail!(
                        "{file}: {} line(s) were rejected (see above)",
                        report.rejected.len()
                    )
                }
            }
            Err(crate::people::import::FeedError::Unreadable(message)) => {
                bail!("{file}: {message}")
            }
            Err(crate::people::import::FeedError::Database(error)) => Err(error.into()),
        }
    }
}

async fn demo(config: &Config, clock: Clock, args: DemoArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.people > 0, "--people must be at least 1");
    anyhow::ensure!(
        (1..=40).contains(&args.years),
        "--years must be from 1 to 40"
    );
    let db = Db::open(&config.database, PoolSize { max_connections: 1 }).await?;
    let bar = indicatif::ProgressBar::new(args.people);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} people ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    crate::demo::prepare_bulk_load(&db).await?;
    let spec = crate::demo::RegisterSpec {
        people: args.people,
        years: args.years,
        seed: args.seed,
        largest_org: args.largest_org,
    };
    let summary = crate::demo::generate(&db, spec, clock.today(), clock.now(), |done| {
        bar.set_position(done)
    })
    .await;
    crate::demo::finish_bulk_load(&db).await?;
    let summary = summary?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} organisations, {} people and {} entries in {seconds:.1} s ({:.0} entries/s) into {}",
        summary.organisations,
        summary.people,
        summary.entries,
        summary.entries as f64 / seconds,
        config.database
    );
    // Everyone's standing kept from the start, as the server would make it.
    let pass = crate::standing::kept::rebuild(&db, clock.now()).await?;
    println!("{}", pass.describe());
    Ok(())
}

fn check(args: CheckArgs) -> anyhow::Result<()> {
    let file = args.record.display().to_string();
    let text =
        std::fs::read_to_string(&args.record).with_context(|| format!("{file}: cannot be read"))?;
    let record = cairn_core::record::parse(&text).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
    let as_of = match &args.as_of {
        Some(text) => cairn_core::policy::parse_as_of(text, Clock::System.today())
            .map_err(|message| anyhow::anyhow!("--as-of {message}"))?,
        None => Clock::System.today(),
    };
    let policies = args
        .policies
        .iter()
        .map(|p| crate::standing::load_policy(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let report = crate::standing::check(
        &record,
        (!policies.is_empty()).then_some(policies.as_slice()),
        as_of,
    );
    match args.format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        OutputFormat::Text => print!("{}", report.to_text()),
    }
    Ok(())
}

fn policies(command: PoliciesCommand) -> anyhow::Result<()> {
    use cairn_core::policy::builtin;
    match command {
        PoliciesCommand::List => {
            for policy in builtin::all() {
                let parts = if policy.applies_to.parts.is_empty() {
                    "all parts".to_owned()
                } else {
                    policy.applies_to.parts.join(", ")
                };
                let note = if policy.unconfirmed.is_empty() {
                    ""
                } else {
                    " (partly unconfirmed)"
                };
                println!(
                    "{:<30} {:<6} {:<40} {}{note}",
                    policy.id, policy.applies_to.register, parts, policy.title
                );
            }
            Ok(())
        }
        PoliciesCommand::Show { id } => {
            let text = builtin::text_of(&id).with_context(|| {
                format!("`{id}` is not a built-in policy; see `cairn policies list`")
            })?;
            print!("{text}");
            Ok(())
        }
        PoliciesCommand::Validate { file } => {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("{name}: cannot be read"))?;
            let policy = cairn_core::policy::parse_policy(&name, &text)?;
            println!(
                "{name}: valid: `{}` with {} rule(s)",
                policy.id,
                policy.rules.len()
            );
            Ok(())
        }
    }
}

fn parse_as_of(text: Option<&str>, clock: Clock) -> anyhow::Result<time::Date> {
    match text {
        Some(text) => cairn_core::policy::parse_as_of(text, clock.today())
            .map_err(|message| anyhow::anyhow!("--as-of {message}")),
        None => Ok(clock.today()),
    }
}

async fn report_compliance(
    config: &Config,
    clock: Clock,
    org: Option<Uuid>,
    as_of: Option<&str>,
    format: ReportFormat,
) -> anyhow::Result<()> {
    let as_of = parse_as_of(as_of, clock)?;
    let db = Db::open(&config.database, PoolSize { max_connections: 2 }).await?;
    let policies = cairn_core::policy::builtin::all();
    let reports = match org {
        Some(id) => {
            people::get_org(&db, id)
                .await?
                .with_context(|| format!("--org: no organisation has the id {id}"))?;
            vec![crate::standing::report::compliance(&db, id, as_of, &policies).await?]
        }
        None => {
            let orgs: Vec<Uuid> = people::list_orgs(&db)
                .await?
                .into_iter()
                .map(|o| o.id)
                .collect();
            let started = std::time::Instant::now();
            let (reports, stats) =
                crate::standing::register::compliance_of_all(&db, &orgs, as_of, &policies).await?;
            let lines: usize = reports.iter().map(|r| r.rows.len()).sum();
            eprintln!(
                "{} people in post in {} organisations, {lines} lines, as of {as_of}: \
                 the register walked in {:.2} s; engine time {:.1} µs per person",
                stats.people,
                reports.len(),
                started.elapsed().as_secs_f64(),
                stats.per_person().as_secs_f64() * 1e6
            );
            reports
        }
    };
    match format {
        ReportFormat::Json => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            if org.is_some() {
                serde_json::to_writer_pretty(&mut out, &reports[0])?;
            } else {
                serde_json::to_writer_pretty(&mut out, &reports)?;
            }
            writeln!(out)?;
            out.flush()?;
        }
        ReportFormat::Csv => {
            let mut writer = crate::web::spreadsheet::writer(std::io::stdout().lock());
            writer.write_record(crate::standing::report::ComplianceReport::CSV_HEADER)?;
            for report in &reports {
                report.write_csv(&mut writer)?;
            }
            writer.flush()?;
        }
    }
    Ok(())
}
