//! SQL for organisations and people. Portable by default; tested on SQLite and PostgreSQL.

use super::{
    Employment, NewEmployment, NewPerson, NewRegistration, Organisation, Person, Registration, Team,
};
pub use crate::authz::store::{employing_orgs, supervisors_of};
use crate::db::{BeginWrite, Db, WriteTx};
use crate::notifications::INSERT_NOTIFICATION;
use crate::{on_db, on_tx};
use cairn_core::{Role, RoleGrant};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const INSERT_ORG: &str =
    "INSERT INTO organisation (id, name, kind, created_at) VALUES ($1, $2, $3, $4)";
const SELECT_ORGS: &str = "SELECT id, name, kind FROM organisation ORDER BY name";
const SELECT_ORG: &str = "SELECT id, name, kind FROM organisation WHERE id = $1";
const INSERT_TEAM: &str =
    "INSERT INTO team (id, org_id, name, service, locality, town) VALUES ($1, $2, $3, $4, $5, $6)";
const SELECT_TEAMS: &str =
    "SELECT id, org_id, name, service, locality, town FROM team WHERE org_id = $1 ORDER BY name";
const SELECT_TEAM_TOWN: &str = "SELECT t.town FROM employment e JOIN team t ON t.id = e.team_id \
     WHERE e.person_id = $1 AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2) AND t.town IS NOT NULL \
     ORDER BY e.start_date DESC LIMIT 1";
const INSERT_PERSON: &str = "INSERT INTO person (id, email, name, password_hash, birth_year, created_at, updated_at, recorded_since) \
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7)";
const RECORDED_SINCE: &str = "SELECT recorded_since FROM person WHERE id = $1";
const HISTORY_FROM: &str = "UPDATE person SET recorded_since = $2 WHERE id = $1 AND (recorded_since IS NULL OR recorded_since > $2)";
const UPDATE_PERSON: &str = "UPDATE person SET name = $2, birth_year = COALESCE($3, birth_year), updated_at = $4 WHERE id = $1";
const INSERT_EMPLOYMENT: &str = "INSERT INTO employment (id, person_id, org_id, team_id, job_role, start_date, end_date, hours_per_week) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const UPDATE_EMPLOYMENT: &str = "UPDATE employment SET team_id = $2, job_role = $3, start_date = $4, end_date = $5, hours_per_week = $6 WHERE id = $1";
const SELECT_EMPLOYMENT_IN_ORG: &str = "SELECT id FROM employment WHERE person_id = $1 AND org_id = $2 ORDER BY start_date DESC LIMIT 1";
const INSERT_REGISTRATION: &str = "INSERT INTO registration (id, person_id, register, part, start_date, first) VALUES ($1, $2, $3, $4, $5, $6) \
     ON CONFLICT (person_id, register, part, start_date) DO UPDATE SET first = excluded.first";
const INSERT_ROLE: &str =
    "INSERT INTO role_grant (person_id, org_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
const DELETE_ROLES_IN_ORG: &str = "DELETE FROM role_grant WHERE person_id = $1 AND org_id = $2";
const SELECT_PERSON_BY_EMAIL: &str =
    "SELECT id, email, name, birth_year FROM person WHERE email = $1";
const SELECT_PERSON: &str = "SELECT id, email, name, birth_year FROM person WHERE id = $1";
const SELECT_EMPLOYMENTS: &str = "SELECT e.id, e.org_id, o.name AS org_name, e.team_id, t.name AS team_name, e.job_role, e.start_date, e.end_date, e.hours_per_week \
     FROM employment e JOIN organisation o ON o.id = e.org_id LEFT JOIN team t ON t.id = e.team_id \
     WHERE e.person_id = $1 ORDER BY e.start_date DESC";
