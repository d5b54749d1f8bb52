//! Test plumbing: a fresh database per test (an SQLite file, or a PostgreSQL database made
//! and dropped for the test), a real server on port 0, and signed-in clients.

use cairn::db::{Db, DbUrl, PoolSize};
use cairn::people::{NewEmployment, NewPerson, store as people};
use cairn::{AppState, Clock, Config};
use cairn_core::{Email, Hours};
use serde_json::{Value, json};
use std::net::SocketAddr;
use time::macros::date;
use uuid::Uuid;

/// The server URL tests use for PostgreSQL; CI's is on 127.0.0.1:5432 with trust auth.
pub fn postgres_admin_url() -> String {
    std::env::var("CAIRN_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// Which backend a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test.
pub struct TestDb {
    pub db: Db,
    pub url: DbUrl,
    pub dir: tempfile::TempDir,
    postgres_name: Option<String>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (url, postgres_name) = match backend {
            Backend::Sqlite => (DbUrl::Sqlite(dir.path().join("cairn.db")), None),
            Backend::Postgres => {
                let name = format!("cairn_test_{}", Uuid::now_v7().simple());
                let admin = Db::connect(&DbUrl::Postgres(postgres_admin_url()), PoolSize { max_connections: 1 })
                    .await
                    .expect("PostgreSQL must be running for the tests (set CAIRN_TEST_POSTGRES_URL to point elsewhere)");
                if let Db::Postgres(pool) = &admin {
                    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                        .execute(pool)
                        .await
                        .expect("create a test database");
                }
                admin.close().await;
                let base = postgres_admin_url();
                let url = format!(
                    "{}/{name}",
                    base.rsplit_once('/').expect("a database URL").0
                );
                (DbUrl::Postgres(url), Some(name))
            }
        };
        let db = Db::open(&url, PoolSize { max_connections: 8 })
            .await
            .expect("open and migrate");
        TestDb {
            db,
            url,
            dir,
            postgres_name,
        }
    }

    /// Another pool on the same database, as a second process would have (its cleanup
    /// leaves the database to the original).
    pub async fn another_instance(&self) -> TestDb {
        let db = Db::open(&self.url, PoolSize { max_connections: 4 })
            .await
            .expect("open");
        TestDb {
            db,
            url: self.url.clone(),
            dir: tempfile::tempdir().expect("a temporary folder"),
            postgres_name: None,
        }
    }

    /// Drops a PostgreSQL test database (SQLite's goes with the temporary folder).
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Some(name) = self.postgres_name
            && let Ok(Db::Postgres(pool)) = Db::connect(
                &DbUrl::Postgres(postgres_admin_url()),
                PoolSize { max_connections: 1 },
            )
            .await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&pool)
            .await;
        }
    }
}

/// Runs a test body on both backends, as two tests.
#[macro_export]
macro_rules! on_both {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($db: &$crate::support::TestDb) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::support::TestDb::new($crate::support::Backend::Sqlite).await;
                run(&db).await;
                db.cleanup().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = $crate::support::TestDb::new($crate::support::Backend::Postgres).await;
                run(&db).await;
                db.cleanup().await;
            }
        }
    };
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
}

pub const PASSWORD: &str = "correct horse battery";

impl TestApp {
    /// Starts a server on port 0 over the test database.
    pub async fn spawn(test_db: &TestDb) -> TestApp {
        Self::spawn_with_clock(test_db, Clock::System).await
    }

