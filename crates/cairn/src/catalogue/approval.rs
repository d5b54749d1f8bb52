//! Manager approval of booking requests (one or two stages per opportunity) and nominations.
//! A request that needs approval holds no place: it is `pending` until its last stage is
//! approved, and then takes a place or joins the waiting list like any other booking. Stage 1
//! is the line manager (a supervisor of the person; their employer's L&D lead or administrator
//! when they have none); stage 2 is the employer's L&D lead or administrator. Who may decide
//! is settled in `authz`; this module keeps the order of the stages and tells people.

use super::BookingStatus;
use super::store::{
    self, BookOutcome, BookRequest, INSERT_APPROVAL, Notice, SET_STATUS, TAKE_PLACE,
};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::db::{BeginWrite, Db};
use crate::notifications::notify;
use crate::on_db;
use crate::web::AppError;
use time::OffsetDateTime;
use uuid::Uuid;

const COUNT_APPROVALS: &str = "SELECT COUNT(*) FROM booking_approval WHERE booking_id = $1";

const SELECT_DECISIONS: &str = "SELECT a.stage, p.name, a.approved, a.comment, a.decided_at FROM booking_approval a \
     LEFT JOIN person p ON p.id = a.decided_by WHERE a.booking_id = $1 ORDER BY a.stage";

// Pending requests of people the approver supervises or whose employer they manage learning
// for; `authz` then keeps those at a stage the approver may decide.
const SELECT_PENDING: &str = "SELECT b.id AS booking_id, b.person_id, p.name, s.opportunity_id, o.title, s.starts_at, \
     o.approval_stages, o.cost_pence, b.requested_at, \
     (SELECT COUNT(*) FROM booking_approval a WHERE a.booking_id = b.id) AS approvals \
     FROM booking b JOIN person p ON p.id = b.person_id JOIN opportunity_session s ON s.id = b.session_id \
     JOIN opportunity o ON o.id = s.opportunity_id \
     WHERE b.status = 'pending' AND (b.person_id IN (SELECT supervisee_id FROM supervision_link WHERE supervisor_id = $1) \
       OR b.person_id IN (SELECT e.person_id FROM employment e JOIN role_grant r ON r.org_id = e.org_id \
          WHERE r.person_id = $1 AND r.role IN ('ld-lead', 'org-admin') \
          AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2))) \
     ORDER BY s.starts_at, b.requested_at, b.id LIMIT 500";

/// A request waiting for a decision.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Pending {
    pub booking_id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub opportunity_id: Uuid,
    pub title: String,
    #[serde(with = "time::serde::rfc3339")]
    pub starts_at: OffsetDateTime,
    pub approval_stages: i64,
    #[serde(skip)]
    pub cost_pence: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    /// Stages already approved; the request waits for the next.
    pub approvals: i64,
}

/// A decision already taken on a request.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Decision {
    pub stage: i64,
    pub name: Option<String>,
    pub approved: bool,
    pub comment: String,
    #[serde(with = "time::serde::rfc3339")]
    pub decided_at: OffsetDateTime,
}

pub async fn decisions(db: &Db, booking_id: Uuid) -> Result<Vec<Decision>, sqlx::Error> {
    crate::db::rows(db, SELECT_DECISIONS, (booking_id,)).await
}

/// Who is told to decide a stage for the person: their supervisors for stage 1 (or, with
/// none, as for stage 2); for stage 2 their employers' L&D leads (or administrators).
pub async fn approvers(
    state: &AppState,
    person_id: Uuid,
    stage: i64,
) -> Result<Vec<Uuid>, AppError> {
    if stage == 1 {
        let supervisors = crate::people::service::supervisors_of(&state.db, person_id).await?;
        if !supervisors.is_empty() {
            return Ok(supervisors);
        }
    }
    let mut found = Vec::new();
    for org in
        crate::people::service::employing_orgs(&state.db, person_id, state.clock.today()).await?
    {
        for role in ["ld-lead", "org-admin"] {
            let holders = crate::people::service::people_with_role(&state.db, org, role).await?;
            if !holders.is_empty() {
                found.extend(holders.into_iter().map(|(id, _)| id));
                break;
            }
        }
    }
    found.retain(|id| *id != person_id);
    Ok(found)
}

fn stage_name(stage: i64) -> &'static str {
    if stage == 1 {
        "line manager"
    } else {
        "learning and development"
    }
}

/// Asks for a place on a session for the signed-in person (pages and API share this): the
/// session must be open to them and not yet started; approval, when the opportunity needs
/// it, is asked for. Returns the booking.
pub async fn request_place(
    state: &AppState,
    user: &CurrentUser,
    session_id: Uuid,
) -> Result<super::Booking, AppError> {
    ask_for_place(state, user, user.person_id, session_id).await
}