const SELECT_REGISTRATIONS: &str = "SELECT id, register, part, start_date, first FROM registration WHERE person_id = $1 ORDER BY start_date, register, part";
const SELECT_ROLES: &str =
    "SELECT org_id, role FROM role_grant WHERE person_id = $1 ORDER BY org_id, role";
const SELECT_WITH_ROLE: &str = "SELECT p.id, p.name FROM role_grant r JOIN person p ON p.id = r.person_id \
     WHERE r.org_id = $1 AND r.role = $2 ORDER BY p.name, p.id";
/// Who works beside the person today: in the same team of the same organisation.
const SELECT_TEAMMATES: &str = "SELECT DISTINCT p.id, p.name, p.email FROM employment mine \
     JOIN employment theirs ON theirs.org_id = mine.org_id AND theirs.team_id = mine.team_id \
     JOIN person p ON p.id = theirs.person_id \
     WHERE mine.person_id = $1 AND theirs.person_id <> $1 \
     AND mine.start_date <= $2 AND (mine.end_date IS NULL OR mine.end_date >= $2) \
     AND theirs.start_date <= $2 AND (theirs.end_date IS NULL OR theirs.end_date >= $2) \
     ORDER BY p.name, p.id LIMIT 100";
const SELECT_SUPERVISEES: &str =
    "SELECT supervisee_id FROM supervision_link WHERE supervisor_id = $1 AND org_id = $2";
const INSERT_SUPERVISION: &str = "INSERT INTO supervision_link (supervisor_id, supervisee_id, org_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
const SELECT_ORG_PEOPLE: &str = "SELECT p.id, p.email, p.name, e.job_role, t.name AS team_name, e.start_date, e.hours_per_week \
     FROM employment e JOIN person p ON p.id = e.person_id LEFT JOIN team t ON t.id = e.team_id \
     WHERE e.org_id = $1 AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2) \
     AND ($5 = '' OR lower(p.name) LIKE $5 ESCAPE '\\' OR p.email LIKE $5 ESCAPE '\\') \
     ORDER BY p.name, p.id LIMIT $3 OFFSET $4";
const COUNT_ORG_PEOPLE: &str = "SELECT COUNT(*) FROM employment e JOIN person p ON p.id = e.person_id \
     WHERE e.org_id = $1 AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2) \
     AND ($3 = '' OR lower(p.name) LIKE $3 ESCAPE '\\' OR p.email LIKE $3 ESCAPE '\\')";
const SELECT_ROLES_IN_ORG: &str =
    "SELECT person_id, role FROM role_grant WHERE org_id = $1 AND person_id = $2 ORDER BY role";
const SELECT_SUPERVISORS_IN_ORG: &str = "SELECT p.id, p.name FROM supervision_link s JOIN person p ON p.id = s.supervisor_id \
     WHERE s.supervisee_id = $1 AND s.org_id = $2 ORDER BY p.name, p.id";
const DELETE_SUPERVISION: &str =
    "DELETE FROM supervision_link WHERE supervisor_id = $1 AND supervisee_id = $2 AND org_id = $3";
const SELECT_EMPLOYEE_BY_EMAIL: &str = "SELECT p.id, p.email, p.name, p.birth_year FROM person p \
     WHERE p.email = $1 AND EXISTS (SELECT 1 FROM employment e WHERE e.person_id = p.id AND e.org_id = $2 \
     AND e.start_date <= $3 AND (e.end_date IS NULL OR e.end_date >= $3))";
const UPSERT_INVITATION: &str = "INSERT INTO employment_invitation (id, org_id, person_id, offer, created_at, updated_at, status) \
     VALUES ($1, $2, $3, $4, $5, $5, 'waiting') \
     ON CONFLICT (org_id, person_id) DO UPDATE SET offer = excluded.offer, updated_at = excluded.updated_at \
     WHERE employment_invitation.status = 'waiting'";
const SELECT_INVITATION_STATUS: &str =
    "SELECT status FROM employment_invitation WHERE org_id = $1 AND person_id = $2";
