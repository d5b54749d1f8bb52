//! Multi-row inserts for generating large registers quickly: one statement carries many
//! rows, one transaction carries many statements.

use crate::db::{BeginWrite, Db, values_sql};
use crate::on_db;
use sqlx::AssertSqlSafe;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Rows per statement: well inside both backends' parameter limits.
const ROWS_PER_STATEMENT: usize = 100;

pub struct PersonRow {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub birth_year: i64,
    /// Where the generated history begins (as for an imported one).
    pub recorded_since: Date,
}

pub struct EmploymentRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub org_id: Uuid,
    pub team_id: Uuid,
    pub job_role: &'static str,
    pub start_date: Date,
    pub end_date: Option<Date>,
    pub hours_per_week: i64,
}

pub struct RegistrationRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub register: &'static str,
    pub part: &'static str,
    pub start_date: Date,
}

pub struct RoleRow {
    pub person_id: Uuid,
    pub org_id: Uuid,
    pub role: &'static str,
}

pub struct EntryRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub date: Date,
    pub title: String,
    pub kind: &'static str,
    pub hours: i64,
    pub topics: String,
    pub elements: String,
    pub reflection: Option<(String, String, String)>,
    pub peer_reflection: bool,
    pub endorsed: bool,
    pub created_at: OffsetDateTime,
}

/// A period declared complete (verified when `verified_on` is set).
pub struct DeclarationRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub policy_id: String,
    pub period_start: Date,
    pub period_end: Date,
    pub declared_on: Date,
    pub verifier_role: Option<String>,
    pub verified_on: Option<Date>,
}

impl EntryRow {
    /// The entry as the rules read it.
    pub fn as_record_entry(&self) -> cairn_core::record::RecordEntry {
        cairn_core::record::RecordEntry {
            id: String::new(),
            date: self.date,
            title: String::new(),
            kind: self.kind.into(),
            hours: cairn_core::Hours::from_units(self.hours),
            topics: crate::db::split_tags(&self.topics).into(),
            elements: crate::db::split_tags(&self.elements).into(),
            peer_reflection: self.peer_reflection,
            peer_name: None,
            endorsed: self.endorsed,
            reflection: self
                .reflection
                .as_ref()
                .map(|(what, _, _)| what.as_str().into()),
            reflection_so_what: None,
            reflection_now_what: None,
        }
    }
}

/// Everything generated for a slice of people, written in one transaction.
#[derive(Default)]
pub struct Batch {
    pub people: Vec<PersonRow>,
    pub employments: Vec<EmploymentRow>,
    pub registrations: Vec<RegistrationRow>,
    pub roles: Vec<RoleRow>,
    pub entries: Vec<EntryRow>,
    pub declarations: Vec<DeclarationRow>,
}

const PERSON_HEAD: &str =
    "INSERT INTO person (id, email, name, birth_year, created_at, updated_at, recorded_since)";
const EMPLOYMENT_HEAD: &str = "INSERT INTO employment (id, person_id, org_id, team_id, job_role, start_date, end_date, hours_per_week)";
const REGISTRATION_HEAD: &str =
    "INSERT INTO registration (id, person_id, register, part, start_date, first)";
const ROLE_HEAD: &str = "INSERT INTO role_grant (person_id, org_id, role)";
const DECLARATION_HEAD: &str = "INSERT INTO declaration (id, person_id, policy_id, period_start, period_end, declared_on, status, verifier_role, \
     verified_on, created_at, updated_at)";
const ENTRY_HEAD: &str = "INSERT INTO entry (id, person_id, date, title, kind, hours, topics, elements, reflection, reflection_so_what, \
     reflection_now_what, peer_reflection, endorsed, reflected, created_at, updated_at, version)";

