//! SQL for the catalogue. Booking is safe under concurrency on both databases: every change
//! to a session's places first locks the session's row (an UPDATE that changes nothing: a row
//! lock in PostgreSQL, the write lock in SQLite), then takes a place with one conditional
//! UPDATE, so two people can never both get the last place and a freed place always goes to
//! the first person waiting.

use super::{Booking, BookingStatus, Opportunity, Session};
use crate::db::{BeginWrite, Db, join_tags};
use crate::notifications::notify;
pub use crate::notifications::{Notice, Notification};
use crate::on_db;
use crate::on_tx;
use cairn_core::catalogue::ValidOpportunity;
use cairn_core::{Hours, ValidEntry};
use time::OffsetDateTime;
use uuid::Uuid;

const INSERT_OPPORTUNITY: &str = "INSERT INTO opportunity (id, org_id, title, provider, description, kind, mode, topics, elements, hours, cost_pence, visibility, partners, created_by, created_at, approval_stages, cancel_notice_days, follow_up_days) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
const INSERT_SESSION: &str = "INSERT INTO opportunity_session (id, opportunity_id, starts_at, ends_at, venue, locality, online_link, capacity, town) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
macro_rules! opportunity_columns {
    () => {
        "SELECT o.id, o.org_id, o.title, o.provider, o.description, o.kind, o.mode, o.topics, o.elements, o.hours, o.cost_pence, o.visibility, o.partners, o.approval_stages, o.cancel_notice_days, o.follow_up_days FROM opportunity o "
    };
}
const SELECT_OPPORTUNITY: &str = concat!(opportunity_columns!(), "WHERE o.id = $1");
// The search: who may book ($1, $2), words ($3), topic ($4), mode ($5), element ($7), most
// it may cost ($8, -1 for any), online only ($9), and, when $10 is 1, a session starting in
// [$11, $12) held online or in one of the towns $13 (|id|id|; empty for anywhere), or no
// sessions at all (self-paced learning is available any time, anywhere).
const SEARCH_OPPORTUNITIES: &str = concat!(
    opportunity_columns!(),
    "WHERE (o.visibility = 'everyone' OR o.org_id = $1 OR (o.visibility = 'partners' AND o.partners LIKE $2)) \
     AND ($3 = '' OR lower(o.title) LIKE $3 ESCAPE '\\' OR lower(o.description) LIKE $3 ESCAPE '\\' OR lower(o.provider) LIKE $3 ESCAPE '\\') \
     AND ($4 = '' OR o.topics LIKE $4) AND ($5 = '' OR o.mode = $5) AND ($7 = '' OR o.elements LIKE $7) \
     AND ($8 < 0 OR o.cost_pence <= $8) \
     AND ($9 = 0 OR o.mode = 'online' OR EXISTS (SELECT 1 FROM opportunity_session so WHERE so.opportunity_id = o.id AND so.online_link IS NOT NULL)) \
     AND ($10 = 0 OR NOT EXISTS (SELECT 1 FROM opportunity_session sn WHERE sn.opportunity_id = o.id) \
          OR EXISTS (SELECT 1 FROM opportunity_session s WHERE s.opportunity_id = o.id AND s.starts_at >= $11 AND s.starts_at < $12 \
                     AND ($13 = '' OR o.mode = 'online' OR s.online_link IS NOT NULL OR $13 LIKE ('%|' || s.town || '|%')))) \
     ORDER BY o.title, o.id LIMIT $6"
);
const SELECT_SESSIONS: &str = "SELECT s.id, s.starts_at, s.ends_at, s.venue, s.locality, s.online_link, s.town, s.capacity, s.booked, \
     (SELECT COUNT(*) FROM booking b WHERE b.session_id = s.id AND b.status = 'waiting') AS waiting \
     FROM opportunity_session s WHERE s.opportunity_id = $1 ORDER BY s.starts_at, s.id";
const SELECT_SESSION_OPPORTUNITY: &str =
    "SELECT opportunity_id FROM opportunity_session WHERE id = $1";
