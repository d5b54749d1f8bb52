//! People's pages: their profile, the administrator's people, roles, supervisors, teams and
//! import pages (admin.rs), and answering an invitation (invitation.rs).

pub mod admin;
pub mod invitation;

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::people::store;
use crate::web::AppError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};

#[derive(askama::Template)]
#[template(path = "people/profile.html")]
struct ProfilePage {
    chrome: crate::web::page::Chrome,
    name: String,
    email: String,
    registrations: Vec<String>,
    employments: Vec<String>,
}

/// `GET /profile`: my registrations, employment and contracted hours, and my password.
pub async fn show_profile(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, crate::web::PageError> {
    use cairn_core::long_date;
    let person = store::get_person(&state.db, user.person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let registrations = store::registrations_of(&state.db, user.person_id)
        .await?
        .iter()
        .map(crate::people::Registration::describe)
        .collect();
    let employments = store::employments_of(&state.db, user.person_id)
        .await?
        .iter()
        .map(|e| {
            let team = e
                .team_name
                .as_deref()
                .map(|t| format!(", {t}"))
                .unwrap_or_default();
            let until = e.end_date.map_or_else(|| "now".to_owned(), long_date);
            let hours = cairn_core::Hours::from_units(e.hours_per_week);
            format!(
                "{} at {}{team}, {} to {until}, {hours} hours a week",
                e.job_role,
                e.org_name,
                long_date(e.start_date)
            )
        })
        .collect();
    let page = ProfilePage {
        chrome: user.chrome(),
        name: person.name,
        email: person.email,
        registrations,
        employments,
    };
    Ok(crate::web::page::render(&page))
}

/// This feature's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/invitations/{id}",
            get(invitation::show_invitation).post(invitation::answer_invitation),
        )
        .route("/orgs/{id}/people", get(admin::show_people))
        .route("/orgs/{id}/people/{person}", get(admin::show_person))
        .route("/orgs/{id}/people/{person}/roles", post(admin::save_roles))
        .route(
            "/orgs/{id}/people/{person}/supervisors",
            post(admin::add_supervisor),
        )
        .route(
            "/orgs/{id}/people/{person}/supervisors/{supervisor}/remove",
            post(admin::remove_supervisor),
        )
        .route(
            "/orgs/{id}/teams",
            get(admin::show_teams).post(admin::add_team),
        )
        .route("/orgs/{id}/teams/{team}/town", post(admin::set_team_town))
        .route(
            "/orgs/{id}/import",
            get(admin::show_import)
                .post(admin::run_import)
                .layer(DefaultBodyLimit::max(admin::MAX_FEED_BYTES + 64 * 1024)),
        )
        .route(
            "/orgs/{id}/import/template.csv",
            get(admin::download_import_template),
        )
        .route("/orgs/{id}/imports/{job}", get(admin::show_import_job))
        .route(
            "/orgs/{id}/imports/{job}/report.csv",
            get(admin::download_import_report),
        )
        .route("/profile", get(show_profile))
}