const DECIDE_INVITATION: &str = "UPDATE employment_invitation SET status = $3, decided_at = $4 \
     WHERE id = $1 AND person_id = $2 AND status = 'waiting'";
const SELECT_SETTING: &str = "SELECT value FROM setting WHERE key = $1";
const UPSERT_SETTING: &str = "INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

/// A person currently employed by an organisation, as the organisation's lists show them.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OrgMember {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub job_role: String,
    pub team_name: Option<String>,
    pub start_date: Date,
    #[serde(skip)]
    pub hours_per_week: i64,
}

pub async fn insert_org(
    db: &Db,
    name: &str,
    kind: &str,
    now: OffsetDateTime,
) -> Result<Organisation, sqlx::Error> {
    let id = Uuid::now_v7();
    crate::db::execute(db, INSERT_ORG, (id, name, kind, now))
        .await
        .map(|_| ())?;
    Ok(Organisation {
        id,
        name: name.to_owned(),
        kind: kind.to_owned(),
    })
}

pub async fn list_orgs(db: &Db) -> Result<Vec<Organisation>, sqlx::Error> {
    on_db!(db, |pool| sqlx::query_as(SELECT_ORGS).fetch_all(pool).await)
}

pub async fn get_org(db: &Db, id: Uuid) -> Result<Option<Organisation>, sqlx::Error> {
    crate::db::row(db, SELECT_ORG, (id,)).await
}

pub async fn insert_team(
    db: &Db,
    org_id: Uuid,
    name: &str,
    service: &str,
    locality: &str,
    town: Option<&str>,
) -> Result<Team, sqlx::Error> {
    let id = Uuid::now_v7();
    crate::db::execute(db, INSERT_TEAM, (id, org_id, name, service, locality, town))
        .await
        .map(|_| ())?;
    Ok(Team {
        town: town.map(str::to_owned),
        id,
        org_id,
        name: name.to_owned(),
        service: service.to_owned(),
        locality: locality.to_owned(),
    })
}

const SET_TEAM_TOWN: &str = "UPDATE team SET town = $3 WHERE id = $2 AND org_id = $1";

/// Where a team is based; false when the organisation has no such team.
pub async fn set_team_town(
    db: &Db,
    org_id: Uuid,
    team_id: Uuid,
    town: Option<&str>,
) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| sqlx::query(SET_TEAM_TOWN)
        .bind(org_id)
        .bind(team_id)
        .bind(town)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1))
}

/// The town of the team the person works in today (their latest job with a known town).
pub async fn team_town(db: &Db, person_id: Uuid, day: Date) -> Result<Option<String>, sqlx::Error> {
    crate::db::scalar(db, SELECT_TEAM_TOWN, (person_id, day)).await
}

/// The day cairn began to hold the person's learning.
pub async fn recorded_since(db: &Db, person_id: Uuid) -> Result<Option<Date>, sqlx::Error> {
    Ok(
        crate::db::scalar::<Option<Date>>(db, RECORDED_SINCE, (person_id,))
            .await?
            .flatten(),
    )
}

/// An imported history reaches back to `earliest`: the record holds the person's learning
/// from then (never moved later), in the import's transaction.
pub async fn history_from_in(
    tx: &mut WriteTx,
    person_id: Uuid,
    earliest: Date,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(HISTORY_FROM)
        .bind(person_id)
        .bind(earliest)
        .execute(&mut *conn)
        .await
        .map(|_| ()))
}

pub async fn list_teams(db: &Db, org_id: Uuid) -> Result<Vec<Team>, sqlx::Error> {
    crate::db::rows(db, SELECT_TEAMS, (org_id,)).await
}