/// Writes the batch in one transaction.
pub async fn write(db: &Db, batch: &Batch, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    let numbered = matches!(db, Db::Postgres(_));
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        for chunk in batch.people.chunks(ROWS_PER_STATEMENT) {
            let sql = values_sql(PERSON_HEAD, 7, chunk.len(), "", numbered);
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for p in chunk {
                query = query
                    .bind(p.id)
                    .bind(&p.email)
                    .bind(&p.name)
                    .bind(p.birth_year)
                    .bind(now)
                    .bind(now)
                    .bind(p.recorded_since);
            }
            query.execute(&mut *tx).await?;
        }
        for chunk in batch.employments.chunks(ROWS_PER_STATEMENT) {
            let sql = values_sql(EMPLOYMENT_HEAD, 8, chunk.len(), "", numbered);
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for e in chunk {
                query = query
                    .bind(e.id)
                    .bind(e.person_id)
                    .bind(e.org_id)
                    .bind(e.team_id)
                    .bind(e.job_role)
                    .bind(e.start_date)
                    .bind(e.end_date)
                    .bind(e.hours_per_week);
            }
            query.execute(&mut *tx).await?;
        }
        for chunk in batch.registrations.chunks(ROWS_PER_STATEMENT) {
            let sql = values_sql(REGISTRATION_HEAD, 5, chunk.len(), ", true", numbered);
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for r in chunk {
                query = query
                    .bind(r.id)
                    .bind(r.person_id)
                    .bind(r.register)
                    .bind(r.part)
                    .bind(r.start_date);
            }
            query.execute(&mut *tx).await?;
        }
        for chunk in batch.roles.chunks(ROWS_PER_STATEMENT) {
            let sql = values_sql(ROLE_HEAD, 3, chunk.len(), "", numbered);
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for r in chunk {
                query = query.bind(r.person_id).bind(r.org_id).bind(r.role);
            }
            query.execute(&mut *tx).await?;
        }
        for chunk in batch.entries.chunks(ROWS_PER_STATEMENT) {
            let sql = values_sql(ENTRY_HEAD, 16, chunk.len(), ", 1", numbered);
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for e in chunk {
                let (what, so_what, now_what) = match &e.reflection {
                    Some((a, b, c)) => (Some(a.as_str()), Some(b.as_str()), Some(c.as_str())),
                    None => (None, None, None),
                };
                query = query
                    .bind(e.id)
                    .bind(e.person_id)
                    .bind(e.date)
                    .bind(&e.title)
                    .bind(e.kind)
                    .bind(e.hours)
                    .bind(&e.topics)
                    .bind(&e.elements)
                    .bind(what)
                    .bind(so_what)
                    .bind(now_what)
                    .bind(e.peer_reflection)
                    .bind(e.endorsed)
                    .bind(e.reflection.as_ref().is_some_and(|(a, b, c)| {
                        [a, b, c].iter().any(|text| !text.trim().is_empty())
                    }))
                    .bind(e.created_at)
                    .bind(e.created_at);
            }
            query.execute(&mut *tx).await?;
        }
        for chunk in batch.declarations.chunks(ROWS_PER_STATEMENT) {
            let sql = values_sql(DECLARATION_HEAD, 11, chunk.len(), "", numbered);
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for d in chunk {
                let status = if d.verified_on.is_some() {
                    cairn_core::status::DeclarationStatus::Verified
                } else {
                    cairn_core::status::DeclarationStatus::Declared
                };
                query = query
                    .bind(d.id)
                    .bind(d.person_id)
                    .bind(&d.policy_id)
                    .bind(d.period_start)
                    .bind(d.period_end)
                    .bind(d.declared_on)
                    .bind(status.as_str())
                    .bind(&d.verifier_role)
                    .bind(d.verified_on)
                    .bind(now)
                    .bind(now);
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await
    })
}

#[cfg(test)]
mod tests {
    use crate::db::values_sql;

    #[test]
    fn builds_multi_row_values_for_each_backend() {
        assert_eq!(
            values_sql("INSERT INTO t (a, b)", 2, 2, "", true),
            "INSERT INTO t (a, b) VALUES ($1,$2),($3,$4)"
        );
        assert_eq!(
            values_sql("INSERT INTO t (a, b, c)", 2, 1, ", 1", true),
            "INSERT INTO t (a, b, c) VALUES ($1,$2, 1)"
        );
        assert_eq!(
            values_sql("INSERT INTO t (a, b)", 2, 2, "", false),
            "INSERT INTO t (a, b) VALUES (?,?),(?,?)"
        );
    }
}
