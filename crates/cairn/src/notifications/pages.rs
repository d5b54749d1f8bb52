//! The notifications inbox: everything a person was told, newest first, what is new marked
//! as new. Opening it marks them seen; nothing is removed, so what was read can be found again.

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::PageError;
use crate::web::page::{Chrome, long_date, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

struct Line {
    message: String,
    link: Option<String>,
    on: String,
    new: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct Inbox {
    chrome: Chrome,
    lines: Vec<Line>,
    new: usize,
}

/// `GET /notifications`.
pub async fn show_inbox(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, PageError> {
    let lines: Vec<Line> = super::notifications_of(&state.db, user.person_id)
        .await?
        .into_iter()
        .map(|n| Line {
            message: n.message,
            link: n.link.filter(|l| !l.is_empty()),
            on: long_date(crate::zone::local(n.created_at).date()),
            new: n.read_at.is_none(),
        })
        .collect();
    let new = lines.iter().filter(|l| l.new).count();
    super::mark_notifications_read(&state.db, user.person_id, state.clock.now()).await?;
    Ok(render(&Inbox {
        chrome: user.chrome(),
        lines,
        new,
    }))
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/notifications", get(show_inbox))
}