pub(super) const LOCK_SESSION: &str =
    "UPDATE opportunity_session SET booked = booked WHERE id = $1";
pub(super) const TAKE_PLACE: &str =
    "UPDATE opportunity_session SET booked = booked + 1 WHERE id = $1 AND booked < capacity";
const FREE_PLACE: &str =
    "UPDATE opportunity_session SET booked = booked - 1 WHERE id = $1 AND booked > 0";
const SELECT_BOOKING_OF: &str =
    "SELECT id, status FROM booking WHERE session_id = $1 AND person_id = $2";
const INSERT_BOOKING: &str = "INSERT INTO booking (id, session_id, person_id, status, requested_at, updated_at, nominated_by) VALUES ($1, $2, $3, $4, $5, $5, $6)";
const REBOOK: &str = "UPDATE booking SET status = $2, requested_at = $3, updated_at = $3, entry_id = NULL, nominated_by = $4, late_cancellation = FALSE WHERE id = $1";
/// The latest request for the session: a new one is placed after it, so that the waiting
/// list's order is the order in which requests took the session's lock.
const LATEST_REQUEST: &str = "SELECT MAX(requested_at) FROM booking WHERE session_id = $1";
const FORGET_APPROVALS: &str = "DELETE FROM booking_approval WHERE booking_id = $1";
pub(super) const INSERT_APPROVAL: &str = "INSERT INTO booking_approval (booking_id, stage, decided_by, approved, comment, decided_at) VALUES ($1, $2, $3, $4, $5, $6)";
const CANCEL: &str = "UPDATE booking SET status = 'cancelled', updated_at = $2, late_cancellation = $3 WHERE id = $1";
pub(super) const SET_STATUS: &str = "UPDATE booking SET status = $2, updated_at = $3 WHERE id = $1";
pub(super) const SELECT_BOOKING: &str =
    "SELECT session_id, person_id, status FROM booking WHERE id = $1";
const FIRST_WAITING: &str = "SELECT id, person_id FROM booking WHERE session_id = $1 AND status = 'waiting' \
     ORDER BY requested_at, id LIMIT 1";
macro_rules! booking_columns {
    () => {
        "SELECT b.id, b.session_id, s.opportunity_id, o.title, s.starts_at, b.status, b.entry_id, \
         (SELECT COUNT(*) FROM booking w WHERE w.session_id = b.session_id AND w.status = 'waiting' \
            AND (w.requested_at < b.requested_at OR (w.requested_at = b.requested_at AND w.id <= b.id))) AS position, \
         (SELECT COUNT(*) FROM booking_approval a WHERE a.booking_id = b.id) AS approvals, o.approval_stages, \
         b.late_cancellation, b.nominated_by \
         FROM booking b JOIN opportunity_session s ON s.id = b.session_id JOIN opportunity o ON o.id = s.opportunity_id "
    };
}
const SELECT_BOOKINGS_OF_PERSON: &str = concat!(
    booking_columns!(),
    "WHERE b.person_id = $1 ORDER BY s.starts_at DESC, b.id"
);
const SELECT_ONE_BOOKING: &str = concat!(booking_columns!(), "WHERE b.id = $1");
const SELECT_SESSION_BOOKINGS: &str = "SELECT b.id, b.person_id, p.name, b.status, b.entry_id FROM booking b JOIN person p ON p.id = b.person_id \
     WHERE b.session_id = $1 ORDER BY CASE b.status WHEN 'waiting' THEN 1 WHEN 'cancelled' THEN 2 ELSE 0 END, b.requested_at, b.id";
const SELECT_ENTRY_OF: &str = "SELECT entry_id FROM booking WHERE id = $1";
const SET_ENTRY: &str = "UPDATE booking SET entry_id = $2 WHERE id = $1 AND entry_id IS NULL";