/// Asks for a place on a session for `person_id`: by themself, or put forward by the signed-in
/// manager (`nominated`; checked here). A nominating manager's own approval counts for every
/// stage they may decide. Returns the booking.
pub async fn ask_for_place(
    state: &AppState,
    user: &CurrentUser,
    person_id: Uuid,
    session_id: Uuid,
) -> Result<super::Booking, AppError> {
    let nominated = person_id != user.person_id;
    let opportunity_id = store::opportunity_of_session(&state.db, session_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let opportunity = if nominated {
        super::shared::visible_opportunity(state, user, opportunity_id).await?
    } else {
        store::get_opportunity(&state.db, opportunity_id)
            .await?
            .ok_or(AppError::NotFound)?
    };
    let facts = crate::authz::facts(&state.db, person_id, state.clock.today()).await?;
    if nominated {
        authorize(user, Action::Nominate(&facts)).map_err(|_| {
            AppError::field(
                "email",
                "You can put forward only people you supervise or whose learning you manage",
            )
        })?;
    }
    if !opportunity.open_to(&facts.employing_orgs) {
        return Err(if nominated {
            AppError::field("email", "This is not open to their organisation's staff")
        } else {
            // Not theirs to see: as if it did not exist.
            AppError::NotFound
        });
    }
    let session = opportunity
        .sessions
        .iter()
        .find(|s| s.id == session_id)
        .ok_or(AppError::NotFound)?;
    if session.starts_at <= state.clock.now() {
        return Err(AppError::field(
            "session",
            "This session has already started: choose a later one",
        ));
    }
    let approved: Vec<(i64, Uuid)> = if nominated {
        (1..=opportunity.approval_stages)
            .take_while(|stage| authorize(user, Action::ApproveBooking(&facts, *stage)).is_ok())
            .map(|stage| (stage, user.person_id))
            .collect()
    } else {
        Vec::new()
    };
    let person = crate::people::service::get_person(&state.db, person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let when = crate::web::page::long_date(crate::zone::local(session.starts_at).date());
    let mut notices = Vec::new();
    let next_stage = approved.len() as i64 + 1;
    if next_stage <= opportunity.approval_stages {
        for approver in approvers(state, person_id, next_stage).await? {
            notices.push(Notice {
                person_id: approver,
                kind: "approval-needed",
                message: format!(
                    "{} asks for a place on {} ({when}): your approval as {} is needed",
                    person.name,
                    opportunity.title,
                    stage_name(next_stage)
                ),
                link: "/approvals".into(),
            });
        }
    }
    if nominated {
        notices.push(Notice {
            person_id,
            kind: "nominated",
            message: format!(
                "{} put you forward for {} ({when})",
                user.name, opportunity.title
            ),
            link: "/bookings".into(),
        });
    }
    let request = BookRequest {
        session_id,
        person_id,
        nominated_by: nominated.then_some(user.person_id),
        stages: opportunity.approval_stages,
        approved,
        notices,
    };
    let booking_id = match store::request_place(&state.db, &request, state.clock.now()).await? {
        BookOutcome::Booked(id) | BookOutcome::Waiting(id) | BookOutcome::Pending(id) => id,
        BookOutcome::AlreadyBooked(_) => {
            return Err(AppError::Conflict {
                message: if nominated {
                    format!(
                        "{} already has a place, or is waiting for one or for approval",
                        person.name
                    )
                } else {
                    "You already have a place, or are waiting for one or for approval".into()
                },
                current_version: None,
            });
        }
    };
    let booking = store::booking(&state.db, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tracing::info!(booking.id = %booking_id, status = %booking.status, nominated, "booking");
    Ok(booking)
}

/// What deciding a request did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    Refused,
    /// Approved at this stage; the next stage decides now.
    NextStage(i64),
    Booked,
    Waiting,
}

/// What to tell, by outcome.
struct DecisionNotices {
    refused: Notice,
    booked: Notice,
    waiting: Notice,
    next_stage: Vec<Notice>,
}

enum StoreDecision {
    Done(Decided),
    NotPending(BookingStatus),
    OtherStage,
}

async fn record_decision(
    db: &Db,
    booking_id: Uuid,
    by: Uuid,
    (stage, stages): (i64, i64),
    (approved, comment): (bool, &str),
    notices: &DecisionNotices,
    now: OffsetDateTime,
) -> Result<Option<StoreDecision>, sqlx::Error> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        // Under the lock: a second approver or a cancellation may have got here first.
        let Some((session_id, status)) = store::lock_booking!(tx, booking_id)? else {
            tx.rollback().await?;
            return Ok(None);
        };
        if status != BookingStatus::Pending {
            tx.rollback().await?;
            return Ok(Some(StoreDecision::NotPending(status)));
        }
        let given: i64 = sqlx::query_scalar(COUNT_APPROVALS)
            .bind(booking_id)
            .fetch_one(&mut *tx)
            .await?;
        if given + 1 != stage {
            tx.rollback().await?;
            return Ok(Some(StoreDecision::OtherStage));
        }
        sqlx::query(INSERT_APPROVAL)
            .bind(booking_id)
            .bind(stage)
            .bind(by)
            .bind(approved)
            .bind(comment)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let decided = if !approved {
            Decided::Refused
        } else if stage < stages {
            Decided::NextStage(stage + 1)
        } else {
            let took = sqlx::query(TAKE_PLACE)
                .bind(session_id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if took {
                Decided::Booked
            } else {
                Decided::Waiting
            }
        };
        let (status, told): (Option<&str>, Vec<&Notice>) = match &decided {
            Decided::Refused => (Some("refused"), vec![&notices.refused]),
            Decided::NextStage(_) => (None, notices.next_stage.iter().collect()),
            Decided::Booked => (Some("booked"), vec![&notices.booked]),
            Decided::Waiting => (Some("waiting"), vec![&notices.waiting]),
        };
        if let Some(status) = status {
            sqlx::query(SET_STATUS)
                .bind(booking_id)
                .bind(status)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        for notice in told {
            notify!(tx, notice, now)?;
        }
        tx.commit().await?;
        Ok(Some(StoreDecision::Done(decided)))
    })
}

/// The signed-in manager approves or refuses a request at the stage it waits for. A refusal
/// needs a reason, which the person is told.
pub async fn decide(
    state: &AppState,
    user: &CurrentUser,
    booking_id: Uuid,
    approved: bool,
    comment: &str,
) -> Result<Decided, AppError> {
    let comment = comment.trim();
    if !approved && comment.is_empty() {
        return Err(AppError::field(
            "comment",
            "Say why the request is refused: the person is told",
        ));
    }
    if comment.chars().count() > 2_000 {
        return Err(AppError::field(
            "comment",
            "must be at most 2,000 characters",
        ));
    }
    let booking = store::booking(&state.db, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, person_id, _) = store::get_booking(&state.db, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = crate::authz::facts(&state.db, person_id, state.clock.today()).await?;
    let stage = booking.awaiting_stage.unwrap_or(1);
    if authorize(user, Action::ApproveBooking(&facts, stage)).is_err() {
        // Someone who could see the request at no stage learns nothing of it.
        let at_any = (1..=2).any(|s| authorize(user, Action::ApproveBooking(&facts, s)).is_ok());
        return Err(if at_any {
            AppError::Forbidden
        } else {
            AppError::NotFound
        });
    }
    let title = &booking.title;
    let notice = |kind: &'static str, message: String| Notice {
        person_id,
        kind,
        message,
        link: "/bookings".into(),
    };
    let mut next_stage = Vec::new();
    if stage < booking.approval_stages {
        let person = crate::people::service::get_person(&state.db, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        for approver in approvers(state, person_id, stage + 1).await? {
            next_stage.push(Notice {
                person_id: approver,
                kind: "approval-needed",
                message: format!(
                    "{} asks for a place on {title}: approved by their line manager, your approval as learning and development is needed",
                    person.name
                ),
                link: "/approvals".into(),
            });
        }
    }
    let notices = DecisionNotices {
        refused: notice(
            "refused",
            format!("Your request for {title} was not approved: {comment}"),
        ),
        booked: notice(
            "approved",
            format!("Your request for {title} was approved: you have a place"),
        ),
        waiting: notice(
            "approved",
            format!(
                "Your request for {title} was approved: the session is full, so you are on the waiting list"
            ),
        ),
        next_stage,
    };
    let outcome = record_decision(
        &state.db,
        booking_id,
        user.person_id,
        (stage, booking.approval_stages),
        (approved, comment),
        &notices,
        state.clock.now(),
    )
    .await?
    .ok_or(AppError::NotFound)?;
    match outcome {
        StoreDecision::Done(decided) => {
            tracing::info!(booking.id = %booking_id, stage, approved, "booking decision");
            Ok(decided)
        }
        StoreDecision::NotPending(status) => Err(AppError::Conflict {
            message: format!("This request is no longer waiting for approval: it is {status}"),
            current_version: None,
        }),
        StoreDecision::OtherStage => Err(AppError::Conflict {
            message: "Someone else decided this request at the same time: look at it again".into(),
            current_version: None,
        }),
    }
}

/// Requests waiting for the signed-in person's decision, soonest session first.
pub async fn waiting_for(state: &AppState, user: &CurrentUser) -> Result<Vec<Pending>, AppError> {
    let candidates: Vec<Pending> = on_db!(&state.db, |pool| sqlx::query_as(SELECT_PENDING)
        .bind(user.person_id)
        .bind(state.clock.today())
        .fetch_all(pool)
        .await)?;
    let mut mine = Vec::new();
    for pending in candidates {
        let facts = crate::authz::facts(&state.db, pending.person_id, state.clock.today()).await?;
        if authorize(user, Action::ApproveBooking(&facts, pending.approvals + 1)).is_ok() {
            mine.push(pending);
        }
    }
    Ok(mine)
}

/// The person a manager names by email, if they may see them at all.
pub async fn nominee(state: &AppState, email: &str) -> Result<Uuid, AppError> {
    let not_found = || {
        AppError::field(
            "email",
            "Enter the work email of someone you supervise or whose learning you manage",
        )
    };
    let email = cairn_core::Email::parse(email.trim()).map_err(|_| not_found())?;
    crate::people::service::person_by_email(&state.db, email.as_str())
        .await?
        .map(|p| p.id)
        .ok_or_else(not_found)
}
