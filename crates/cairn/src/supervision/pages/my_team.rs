//! *My team*: the people I supervise, with their latest learning, totals this year and when
//! supervision is next due.

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::people::service as store;
use axum::extract::State;
use axum::response::Response;
use cairn_core::Role;
use uuid::Uuid;

struct TeamMember {
    id: Uuid,
    name: String,
    job_role: String,
    count_this_year: i64,
    hours_this_year: String,
    latest: Vec<(String, String)>,
    /// When they last had supervision and when it is next due.
    supervision: String,
    supervision_overdue: bool,
    on_supported_year: bool,
    /// Their standing as kept, with when it was computed; `None` before today's pass.
    standing: Option<(crate::standing::service::KeptHeadline, String)>,
}

#[derive(askama::Template)]
#[template(path = "people/team.html")]
struct TeamPage {
    chrome: crate::web::page::Chrome,
    year: i32,
    members: Vec<TeamMember>,
    /// A team session was just recorded.
    notice: bool,
}

/// `GET /team`: the people I supervise, with their latest learning and totals this year.
pub async fn show_team(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, crate::web::PageError> {
    let today = state.clock.today();
    let now = state.clock.now();
    let year_start = today.replace_ordinal(1).map_err(anyhow::Error::from)?;
    let mut members = Vec::new();
    let supervising_orgs: Vec<Uuid> = user
        .roles
        .iter()
        .filter(|g| g.role == Role::Supervisor)
        .map(|g| g.org_id)
        .collect();
    for org in supervising_orgs {
        let every = crate::supervision::service::frequency(&state.db, org).await?;
        for person_id in store::supervisees_of(&state.db, user.person_id, org).await? {
            let Some(person) = store::get_person(&state.db, person_id).await? else {
                continue;
            };
            let job = store::employments_of(&state.db, person_id)
                .await?
                .into_iter()
                .find(|e| e.is_current(today));
            let last_held = crate::supervision::service::last_held(&state.db, person_id).await?;
            // At this organisation's frequency; without a current job, counted from today.
            let started = job.as_ref().map_or(today, |j| j.start_date);
            let next_due = crate::supervision::service::next_due_at(
                &state.db, person_id, every, started, last_held, today,
            )
            .await?;
            let job_role = job.map(|e| e.job_role).unwrap_or_default();
            let (count_this_year, hours) = crate::learning::service::totals_between(
                &state.db, person_id, year_start, today, now,
            )
            .await?;
            let latest = crate::learning::service::list_entries(
                &state.db,
                person_id,
                &Default::default(),
                3,
                0,
                now,
            )
            .await?;
            members.push(TeamMember {
                id: person_id,
                name: person.name,
                job_role,
                count_this_year,
                hours_this_year: hours.to_string(),
                latest: latest
                    .entries
                    .into_iter()
                    .map(|e| (e.title, cairn_core::long_date(e.date)))
                    .collect(),
                supervision: format!(
                    "{}; next due {}",
                    last_held.map_or_else(
                        || "No supervision recorded".to_owned(),
                        |d| format!("Last supervision {}", cairn_core::long_date(d))
                    ),
                    cairn_core::long_date(next_due)
                ),
                supervision_overdue: next_due < today,
                on_supported_year: crate::nqsw::service::year(&state.db, person_id)
                    .await?
                    .is_some(),
                standing: crate::standing::service::kept_headline(&state.db, person_id, org, today)
                    .await?
                    .map(|h| {
                        let ago = crate::web::page::ago(h.computed_at, now);
                        (h, ago)
                    }),
            });
        }
    }
    members.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(crate::web::page::render(&TeamPage {
        chrome: user.chrome(),
        year: today.year(),
        members,
        notice: params.contains_key("team-session"),
    }))
}