#[derive(sqlx::FromRow)]
struct OpportunityRow {
    id: Uuid,
    org_id: Uuid,
    title: String,
    provider: String,
    description: String,
    kind: String,
    mode: String,
    topics: String,
    elements: String,
    hours: i64,
    cost_pence: i64,
    visibility: String,
    partners: String,
    approval_stages: i64,
    cancel_notice_days: i64,
    follow_up_days: i64,
}

fn split_tags(tags: &str) -> Vec<String> {
    tags.split('|')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

impl OpportunityRow {
    fn into_opportunity(self, sessions: Vec<Session>) -> Opportunity {
        Opportunity {
            id: self.id,
            org_id: self.org_id,
            title: self.title,
            provider: self.provider,
            description: self.description,
            kind: self.kind,
            mode: self.mode,
            topics: split_tags(&self.topics),
            elements: split_tags(&self.elements),
            hours: Hours::from_units(self.hours),
            cost_per_place: super::pounds(self.cost_pence),
            cost_pence: self.cost_pence,
            approval_stages: self.approval_stages,
            cancel_notice_days: self.cancel_notice_days,
            follow_up_days: self.follow_up_days,
            visibility: self.visibility,
            partners: split_tags(&self.partners)
                .iter()
                .filter_map(|p| Uuid::parse_str(p).ok())
                .collect(),
            sessions,
        }
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: Uuid,
    starts_at: OffsetDateTime,
    ends_at: OffsetDateTime,
    venue: Option<String>,
    locality: Option<String>,
    online_link: Option<String>,
    town: Option<String>,
    capacity: i64,
    booked: i64,
    waiting: i64,
}

/// Adds an opportunity and its sessions, all or nothing.
pub async fn insert_opportunity(
    db: &Db,
    org_id: Uuid,
    opportunity: &ValidOpportunity,
    created_by: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let partners: Vec<String> = opportunity.partners.iter().map(Uuid::to_string).collect();
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(INSERT_OPPORTUNITY)
            .bind(id)
            .bind(org_id)
            .bind(&opportunity.title)
            .bind(&opportunity.provider)
            .bind(&opportunity.description)
            .bind(&opportunity.kind)
            .bind(&opportunity.mode)
            .bind(join_tags(&opportunity.topics))
            .bind(join_tags(&opportunity.elements))
            .bind(opportunity.hours.units())
            .bind(opportunity.cost_pence)
            .bind(&opportunity.visibility)
            .bind(join_tags(&partners))
            .bind(created_by)
            .bind(now)
            .bind(opportunity.rules.approval_stages)
            .bind(opportunity.rules.cancel_notice_days)
            .bind(opportunity.rules.follow_up_days)
            .execute(&mut *tx)
            .await?;
        for session in &opportunity.sessions {
            sqlx::query(INSERT_SESSION)
                .bind(Uuid::now_v7())
                .bind(id)
                .bind(session.starts_at)
                .bind(session.ends_at)
                .bind(&session.venue)
                .bind(&session.locality)
                .bind(&session.online_link)
                .bind(session.capacity)
                .bind(&session.town)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })?;
    Ok(id)
}

/// The opportunity with its sessions.
pub async fn get_opportunity(db: &Db, id: Uuid) -> Result<Option<Opportunity>, sqlx::Error> {
    let row: Option<OpportunityRow> = crate::db::row(db, SELECT_OPPORTUNITY, (id,)).await?;
    let Some(row) = row else { return Ok(None) };
    let sessions = sessions_of(db, id).await?;
    Ok(Some(row.into_opportunity(sessions)))
}

async fn sessions_of(db: &Db, opportunity_id: Uuid) -> Result<Vec<Session>, sqlx::Error> {
    let rows: Vec<SessionRow> = crate::db::rows(db, SELECT_SESSIONS, (opportunity_id,)).await?;
    Ok(rows
        .into_iter()
        .map(|r| Session {
            id: r.id,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            venue: r.venue,
            locality: r.locality,
            online_link: r.online_link,
            town: r.town,
            capacity: r.capacity,
            booked: r.booked,
            waiting: r.waiting,
        })
        .collect())
}

/// What the catalogue search keeps.
#[derive(Debug, Default, Clone)]
pub struct Search {
    /// Words in the title, description or provider.
    pub text: String,
    pub topic: String,
    pub element: String,
    pub mode: String,
    /// At most this much a place.
    pub max_cost_pence: Option<i64>,
    /// Only what can be done online.
    pub online_only: bool,
    /// A session starting on or after this day.
    pub from: Option<time::Date>,
    /// A session starting on or before this day.
    pub to: Option<time::Date>,
    /// Held in one of these towns (or online); None for anywhere.
    pub towns: Option<Vec<&'static str>>,
}

impl Search {
    fn sessions_filtered(&self) -> bool {
        self.from.is_some() || self.to.is_some() || self.towns.is_some()
    }
}

/// Opportunities open to someone employed by `org` (or only those open to everyone), by
/// title, without their sessions.
pub async fn search(
    db: &Db,
    org: Option<Uuid>,
    search: &Search,
    limit: i64,
) -> Result<Vec<Opportunity>, sqlx::Error> {
    let partner = org.map_or_else(String::new, |o| format!("%|{o}|%"));
    let text = crate::db::contains_pattern(search.text.trim());
    let tag = |tag: &str| {
        if tag.is_empty() {
            String::new()
        } else {
            format!("%|{tag}|%")
        }
    };
    let midnight = crate::zone::midnight;
    let from = search
        .from
        .map_or(time::OffsetDateTime::UNIX_EPOCH, midnight);
    let to = search.to.and_then(|d| d.next_day()).map_or_else(
        || midnight(time::Date::from_calendar_date(9999, time::Month::January, 1).expect("date")),
        midnight,
    );
    // An empty list of towns matches nothing near (only online sessions), so it is "||".
    let towns = search
        .towns
        .as_ref()
        .map_or_else(String::new, |towns| format!("|{}|", towns.join("|")));
    let rows: Vec<OpportunityRow> = on_db!(db, |pool| sqlx::query_as(SEARCH_OPPORTUNITIES)
        .bind(org)
        .bind(&partner)
        .bind(&text)
        .bind(tag(&search.topic))
        .bind(&search.mode)
        .bind(limit)
        .bind(tag(&search.element))
        .bind(search.max_cost_pence.unwrap_or(-1))
        .bind(i64::from(search.online_only))
        .bind(i64::from(search.sessions_filtered()))
        .bind(from)
        .bind(to)
        .bind(&towns)
        .fetch_all(pool)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| r.into_opportunity(Vec::new()))
        .collect())
}