    pub async fn spawn_with_clock(test_db: &TestDb, clock: Clock) -> TestApp {
        let mut config = Config::for_data_dir(test_db.dir.path().to_path_buf());
        config.database = test_db.url.clone();
        let state = AppState::new(test_db.db.clone(), config, clock);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let addr = listener.local_addr().expect("an address");
        let router = cairn::router(state.clone());
        let app = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, app).await });
        cairn::worker::spawn_worker(state.clone());
        TestApp { addr, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A bearer token for `email`.
    pub async fn token(&self, email: &str) -> String {
        self.token_with_password(email, PASSWORD).await
    }

    /// An API token for someone whose password is not the tests' own (the demo's people).
    pub async fn token_with_password(&self, email: &str, password: &str) -> String {
        let response = reqwest::Client::new()
            .post(self.url("/api/v1/auth/token"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("token request");
        assert_eq!(response.status(), 201, "token for {email}");
        let body: Value = response.json().await.expect("json");
        body["token"].as_str().expect("a token").to_owned()
    }

    /// An API client signed in as `email`.
    pub async fn api(&self, email: &str) -> Api {
        Api {
            app_url: self.url(""),
            token: self.token(email).await,
            client: reqwest::Client::new(),
        }
    }

    /// An API client signed in as `email` with `password`.
    pub async fn api_with_password(&self, email: &str, password: &str) -> Api {
        Api {
            app_url: self.url(""),
            token: self.token_with_password(email, password).await,
            client: reqwest::Client::new(),
        }
    }
}

/// A client that sends a bearer token.
pub struct Api {
    app_url: String,
    token: String,
    pub client: reqwest::Client,
}

impl Api {
    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .get(format!("{}{path}", self.app_url))
            .bearer_auth(&self.token)
    }
    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}{path}", self.app_url))
            .bearer_auth(&self.token)
    }
    pub fn put(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .put(format!("{}{path}", self.app_url))
            .bearer_auth(&self.token)
    }
    pub fn delete(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .delete(format!("{}{path}", self.app_url))
            .bearer_auth(&self.token)
    }
    /// GETs a path and returns its JSON body, whatever the status.
    pub async fn get_json(&self, path: &str) -> Value {
        self.get(path)
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("a JSON body")
    }
    /// Creates an entry and returns its JSON.
    pub async fn create_entry(&self, body: Value) -> Value {
        let response = self
            .post("/api/v1/me/entries")
            .json(&body)
            .send()
            .await
            .expect("create");
        assert_eq!(response.status(), 201, "create entry");
        response.json().await.expect("json")
    }
}

/// An organisation with a team, for tests.
pub struct Org {
    pub id: Uuid,
    pub team: Uuid,
}

pub async fn org(db: &Db, name: &str) -> Org {
    let now = time::OffsetDateTime::now_utc();
    let org = people::insert_org(db, name, "local-authority", now)
        .await
        .expect("org");
    let team = people::insert_team(db, org.id, "Adults", "adults", "island", Some("kirkwall"))
        .await
        .expect("team");
    Org {
        id: org.id,
        team: team.id,
    }
}

/// A person who can sign in with [`PASSWORD`], employed by `org` with `roles`.
pub async fn person(db: &Db, org: &Org, email: &str, roles: &[&str]) -> Uuid {
    let hash = cairn::auth::password::hash_blocking(PASSWORD).expect("hash");
    let person = NewPerson {
        email: Email::parse(email).expect("email"),
        name: format!("Person {email}"),
        password_hash: Some(hash),
        birth_year: Some(1980),
        employment: Some(NewEmployment {
            org_id: org.id,
            team_id: Some(org.team),
            job_role: "Social worker".into(),
            start_date: date!(2020 - 01 - 01),
            end_date: None,
            hours_per_week: Hours::from_whole(37),
        }),
        registrations: vec![cairn::people::NewRegistration {
            register: "SSSC".into(),
            part: "social-worker".into(),
            start_date: date!(2020 - 03 - 01),
            first: true,
        }],
        roles: roles.iter().map(|r| (org.id, (*r).to_owned())).collect(),
    };
    people::insert_person(db, &person, time::OffsetDateTime::now_utc())
        .await
        .expect("person")
}

/// A valid entry body.
pub fn entry_body(title: &str) -> Value {
    json!({"date": "2026-01-15", "title": title, "kind": "course", "hours": 2.5, "topics": ["child-protection"],
           "reflection": "What happened", "reflection_so_what": "So what", "reflection_now_what": "Now what"})
}

/// Sends a request: its status and its JSON body (Null when there is none).
pub async fn call(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The fields a problem document names, in order.
pub fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().expect("field").to_owned())
                .collect()
        })
        .unwrap_or_default()
}
