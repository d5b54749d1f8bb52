//! `GET /api/v1/me/standing?as_of=`: where I stand against every rule that applies to me.

use crate::auth::CurrentUser;
use crate::authz::{Action, authorize};
use crate::server::AppState;
use crate::web::AppError;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Json, Response};
use std::collections::HashMap;

/// `GET /api/v1/me/standing?as_of=YYYY-MM-DD` (default today): the `cairn check` answer for
/// the signed-in person's own record.
pub async fn get_my_standing(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    authorize(&user, Action::OwnRecord)?;
    if let Some(key) = params.keys().find(|k| k.as_str() != "as_of") {
        return Err(AppError::field(
            key,
            "is not a parameter; the only one is as_of (YYYY-MM-DD)",
        ));
    }
    let as_of = match params
        .get("as_of")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    {
        Some(text) => cairn_core::entry::parse_iso_date(text).ok_or_else(|| {
            AppError::field("as_of", format!("`{text}` is not a date: write YYYY-MM-DD"))
        })?,
        None => state.clock.today(),
    };
    let report = super::standing_of(&state.db, user.person_id, as_of, state.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(report).into_response())
}