const SELECT_OFFERED_BY: &str = "SELECT p.name, p.email FROM opportunity o JOIN person p ON p.id = o.created_by WHERE o.id = $1";

/// Who offered the opportunity: (name, email), while they have an account.
pub async fn offered_by(
    db: &Db,
    opportunity_id: Uuid,
) -> Result<Option<(String, String)>, sqlx::Error> {
    crate::db::row(db, SELECT_OFFERED_BY, (opportunity_id,)).await
}

/// The opportunity a session belongs to.
pub async fn opportunity_of_session(
    db: &Db,
    session_id: Uuid,
) -> Result<Option<Uuid>, sqlx::Error> {
    crate::db::scalar(db, SELECT_SESSION_OPPORTUNITY, (session_id,)).await
}

/// What asking for a place gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookOutcome {
    Booked(Uuid),
    Waiting(Uuid),
    /// Waiting for a manager's approval; no place is held yet.
    Pending(Uuid),
    /// The person already holds a place, is waiting for one or for approval.
    AlreadyBooked(Uuid),
}

/// A request for a place, with what approval it needs and already has.
#[derive(Debug, Clone, Default)]
pub struct BookRequest {
    pub session_id: Uuid,
    pub person_id: Uuid,
    /// The manager who put the person forward.
    pub nominated_by: Option<Uuid>,
    /// Approval stages the opportunity needs (0 to 2).
    pub stages: i64,
    /// Stages approved on asking (a nominating manager approves what they may): (stage, by).
    pub approved: Vec<(i64, Uuid)>,
    /// People to tell, and what: the next stage's approvers, the nominated person.
    pub notices: Vec<Notice>,
}