/// Creates a person with their employment, registrations and roles, all or nothing.
pub async fn insert_person(
    db: &Db,
    person: &NewPerson,
    now: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let id = insert_person_in(&mut tx, person, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`insert_person`] inside a transaction the caller commits.
pub async fn insert_person_in(
    tx: &mut WriteTx,
    person: &NewPerson,
    now: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    on_tx!(tx, |conn| {
        sqlx::query(INSERT_PERSON)
            .bind(id)
            .bind(person.email.as_str())
            .bind(&person.name)
            .bind(&person.password_hash)
            .bind(person.birth_year)
            .bind(now)
            .bind(crate::zone::current().date(now))
            .execute(&mut *conn)
            .await?;
        if let Some(employment) = &person.employment {
            insert_employment_sql(employment, id)
                .execute(&mut *conn)
                .await?;
        }
        for registration in &person.registrations {
            insert_registration_sql(registration, id)
                .execute(&mut *conn)
                .await?;
        }
        for (org_id, role) in &person.roles {
            sqlx::query(INSERT_ROLE)
                .bind(id)
                .bind(org_id)
                .bind(role)
                .execute(&mut *conn)
                .await?;
        }
        Ok::<_, sqlx::Error>(())
    })?;
    crate::standing::service::refresh_standing_in(tx, id, now).await?;
    Ok(id)
}

fn insert_employment_sql<'a, DB>(
    employment: &'a NewEmployment,
    person_id: Uuid,
) -> sqlx::query::Query<'a, DB, <DB as sqlx::Database>::Arguments>
where
    DB: sqlx::Database,
    Uuid: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    Option<Uuid>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    Date: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    Option<Date>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    sqlx::query(INSERT_EMPLOYMENT)
        .bind(Uuid::now_v7())
        .bind(person_id)
        .bind(employment.org_id)
        .bind(employment.team_id)
        .bind(employment.job_role.as_str())
        .bind(employment.start_date)
        .bind(employment.end_date)
        .bind(employment.hours_per_week.units())
}

fn insert_registration_sql<'a, DB>(
    registration: &'a NewRegistration,
    person_id: Uuid,
) -> sqlx::query::Query<'a, DB, <DB as sqlx::Database>::Arguments>
where
    DB: sqlx::Database,
    Uuid: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    Date: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    sqlx::query(INSERT_REGISTRATION)
        .bind(Uuid::now_v7())
        .bind(person_id)
        .bind(registration.register.as_str())
        .bind(registration.part.as_str())
        .bind(registration.start_date)
        .bind(registration.first)
}

/// Updates a person from an HR feed: their name, their employment in `org_id` (created or
/// replaced), registrations added, and their roles in that organisation set.
pub async fn update_person_from_feed_in(
    tx: &mut WriteTx,
    person_id: Uuid,
    person: &NewPerson,
    org_id: Uuid,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    on_tx!(&mut *tx, |conn| {
        sqlx::query(UPDATE_PERSON)
            .bind(person_id)
            .bind(&person.name)
            .bind(person.birth_year)
            .bind(now)
            .bind(crate::zone::current().date(now))
            .execute(&mut *conn)
            .await?;
        Ok::<_, sqlx::Error>(())
    })?;
    if let Some(employment) = &person.employment
        && !update_latest_employment_in(tx, person_id, employment, now).await?
    {
        on_tx!(&mut *tx, |conn| insert_employment_sql(
            employment, person_id
        )
        .execute(&mut *conn)
        .await
        .map(|_| ()))?;
    }
    on_tx!(tx, |conn| {
        for registration in &person.registrations {
            insert_registration_sql(registration, person_id)
                .execute(&mut *conn)
                .await?;
        }
        sqlx::query(DELETE_ROLES_IN_ORG)
            .bind(person_id)
            .bind(org_id)
            .execute(&mut *conn)
            .await?;
        for (role_org, role) in &person.roles {
            sqlx::query(INSERT_ROLE)
                .bind(person_id)
                .bind(role_org)
                .bind(role)
                .execute(&mut *conn)
                .await?;
        }
        Ok::<_, sqlx::Error>(())
    })?;
    crate::standing::service::refresh_standing_in(tx, person_id, now).await
}

