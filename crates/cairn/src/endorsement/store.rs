//! SQL for endorsement requests: asking, and endorsing (which marks the entries) or
//! returning, each in one transaction.

use crate::db::{BeginWrite, Db};
use crate::notifications::INSERT_NOTIFICATION;
use crate::on_db;
use crate::on_tx;
use cairn_core::status::EndorsementStatus;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const INSERT_REQUEST: &str = "INSERT INTO endorsement_request (id, person_id, endorser_id, message, status, comment, requested_at) \
     VALUES ($1, $2, $3, $4, 'requested', '', $5)";
const INSERT_ITEM: &str = "INSERT INTO endorsement_item (request_id, entry_id) VALUES ($1, $2)";
const SELECT_REQUEST: &str = "SELECT r.id, r.person_id, p.name AS person_name, r.endorser_id, e.name AS endorser_name, r.message, r.status, r.comment, r.requested_at \
     FROM endorsement_request r JOIN person p ON p.id = r.person_id JOIN person e ON e.id = r.endorser_id WHERE r.id = $1";
const SELECT_FOR_ENDORSER: &str = "SELECT r.id, r.person_id, p.name AS person_name, r.endorser_id, e.name AS endorser_name, r.message, r.status, r.comment, r.requested_at \
     FROM endorsement_request r JOIN person p ON p.id = r.person_id JOIN person e ON e.id = r.endorser_id \
     WHERE r.endorser_id = $1 AND r.status = 'requested' ORDER BY r.requested_at, r.id LIMIT 100";
const SELECT_OF_PERSON: &str = "SELECT r.id, r.person_id, p.name AS person_name, r.endorser_id, e.name AS endorser_name, r.message, r.status, r.comment, r.requested_at \
     FROM endorsement_request r JOIN person p ON p.id = r.person_id JOIN person e ON e.id = r.endorser_id \
     WHERE r.person_id = $1 ORDER BY r.requested_at DESC, r.id DESC LIMIT 50";
const SELECT_ITEMS: &str = "SELECT en.id, en.date, en.title, en.kind, en.hours, en.reflection, en.reflection_so_what, en.reflection_now_what, en.endorsed \
     FROM endorsement_item i JOIN entry en ON en.id = i.entry_id WHERE i.request_id = $1 AND en.deleted_at IS NULL ORDER BY en.date DESC, en.id";
const SELECT_STATUS: &str = "SELECT status FROM endorsement_request WHERE id = $1";
const DECIDE: &str = "UPDATE endorsement_request SET status = $2, comment = $3, decided_at = $4 WHERE id = $1 AND status = 'requested'";
const ENDORSE_ENTRIES: &str = "UPDATE entry SET endorsed = TRUE, updated_at = $2, version = version + 1 \
     WHERE id IN (SELECT entry_id FROM endorsement_item WHERE request_id = $1) AND deleted_at IS NULL";

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Request {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub endorser_id: Uuid,
    pub endorser_name: String,
    pub message: String,
    #[sqlx(try_from = "String")]
    pub status: EndorsementStatus,
    pub comment: String,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
}

/// An entry as the endorser reads it.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Item {
    pub id: Uuid,
    pub date: Date,
    pub title: String,
    pub kind: String,
    pub hours: i64,
    pub reflection: Option<String>,
    pub reflection_so_what: Option<String>,
    pub reflection_now_what: Option<String>,
    pub endorsed: bool,
}

/// Asks `endorser_id` to endorse the entries, telling them; all or nothing.
pub async fn insert_request(
    db: &Db,
    person_id: Uuid,
    endorser_id: Uuid,
    entries: &[Uuid],
    message: &str,
    notice: &str,
    now: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(INSERT_REQUEST)
            .bind(id)
            .bind(person_id)
            .bind(endorser_id)
            .bind(message)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        for entry in entries {
            sqlx::query(INSERT_ITEM)
                .bind(id)
                .bind(entry)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(INSERT_NOTIFICATION)
            .bind(Uuid::now_v7())
            .bind(endorser_id)
            .bind("endorsement-requested")
            .bind(notice)
            .bind("/endorsements")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })?;
    Ok(id)
}

pub async fn request(db: &Db, id: Uuid) -> Result<Option<Request>, sqlx::Error> {
    crate::db::row(db, SELECT_REQUEST, (id,)).await
}

pub async fn waiting_for(db: &Db, endorser_id: Uuid) -> Result<Vec<Request>, sqlx::Error> {
    crate::db::rows(db, SELECT_FOR_ENDORSER, (endorser_id,)).await
}

pub async fn requests_of(db: &Db, person_id: Uuid) -> Result<Vec<Request>, sqlx::Error> {
    crate::db::rows(db, SELECT_OF_PERSON, (person_id,)).await
}

pub async fn items(db: &Db, request_id: Uuid) -> Result<Vec<Item>, sqlx::Error> {
    crate::db::rows(db, SELECT_ITEMS, (request_id,)).await
}

/// Endorses (marking every entry of the request) or returns it, telling the person; false
/// when it had already been decided.
pub async fn decide(
    db: &Db,
    request_id: Uuid,
    endorse: bool,
    comment: &str,
    (person_id, notice): (Uuid, &str),
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let decided_now = on_tx!(&mut tx, |conn| {
        let status: Option<String> = sqlx::query_scalar(SELECT_STATUS)
            .bind(request_id)
            .fetch_optional(&mut *conn)
            .await?;
        let decided = if endorse {
            EndorsementStatus::Endorsed
        } else {
            EndorsementStatus::Returned
        };
        let status = status
            .map(crate::db::parsed::<EndorsementStatus>)
            .transpose()?;
        let changed = status == Some(EndorsementStatus::Requested)
            && sqlx::query(DECIDE)
                .bind(request_id)
                .bind(decided.as_str())
                .bind(comment)
                .bind(now)
                .execute(&mut *conn)
                .await?
                .rows_affected()
                == 1;
        if !changed {
            return Ok::<_, sqlx::Error>(false);
        }
        if endorse {
            sqlx::query(ENDORSE_ENTRIES)
                .bind(request_id)
                .bind(now)
                .execute(&mut *conn)
                .await?;
        }
        sqlx::query(INSERT_NOTIFICATION)
            .bind(Uuid::now_v7())
            .bind(person_id)
            .bind(if endorse {
                "endorsed"
            } else {
                "endorsement-returned"
            })
            .bind(notice)
            .bind("/endorsements")
            .bind(now)
            .execute(&mut *conn)
            .await?;
        Ok::<_, sqlx::Error>(true)
    })?;
    if !decided_now {
        tx.rollback().await?;
        return Ok(false);
    }
    // Endorsed entries count where a rule asks for endorsement.
    crate::standing::service::refresh_standing_in(&mut tx, person_id, now).await?;
    tx.commit().await?;
    Ok(true)
}
