//! Supervision records: a supervisor records a session (individual, group or peer) with the
//! balance of its agenda, the actions agreed (carried from session to session until done) and,
//! between two people, private notes that only those two ever see. Organisations set how often
//! supervision is due; supervisors and L&D leads see who is overdue.

pub mod pages;
pub mod routes;
pub mod store;
pub mod team;

use cairn_core::supervision::next_due;
use serde::Serialize;
use time::Date;
use uuid::Uuid;

/// Where someone stands for supervision.
#[derive(Debug, Clone, Serialize)]
pub struct Due {
    pub person_id: Uuid,
    pub name: String,
    pub team: Option<String>,
    pub supervisor: Option<String>,
    pub newly_qualified: bool,
    pub last_held: Option<Date>,
    pub next_due: Date,
    /// Days past due (0 when not yet due).
    pub days_overdue: i64,
}

/// When each member of staff is due, most overdue first. `every` is (newly qualified, others).
pub fn due_list(staff: Vec<store::StaffSupervision>, every: (i64, i64), today: Date) -> Vec<Due> {
    let mut seen = std::collections::HashSet::new();
    let mut due: Vec<Due> = staff
        .into_iter()
        .filter(|s| seen.insert(s.id))
        .map(|s| {
            let days = if s.newly_qualified { every.0 } else { every.1 };
            let next = next_due(s.last_held, s.start_date, days);
            Due {
                person_id: s.id,
                name: s.name,
                team: s.team,
                supervisor: s.supervisor,
                newly_qualified: s.newly_qualified,
                last_held: s.last_held,
                next_due: next,
                days_overdue: (today - next).whole_days().max(0),
            }
        })
        .collect();
    due.sort_by(|a, b| {
        a.next_due
            .cmp(&b.next_due)
            .then_with(|| a.name.cmp(&b.name))
    });
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn staff(name: &str, last: Option<Date>, nqsw: bool) -> store::StaffSupervision {
        store::StaffSupervision {
            id: Uuid::now_v7(),
            name: name.into(),
            team: None,
            start_date: date!(2020 - 01 - 01),
            last_held: last,
            newly_qualified: nqsw,
            supervisor: None,
        }
    }

    #[test]
    fn the_newly_qualified_are_due_sooner_and_the_most_overdue_come_first() {
        let today = date!(2026 - 11 - 23);
        let list = due_list(
            vec![
                staff("Monthly, fine", Some(date!(2026 - 11 - 01)), false),
                staff("NQSW, late", Some(date!(2026 - 11 - 01)), true),
                staff("Never", None, false),
            ],
            (14, 30),
            today,
        );
        let names: Vec<&str> = list.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Never", "NQSW, late", "Monthly, fine"]);
        assert_eq!(list[1].days_overdue, 8);
        assert_eq!(list[2].days_overdue, 0);
    }
}

// Routes: what this feature answers; server.rs mounts them.
use crate::app::AppState;
use axum::Router;
use axum::routing::{get, post, put};

/// This feature's JSON API (mounted under `/api/v1`).
pub fn api_routes() -> Router<AppState> {
    Router::new()
        .route("/team-sessions", post(team::post_session))
        .route("/supervision", post(routes::post_session))
        .route("/supervision/{id}", get(routes::get_session))
        .route("/supervision/{id}/confirm", post(routes::post_confirm))
        .route("/supervision/{id}/disown", post(routes::post_disown))
        .route("/me/supervision", get(routes::my_supervision))
        .route(
            "/supervision/actions/{id}/done",
            post(routes::post_action_done),
        )
        .route("/orgs/{id}/supervision", get(routes::get_org_supervision))
        .route(
            "/orgs/{id}/supervision-frequency",
            put(routes::put_frequency),
        )
}

/// This feature's pages.
pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/team-sessions/new",
            get(team::show_new).post(team::post_new),
        )
        .route("/supervision", get(pages::show_mine))
        .route(
            "/supervision/new",
            get(pages::show_new).post(pages::post_new),
        )
        .route("/supervision/{id}", get(pages::show_session))
        .route("/supervision/{id}/attendance", post(pages::post_attendance))
        .route(
            "/supervision/actions/{id}/done",
            post(pages::post_action_done),
        )
        .route(
            "/orgs/{id}/supervision",
            get(pages::show_org).post(pages::post_frequency),
        )
}