/// Replaces the latest employment the person has had with the employment's organisation
/// (a feed's row, or a leaver's correction); `false` when there is none to replace.
pub async fn update_latest_employment_in(
    tx: &mut WriteTx,
    person_id: Uuid,
    employment: &NewEmployment,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let updated = on_tx!(&mut *tx, |conn| {
        let existing: Option<Uuid> = sqlx::query_scalar(SELECT_EMPLOYMENT_IN_ORG)
            .bind(person_id)
            .bind(employment.org_id)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(employment_id) = existing else {
            return Ok(false);
        };
        sqlx::query(UPDATE_EMPLOYMENT)
            .bind(employment_id)
            .bind(employment.team_id)
            .bind(&employment.job_role)
            .bind(employment.start_date)
            .bind(employment.end_date)
            .bind(employment.hours_per_week.units())
            .execute(&mut *conn)
            .await?;
        Ok::<_, sqlx::Error>(true)
    })?;
    if updated {
        crate::standing::service::refresh_standing_in(tx, person_id, now).await?;
    }
    Ok(updated)
}

pub async fn person_by_email(db: &Db, email: &str) -> Result<Option<Person>, sqlx::Error> {
    crate::db::row(db, SELECT_PERSON_BY_EMAIL, (email,)).await
}

pub async fn get_person(db: &Db, id: Uuid) -> Result<Option<Person>, sqlx::Error> {
    crate::db::row(db, SELECT_PERSON, (id,)).await
}

pub async fn employments_of(db: &Db, person_id: Uuid) -> Result<Vec<Employment>, sqlx::Error> {
    crate::db::rows(db, SELECT_EMPLOYMENTS, (person_id,)).await
}

pub async fn registrations_of(db: &Db, person_id: Uuid) -> Result<Vec<Registration>, sqlx::Error> {
    crate::db::rows(db, SELECT_REGISTRATIONS, (person_id,)).await
}

pub async fn roles_of(db: &Db, person_id: Uuid) -> Result<Vec<RoleGrant>, sqlx::Error> {
    let rows: Vec<(Uuid, String)> = crate::db::rows(db, SELECT_ROLES, (person_id,)).await?;
    rows.into_iter()
        .map(|(org_id, role)| crate::auth::service::role_grant(org_id, &role))
        .collect()
}

/// The people who hold `role` in the organisation: (id, name), by name.
pub async fn people_with_role(
    db: &Db,
    org_id: Uuid,
    role: &str,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    crate::db::rows(db, SELECT_WITH_ROLE, (org_id, role)).await
}

/// (id, name, email) of up to 100 people in the person's teams today, by name.
pub async fn teammates_of(
    db: &Db,
    person_id: Uuid,
    today: Date,
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    crate::db::rows(db, SELECT_TEAMMATES, (person_id, today)).await
}

/// The people `supervisor_id` supervises in the organisation.
pub async fn supervisees_of(
    db: &Db,
    supervisor_id: Uuid,
    org_id: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    crate::db::scalars(db, SELECT_SUPERVISEES, (supervisor_id, org_id)).await
}

pub async fn add_supervision(
    db: &Db,
    supervisor_id: Uuid,
    supervisee_id: Uuid,
    org_id: Uuid,
) -> Result<(), sqlx::Error> {
    set_supervision(db, (supervisor_id, supervisee_id, org_id), true).await
}

/// Makes the first of `(supervisor, supervisee, organisation)` the second's supervisor there,
/// or (with `supervises` false) ends it.
pub async fn set_supervision(
    db: &Db,
    who: (Uuid, Uuid, Uuid),
    supervises: bool,
) -> Result<(), sqlx::Error> {
    let sql = if supervises {
        INSERT_SUPERVISION
    } else {
        DELETE_SUPERVISION
    };
    crate::db::execute(db, sql, who).await.map(|_| ())
}