/// Inside a write transaction: takes the lock of the booking's session (every change to a
/// session's places takes it first) and reads the booking's status again under it. `None`
/// when there is no such booking. (A macro: the transaction's type differs between the two
/// databases.)
macro_rules! lock_booking {
    ($tx:expr, $booking_id:expr) => {
        async {
            let found: Option<(Uuid, Uuid, String)> =
                sqlx::query_as($crate::catalogue::store::SELECT_BOOKING)
                    .bind($booking_id)
                    .fetch_optional(&mut *$tx)
                    .await?;
            let Some((session_id, _, _)) = found else {
                return Ok::<_, sqlx::Error>(None);
            };
            sqlx::query($crate::catalogue::store::LOCK_SESSION)
                .bind(session_id)
                .execute(&mut *$tx)
                .await?;
            let (_, _, status): (Uuid, Uuid, String) =
                sqlx::query_as($crate::catalogue::store::SELECT_BOOKING)
                    .bind($booking_id)
                    .fetch_one(&mut *$tx)
                    .await?;
            Ok(Some((
                session_id,
                $crate::catalogue::store::status_of(&status)?,
            )))
        }
        .await
    };
}
pub(super) use lock_booking;

/// Asks for a place for the person: a place if one is free, otherwise the waiting list.
pub async fn book(
    db: &Db,
    session_id: Uuid,
    person_id: Uuid,
    now: OffsetDateTime,
) -> Result<BookOutcome, sqlx::Error> {
    let request = BookRequest {
        session_id,
        person_id,
        ..Default::default()
    };
    request_place(db, &request, now).await
}

/// Asks for a place: when every approval stage is already approved, a place if one is free
/// (otherwise the waiting list); when not, a pending request that holds no place. A person
/// has one booking per session: a cancelled or refused one is asked again.
pub async fn request_place(
    db: &Db,
    request: &BookRequest,
    now: OffsetDateTime,
) -> Result<BookOutcome, sqlx::Error> {
    let BookRequest {
        session_id,
        person_id,
        ..
    } = *request;
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query(LOCK_SESSION)
            .bind(session_id)
            .execute(&mut *tx)
            .await?;
        let existing: Option<(Uuid, String)> = sqlx::query_as(SELECT_BOOKING_OF)
            .bind(session_id)
            .bind(person_id)
            .fetch_optional(&mut *tx)
            .await?;
        let existing = existing
            .map(|(id, status)| Ok::<_, sqlx::Error>((id, status_of(&status)?)))
            .transpose()?;
        if let Some((id, status)) = existing
            && !matches!(status, BookingStatus::Cancelled | BookingStatus::Refused)
        {
            tx.rollback().await?;
            return Ok(BookOutcome::AlreadyBooked(id));
        }
        // `now` was read before the lock was taken: a request that waited for it must still
        // queue behind those that went first, or two people are told the same position.
        let latest: Option<OffsetDateTime> = sqlx::query_scalar(LATEST_REQUEST)
            .bind(session_id)
            .fetch_one(&mut *tx)
            .await?;
        let requested_at = match latest {
            Some(latest) if latest >= now => latest + time::Duration::microseconds(1),
            _ => now,
        };
        let approved = request.approved.len() as i64 >= request.stages;
        let took = approved
            && sqlx::query(TAKE_PLACE)
                .bind(session_id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
        let status = match (approved, took) {
            (false, _) => BookingStatus::Pending,
            (true, true) => BookingStatus::Booked,
            (true, false) => BookingStatus::Waiting,
        };
        let id = match existing {
            Some((id, _)) => {
                sqlx::query(REBOOK)
                    .bind(id)
                    .bind(status.as_str())
                    .bind(requested_at)
                    .bind(request.nominated_by)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(FORGET_APPROVALS)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                id
            }
            None => {
                let id = Uuid::now_v7();
                sqlx::query(INSERT_BOOKING)
                    .bind(id)
                    .bind(session_id)
                    .bind(person_id)
                    .bind(status.as_str())
                    .bind(requested_at)
                    .bind(request.nominated_by)
                    .execute(&mut *tx)
                    .await?;
                id
            }
        };
        for (stage, by) in &request.approved {
            sqlx::query(INSERT_APPROVAL)
                .bind(id)
                .bind(stage)
                .bind(by)
                .bind(true)
                .bind("Nominated")
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        for notice in &request.notices {
            notify!(tx, notice, now)?;
        }
        tx.commit().await?;
        Ok(match status {
            BookingStatus::Pending => BookOutcome::Pending(id),
            BookingStatus::Booked => BookOutcome::Booked(id),
            _ => BookOutcome::Waiting(id),
        })
    })
}

