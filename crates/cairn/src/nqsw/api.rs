//! The supported year in the API: my year, and a supervisee's.

use super::readable;
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::web::AppError;
use axum::Router;
use axum::routing::get;
/// `GET /api/v1/me/nqsw`
pub async fn get_mine(
    axum::extract::State(state): axum::extract::State<AppState>,
    user: CurrentUser,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    Ok(axum::Json(readable(&state, &user, user.person_id).await?).into_response())
}

/// `GET /api/v1/people/{id}/nqsw`
pub async fn get_person(
    axum::extract::State(state): axum::extract::State<AppState>,
    user: CurrentUser,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let id = crate::web::parse_id(&id)?;
    Ok(axum::Json(readable(&state, &user, id).await?).into_response())
}

/// This feature's JSON API (mounted under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/nqsw", get(get_mine))
        .route("/people/{id}/nqsw", get(get_person))
}