/// People employed by the organisation on `day`, by name, a page at a time; `search` (if not
/// empty) keeps those whose name or email contains it, ignoring case.
pub async fn org_members(
    db: &Db,
    org_id: Uuid,
    day: Date,
    search: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<OrgMember>, sqlx::Error> {
    let pattern = crate::db::contains_pattern(search.trim());
    crate::db::rows(
        db,
        SELECT_ORG_PEOPLE,
        (org_id, day, limit, offset, &pattern),
    )
    .await
}

/// How many people [`org_members`] would list in all.
pub async fn count_org_members(
    db: &Db,
    org_id: Uuid,
    day: Date,
    search: &str,
) -> Result<i64, sqlx::Error> {
    let pattern = crate::db::contains_pattern(search.trim());
    crate::db::scalar_one(db, COUNT_ORG_PEOPLE, (org_id, day, &pattern)).await
}

/// The person's roles in one organisation.
pub async fn roles_in_org(
    db: &Db,
    person_id: Uuid,
    org_id: Uuid,
) -> Result<Vec<Role>, sqlx::Error> {
    let rows: Vec<(Uuid, String)> =
        crate::db::rows(db, SELECT_ROLES_IN_ORG, (org_id, person_id)).await?;
    rows.into_iter()
        .map(|(_, role)| crate::auth::service::role_grant(org_id, &role).map(|grant| grant.role))
        .collect()
}

/// Replaces the person's roles in one organisation, all or nothing.
pub async fn set_roles_in_org(
    db: &Db,
    person_id: Uuid,
    org_id: Uuid,
    roles: &[Role],
) -> Result<(), sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(DELETE_ROLES_IN_ORG)
            .bind(person_id)
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        for role in roles {
            sqlx::query(INSERT_ROLE)
                .bind(person_id)
                .bind(org_id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })
}

/// The person's supervisors in one organisation: (id, name).
pub async fn supervisors_in_org(
    db: &Db,
    person_id: Uuid,
    org_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    crate::db::rows(db, SELECT_SUPERVISORS_IN_ORG, (person_id, org_id)).await
}

/// A small key-value setting (e.g. whether the demo has been created).
pub async fn setting(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    crate::db::scalar(db, SELECT_SETTING, (key,)).await
}

pub async fn set_setting(db: &Db, key: &str, value: &str) -> Result<(), sqlx::Error> {
    crate::db::execute(db, UPSERT_SETTING, (key, value))
        .await
        .map(|_| ())
}

/// The person with this email, only if the organisation employs them on `day`: what an
/// organisation's forms (supervisor, mentor) may name, so they never tell whether an email
/// exists elsewhere.
pub async fn employee_by_email(
    db: &Db,
    org_id: Uuid,
    email: &str,
    day: Date,
) -> Result<Option<Person>, sqlx::Error> {
    crate::db::row(db, SELECT_EMPLOYEE_BY_EMAIL, (email, org_id, day)).await
}