/// A booking's session, person and status.
pub async fn get_booking(
    db: &Db,
    booking_id: Uuid,
) -> Result<Option<(Uuid, Uuid, BookingStatus)>, sqlx::Error> {
    let row: Option<(Uuid, Uuid, String)> =
        crate::db::row(db, SELECT_BOOKING, (booking_id,)).await?;
    row.map(|(session, person, status)| Ok((session, person, status_of(&status)?)))
        .transpose()
}

/// Cancels a booking. A freed place goes to the first person waiting, who is told; returns
/// who that was.
pub async fn cancel(
    db: &Db,
    booking_id: Uuid,
    now: OffsetDateTime,
    promoted_message: &str,
) -> Result<Option<Uuid>, sqlx::Error> {
    cancel_with_notice(db, booking_id, now, promoted_message, false).await
}

/// Cancels a booked, waiting or pending booking; `late` records that it was cancelled inside
/// the opportunity's notice (the fee is still owed). A freed place goes to the first person
/// waiting, who is told; returns who that was.
pub async fn cancel_with_notice(
    db: &Db,
    booking_id: Uuid,
    now: OffsetDateTime,
    promoted_message: &str,
    late: bool,
) -> Result<Option<Uuid>, sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        // Read under the lock: a concurrent cancellation may have got here first.
        let Some((session_id, status)) = lock_booking!(tx, booking_id)? else {
            tx.rollback().await?;
            return Ok(None);
        };
        if !status.cancellable() {
            tx.rollback().await?;
            return Ok(None);
        }
        sqlx::query(CANCEL)
            .bind(booking_id)
            .bind(now)
            .bind(late && status == BookingStatus::Booked)
            .execute(&mut *tx)
            .await?;
        let mut promoted = None;
        if status == BookingStatus::Booked {
            let next: Option<(Uuid, Uuid)> = sqlx::query_as(FIRST_WAITING)
                .bind(session_id)
                .fetch_optional(&mut *tx)
                .await?;
            match next {
                Some((next_id, next_person)) => {
                    sqlx::query(SET_STATUS)
                        .bind(next_id)
                        .bind("booked")
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    let notice = Notice {
                        person_id: next_person,
                        kind: "place-offered",
                        message: promoted_message.to_owned(),
                        link: "/bookings".to_owned(),
                    };
                    notify!(tx, notice, now)?;
                    promoted = Some(next_person);
                }
                None => {
                    sqlx::query(FREE_PLACE)
                        .bind(session_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(promoted)
    })
}

#[derive(sqlx::FromRow)]
struct BookingRow {
    id: Uuid,
    session_id: Uuid,
    opportunity_id: Uuid,
    title: String,
    starts_at: OffsetDateTime,
    status: String,
    entry_id: Option<Uuid>,
    position: i64,
    approvals: i64,
    approval_stages: i64,
    late_cancellation: bool,
    nominated_by: Option<Uuid>,
}

impl BookingRow {
    fn into_booking(self) -> Result<Booking, sqlx::Error> {
        let status = status_of(&self.status)?;
        Ok(Booking {
            position: (status == BookingStatus::Waiting).then_some(self.position),
            awaiting_stage: (status == BookingStatus::Pending).then_some(self.approvals + 1),
            approval_stages: self.approval_stages,
            late_cancellation: self.late_cancellation,
            nominated_by: self.nominated_by,
            id: self.id,
            session_id: self.session_id,
            opportunity_id: self.opportunity_id,
            title: self.title,
            starts_at: self.starts_at,
            status,
            entry_id: self.entry_id,
        })
    }
}

/// A stored status, parsed (the table holds only ids written through [`BookingStatus`]).
pub fn status_of(stored: &str) -> Result<BookingStatus, sqlx::Error> {
    stored.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// One booking, as its person sees it.
pub async fn booking(db: &Db, booking_id: Uuid) -> Result<Option<Booking>, sqlx::Error> {
    let row: Option<BookingRow> = crate::db::row(db, SELECT_ONE_BOOKING, (booking_id,)).await?;
    row.map(BookingRow::into_booking).transpose()
}

/// The person's bookings, latest session first.
pub async fn bookings_of(db: &Db, person_id: Uuid) -> Result<Vec<Booking>, sqlx::Error> {
    let rows: Vec<BookingRow> =
        crate::db::rows(db, SELECT_BOOKINGS_OF_PERSON, (person_id,)).await?;
    rows.into_iter().map(BookingRow::into_booking).collect()
}

/// A session's bookings for its organiser: (booking, person, name, status, entry).
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Attendee {
    pub id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub status: BookingStatus,
    pub entry_id: Option<Uuid>,
}

pub async fn session_bookings(db: &Db, session_id: Uuid) -> Result<Vec<Attendee>, sqlx::Error> {
    crate::db::rows(db, SELECT_SESSION_BOOKINGS, (session_id,)).await
}

/// Marks a booked person as attended (their learning entry is written, once) or absent;
/// returns the entry when attended.
pub async fn mark_attendance(
    db: &Db,
    booking_id: Uuid,
    person_id: Uuid,
    attended: bool,
    entry: &ValidEntry,
    notice: Option<&Notice>,
    now: OffsetDateTime,
) -> Result<Option<Uuid>, sqlx::Error> {
    let status = if attended {
        BookingStatus::Attended
    } else {
        BookingStatus::Absent
    }
    .as_str();
    // One transaction: the status, the entry and the news commit together or not at all.
    // Setting the status first takes the booking's row lock (SQLite's write lock is taken
    // at BEGIN), so a second marking waits and then finds the first one's entry.
    let mut tx = db.begin_write().await?;
    on_tx!(&mut tx, |conn| sqlx::query(SET_STATUS)
        .bind(booking_id)
        .bind(status)
        .bind(now)
        .execute(conn)
        .await
        .map(|_| ()))?;
    if !attended {
        tx.commit().await?;
        return Ok(None);
    }
    let existing: Option<Option<Uuid>> =
        on_tx!(&mut tx, |conn| sqlx::query_scalar(SELECT_ENTRY_OF)
            .bind(booking_id)
            .fetch_optional(conn)
            .await)?;
    if let Some(entry_id) = existing.flatten() {
        tx.commit().await?;
        return Ok(Some(entry_id));
    }
    let saved = crate::learning::service::insert_entry_in(&mut tx, person_id, entry, now).await?;
    on_tx!(&mut tx, |conn| sqlx::query(SET_ENTRY)
        .bind(booking_id)
        .bind(saved.id)
        .execute(conn)
        .await
        .map(|_| ()))?;
    if let Some(notice) = notice {
        on_tx!(&mut tx, |conn| notify!(conn, notice, now).map(|_| ()))?;
    }
    tx.commit().await?;
    Ok(Some(saved.id))
}