/// Invites the person (or, while they have not answered, updates what is offered), and tells
/// them the first time. An invitation once answered is left as it is.
pub async fn invite_in(
    tx: &mut WriteTx,
    org_id: Uuid,
    person_id: Uuid,
    offer: &super::Offer,
    message: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let offer_json = serde_json::to_string(offer).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let id = Uuid::now_v7();
    on_tx!(tx, |conn| {
        let before: Option<String> = sqlx::query_scalar(SELECT_INVITATION_STATUS)
            .bind(org_id)
            .bind(person_id)
            .fetch_optional(&mut *conn)
            .await?;
        sqlx::query(UPSERT_INVITATION)
            .bind(id)
            .bind(org_id)
            .bind(person_id)
            .bind(&offer_json)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        if before.is_none() {
            sqlx::query(INSERT_NOTIFICATION)
                .bind(Uuid::now_v7())
                .bind(person_id)
                .bind("invitation")
                .bind(message)
                .bind(format!("/invitations/{id}"))
                .bind(now)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    })
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: Uuid,
    org_id: Uuid,
    org_name: String,
    person_id: Uuid,
    email: String,
    offer: String,
    status: String,
    created_at: OffsetDateTime,
}

impl TryFrom<InvitationRow> for super::Invitation {
    type Error = sqlx::Error;
    fn try_from(row: InvitationRow) -> Result<Self, Self::Error> {
        Ok(super::Invitation {
            offer: serde_json::from_str(&row.offer)
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            id: row.id,
            org_id: row.org_id,
            org_name: row.org_name,
            person_id: row.person_id,
            email: row.email,
            status: crate::db::parsed(row.status)?,
            created_at: row.created_at,
        })
    }
}

/// The invitations' columns with their organisation's name and the person's email, then
/// `$where`.
macro_rules! select_invitations {
    ($where:literal) => {
        concat!(
            "SELECT i.id, i.org_id, o.name AS org_name, i.person_id, p.email, i.offer, i.status, i.created_at \
             FROM employment_invitation i JOIN organisation o ON o.id = i.org_id JOIN person p ON p.id = i.person_id ",
            $where
        )
    };
}
const INVITATIONS_OF_PERSON: &str =
    select_invitations!("WHERE i.person_id = $1 ORDER BY i.created_at DESC");
const INVITATIONS_OF_ORG: &str = select_invitations!(
    "WHERE i.org_id = $1 AND i.status <> 'accepted' ORDER BY i.created_at DESC LIMIT 500"
);
const INVITATION_BY_ID: &str = select_invitations!("WHERE i.id = $1");

/// The person's invitations, newest first.
pub async fn invitations_of_person(
    db: &Db,
    person_id: Uuid,
) -> Result<Vec<super::Invitation>, sqlx::Error> {
    let rows: Vec<InvitationRow> = crate::db::rows(db, INVITATIONS_OF_PERSON, (person_id,)).await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// The organisation's invitations not (yet) accepted, newest first (the latest 500).
pub async fn invitations_of_org(
    db: &Db,
    org_id: Uuid,
) -> Result<Vec<super::Invitation>, sqlx::Error> {
    let rows: Vec<InvitationRow> = crate::db::rows(db, INVITATIONS_OF_ORG, (org_id,)).await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn invitation(db: &Db, id: Uuid) -> Result<Option<super::Invitation>, sqlx::Error> {
    let row: Option<InvitationRow> = crate::db::row(db, INVITATION_BY_ID, (id,)).await?;
    row.map(TryInto::try_into).transpose()
}

/// Accepts a waiting invitation: the employment, registrations, roles and (when the named
/// supervisor works there) the supervision link, all in one transaction with the answer.
/// False when it was not waiting (answered already, or not the person's).
pub async fn accept_invitation(
    db: &Db,
    invitation: &super::Invitation,
    supervisor: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let offer = &invitation.offer;
    let mut tx = db.begin_write().await?;
    let answered = on_tx!(&mut tx, |conn| {
        let answered = sqlx::query(DECIDE_INVITATION)
            .bind(invitation.id)
            .bind(invitation.person_id)
            .bind(super::InvitationStatus::Accepted.as_str())
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        if answered != 1 {
            return Ok::<_, sqlx::Error>(false);
        }
        insert_employment_sql(&offer.employment, invitation.person_id)
            .execute(&mut *conn)
            .await?;
        for registration in &offer.registrations {
            insert_registration_sql(registration, invitation.person_id)
                .execute(&mut *conn)
                .await?;
        }
        for role in &offer.roles {
            sqlx::query(INSERT_ROLE)
                .bind(invitation.person_id)
                .bind(invitation.org_id)
                .bind(role)
                .execute(&mut *conn)
                .await?;
        }
        if let Some(supervisor) = supervisor {
            sqlx::query(INSERT_SUPERVISION)
                .bind(supervisor)
                .bind(invitation.person_id)
                .bind(invitation.org_id)
                .execute(&mut *conn)
                .await?;
        }
        Ok::<_, sqlx::Error>(true)
    })?;
    if !answered {
        tx.rollback().await?;
        return Ok(false);
    }
    crate::standing::service::refresh_standing_in(&mut tx, invitation.person_id, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Declines a waiting invitation; false when it was not waiting.
pub async fn decline_invitation(
    db: &Db,
    invitation: &super::Invitation,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    on_db!(db, |pool| sqlx::query(DECIDE_INVITATION)
        .bind(invitation.id)
        .bind(invitation.person_id)
        .bind(super::InvitationStatus::Declined.as_str())
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected() == 1))
}

/// What an organisation's feed needs to know about a person it names by email.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedMatch {
    pub id: Uuid,
    pub email: String,
    /// Employed by the organisation now or from a date to come: its feed may change them.
    pub held: bool,
    /// Employed by the organisation today: they may be named as a supervisor.
    pub employed: bool,
    /// Employed by the organisation at some time: a leaver's row may correct the past.
    pub ever_employed: bool,
    /// How an invitation from the organisation stands, if there is one.
    pub invitation: Option<String>,
}

/// [`FeedMatch`] for every one of `emails` that has a cairn record, in one query (a feed
/// looks up its lines a chunk at a time, never a query per line).
pub async fn feed_matches_in(
    tx: &mut WriteTx,
    org_id: Uuid,
    emails: &[&str],
    day: Date,
) -> Result<Vec<FeedMatch>, sqlx::Error> {
    if emails.is_empty() {
        return Ok(Vec::new());
    }
    fn query<DB: sqlx::Database>(org_id: Uuid, emails: &[&str], day: Date) -> sqlx::QueryBuilder<DB>
    where
        <DB as sqlx::Database>::Arguments: Default,
        Uuid: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
        Date: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
        String: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    {
        let mut sql = sqlx::QueryBuilder::new(
            "SELECT p.id, p.email, EXISTS (SELECT 1 FROM employment e WHERE e.person_id = p.id AND e.org_id = ",
        );
        sql.push_bind(org_id)
            .push(" AND (e.end_date IS NULL OR e.end_date >= ")
            .push_bind(day)
            .push(")) AS held, EXISTS (SELECT 1 FROM employment e WHERE e.person_id = p.id AND e.org_id = ")
            .push_bind(org_id)
            .push(" AND e.start_date <= ")
            .push_bind(day)
            .push(" AND (e.end_date IS NULL OR e.end_date >= ")
            .push_bind(day)
            .push(")) AS employed, EXISTS (SELECT 1 FROM employment e WHERE e.person_id = p.id AND e.org_id = ")
            .push_bind(org_id)
            .push(") AS ever_employed, (SELECT i.status FROM employment_invitation i WHERE i.person_id = p.id AND i.org_id = ")
            .push_bind(org_id)
            .push(") AS invitation FROM person p WHERE p.email IN (");
        let mut list = sql.separated(", ");
        for email in emails {
            list.push_bind((*email).to_owned());
        }
        sql.push(")");
        sql
    }
    on_tx!(tx, |conn| {
        let mut sql = query(org_id, emails, day);
        sql.build_query_as().fetch_all(&mut *conn).await
    })
}

/// [`add_supervision`] inside a transaction the caller commits.
pub async fn add_supervision_in(
    tx: &mut WriteTx,
    supervisor_id: Uuid,
    supervisee_id: Uuid,
    org_id: Uuid,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(INSERT_SUPERVISION)
        .bind(supervisor_id)
        .bind(supervisee_id)
        .bind(org_id)
        .execute(&mut *conn)
        .await
        .map(|_| ()))
}
