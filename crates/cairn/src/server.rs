//! The HTTP server: application state, the route table and its layers, and serving with a
//! graceful shutdown.

use crate::config::Config;
use crate::learning::evidence::EvidenceStore;
use crate::{
    Clock, Db, auth, catalogue, endorsement, evaluation, learning, nqsw, ops, people, plan, record,
    reminders, spend, standing, supervision, web,
};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{delete, get, post, put};
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Everything a handler may need; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub evidence: EvidenceStore,
    /// Sessions already looked up (on only when this instance is the only one: SQLite).
    pub sessions: crate::auth::cache::SessionCache,
    /// Wakes this instance's job worker when a job is queued here (others poll).
    pub jobs: Arc<tokio::sync::Notify>,
}

impl AppState {
    pub fn new(db: Db, config: Config, clock: Clock) -> Self {
        let evidence = EvidenceStore::new(config.evidence_dir());
        // Only a SQLite installation is sure to be the only instance (see auth::cache).
        let sessions = crate::auth::cache::SessionCache::new(match db {
            Db::Sqlite(_) => crate::auth::cache::SINGLE_INSTANCE_TTL,
            Db::Postgres(_) => std::time::Duration::ZERO,
        });
        Self {
            db,
            config: Arc::new(config),
            clock,
            evidence,
            sessions,
            jobs: Arc::new(tokio::sync::Notify::new()),
        }
    }
}

/// The largest JSON or form body accepted.
const MAX_BODY: usize = 1024 * 1024;
/// Evidence uploads: the file limit plus room for the multipart envelope.
const MAX_UPLOAD_BODY: usize = cairn_core::evidence::MAX_EVIDENCE_BYTES + 64 * 1024;
/// HR feeds and imported records can be large.
const MAX_IMPORT_BODY: usize = 50 * 1024 * 1024;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application's routes and layers.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/openapi.json", get(get_openapi))
        .route(
            "/auth/token",
            post(auth::routes::create_token).delete(auth::routes::revoke_token),
        )
        .route("/me", get(people::routes::get_me))
        .route("/me/bookings", get(catalogue::routes::my_bookings))
        .route(
            "/me/bookings/{id}",
            delete(catalogue::routes::cancel_booking),
        )
        .route(
            "/me/notifications",
            get(catalogue::routes::my_notifications),
        )
        .route("/me/suggestions", get(catalogue::routes::my_suggestions))
        .route(
            "/orgs/{id}/opportunities",
            post(catalogue::routes::create_opportunity),
        )
        .route(
            "/opportunities",
            get(catalogue::routes::search_opportunities),
        )
        .route(
            "/opportunities/{id}",
            get(catalogue::routes::get_opportunity),
        )
        .route(
            "/sessions/{id}/bookings",
            get(catalogue::routes::session_bookings).post(catalogue::routes::book_session),
        )
        .route(
            "/sessions/{id}/attendance",
            post(catalogue::routes::mark_attendance),
        )
        .route(
            "/me/endorsement-requests",
            get(endorsement::routes::my_requests).post(endorsement::routes::post_request),
        )
        .route(
            "/endorsement-requests/{id}",
            get(endorsement::routes::get_request),
        )
        .route(
            "/endorsement-requests/{id}/decision",
            post(endorsement::routes::post_decision),
        )
        .route("/me/reminders", get(reminders::pages::my_reminders))
        .route("/me/nqsw", get(nqsw::get_mine))
        .route("/people/{id}/nqsw", get(nqsw::get_person))
        .route("/me/plan", get(plan::routes::get_my_plan))
        .route("/me/plan/goals", post(plan::routes::post_goal))
        .route("/me/plan/goals/{id}", put(plan::routes::put_goal))
        .route(
            "/me/plan/goals/{id}/entries",
            post(plan::routes::post_goal_entries),
        )
        .route("/people/{id}/plan", get(plan::routes::get_person_plan))
        .route("/people/{id}/plan/reviews", post(plan::routes::post_review))
        .route("/team-sessions", post(supervision::team::post_session))
        .route("/supervision", post(supervision::routes::post_session))
        .route("/supervision/{id}", get(supervision::routes::get_session))
        .route(
            "/supervision/{id}/confirm",
            post(supervision::routes::post_confirm),
        )
        .route(
            "/supervision/{id}/disown",
            post(supervision::routes::post_disown),
        )
        .route("/me/supervision", get(supervision::routes::my_supervision))
        .route(
            "/supervision/actions/{id}/done",
            post(supervision::routes::post_action_done),
        )
        .route(
            "/orgs/{id}/supervision",
            get(supervision::routes::get_org_supervision),
        )
        .route(
            "/orgs/{id}/supervision-frequency",
            put(supervision::routes::put_frequency),
        )
        .route("/me/approvals", get(catalogue::approval::my_approvals))
        .route(
            "/bookings/{id}/decision",
            post(catalogue::approval::post_decision),
        )
        .route(
            "/sessions/{id}/nominations",
            post(catalogue::approval::post_nomination),
        )
        .route(
            "/bookings/{id}/costs",
            get(spend::routes::get_costs).put(spend::routes::put_costs),
        )
        .route(
            "/bookings/{id}/confidence-before",
            put(evaluation::routes::put_before),
        )
        .route(
            "/bookings/{id}/evaluation",
            put(evaluation::routes::put_evaluation),
        )
        .route("/me/follow-ups", get(evaluation::routes::my_follow_ups))
        .route("/follow-ups/{id}", post(evaluation::routes::post_answer))
        .route(
            "/opportunities/{id}/evaluation",
            get(evaluation::routes::get_results),
        )
        .route(
            "/opportunities/{id}/indicators",
            post(evaluation::routes::post_indicator),
        )
        .route(
            "/indicators/{id}/measures",
            post(evaluation::routes::post_measure),
        )
        .route("/orgs/{id}/spend", get(spend::routes::get_spend))
        .route("/orgs/{id}/budgets/{year}", put(spend::routes::put_budgets))
        .route("/orgs/{id}/allowance", put(spend::routes::put_allowance))
        .route("/me/standing", get(standing::routes::get_my_standing))
        .route(
            "/me/declarations",
            get(standing::declare::list_my_declarations)
                .post(standing::declare::create_declaration),
        )
        .route(
            "/me/verifications",
            get(standing::declare::list_my_verifications),
        )
        .route(
            "/declarations/{id}/verify",
            post(standing::declare::verify_declaration),
        )
        .route(
            "/declarations/{id}/return",
            post(standing::declare::return_declaration),
        )
        .route(
            "/me/entries",
            get(learning::routes::list_entries).post(learning::routes::create_entry),
        )
        .route(
            "/me/entries/{id}",
            get(learning::routes::get_entry)
                .put(learning::routes::update_entry)
                .delete(learning::routes::delete_entry),
        )
        .route(
            "/me/entries/{id}/restore",
            post(learning::routes::restore_entry),
        )
        .route(
            "/me/entries/{id}/evidence",
            post(learning::routes::upload_evidence).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
        )
        .route(
            "/me/entries/{id}/evidence/{evidence_id}",
            get(learning::routes::download_evidence).delete(learning::routes::delete_evidence),
        )
        .route(
            "/me/record",
            get(record::routes::export_record)
                .post(record::routes::import_record)
                .layer(DefaultBodyLimit::max(MAX_IMPORT_BODY)),
        )
        .route(
            "/me/invitations",
            get(people::invitation::list_my_invitations),
        )
        .route(
            "/me/invitations/{id}/accept",
            post(people::invitation::accept_invitation),
        )
        .route(
            "/me/invitations/{id}/decline",
            post(people::invitation::decline_invitation),
        )
        .route("/jobs/{id}", get(crate::jobs::routes::show_job))
        .route("/people/{id}", get(people::routes::get_person))
        .route(
            "/people/{id}/entries",
            get(people::routes::list_person_entries),
        )
        .route("/orgs/{id}", get(people::routes::get_org))
        .route("/orgs/{id}/people", get(people::routes::list_org_people))
        .route(
            "/orgs/{id}/compliance",
            get(standing::routes::get_org_compliance),
        )
        .route(
            "/orgs/{id}/policies",
            get(standing::routes::list_org_policies).post(standing::routes::add_org_policy),
        )
        .route(
            "/orgs/{id}/people/import",
            post(people::routes::import_org_people).layer(DefaultBodyLimit::max(MAX_IMPORT_BODY)),
        )
        .fallback(api_not_found)
        // A POST retried with the same Idempotency-Key is done once.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::idempotency::replay,
        ))
        // API answers carry personal data (supervision notes among them): never cached.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ));

    // Pages people open in a browser: a session that has ended sends them to sign in and
    // keeps what they were doing (auth::expiry).
    let pages = Router::new()
        .route("/", get(learning::routes::show_home))
        .route(
            "/sign-in",
            get(auth::routes::show_sign_in).post(auth::routes::sign_in),
        )
        .route("/sign-out", post(auth::routes::sign_out))
        .route(
            "/account/password",
            get(auth::routes::show_password).post(auth::routes::change_password),
        )
        .route(
            "/orgs/{id}/compliance",
            get(standing::pages::show_compliance),
        )
        .route(
            "/orgs/{id}/policies",
            get(standing::pages::show_policies).post(standing::pages::save_policy),
        )
        .route("/entries", post(learning::routes::capture_entry))
        .route("/record", get(learning::routes::show_record))
        .route("/record.csv", get(learning::export::export_record_csv))
        .route("/record.pdf", get(learning::export::export_record_pdf))
        .route(
            "/invitations/{id}",
            get(people::invitation::show_invitation).post(people::invitation::answer_invitation),
        )
        .route("/orgs/{id}/people", get(people::admin::show_people))
        .route(
            "/orgs/{id}/people/{person}",
            get(people::admin::show_person),
        )
        .route(
            "/orgs/{id}/people/{person}/roles",
            post(people::admin::save_roles),
        )
        .route(
            "/orgs/{id}/people/{person}/supervisors",
            post(people::admin::add_supervisor),
        )
        .route(
            "/orgs/{id}/people/{person}/supervisors/{supervisor}/remove",
            post(people::admin::remove_supervisor),
        )
        .route(
            "/orgs/{id}/teams",
            get(people::admin::show_teams).post(people::admin::add_team),
        )
        .route(
            "/orgs/{id}/teams/{team}/town",
            post(people::admin::set_team_town),
        )
        .route(
            "/orgs/{id}/import",
            get(people::admin::show_import)
                .post(people::admin::run_import)
                .layer(DefaultBodyLimit::max(
                    people::admin::MAX_FEED_BYTES + 64 * 1024,
                )),
        )
        .route(
            "/orgs/{id}/imports/{job}",
            get(people::admin::show_import_job),
        )
        .route(
            "/orgs/{id}/imports/{job}/report.csv",
            get(people::admin::download_import_report),
        )
        .route("/profile", get(people::routes::show_profile))
        .route("/team", get(people::routes::show_team))
        .route("/people/{id}", get(people::routes::show_person_record))
        .route(
            "/entries/{id}",
            get(learning::routes::show_entry).post(learning::routes::save_entry),
        )
        .route(
            "/entries/{id}/delete",
            post(learning::routes::delete_entry_page),
        )
        .route(
            "/entries/{id}/evidence",
            post(learning::routes::upload_evidence_page)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
        )
        .route(
            "/entries/{id}/restore",
            post(learning::routes::restore_entry_page),
        )
        .route("/learning", get(catalogue::pages::show_find))
        .route("/learning/{id}", get(catalogue::pages::show_opportunity))
        .route(
            "/learning/sessions/{id}/book",
            post(catalogue::pages::book_page),
        )
        .route(
            "/learning/sessions/{id}",
            get(catalogue::pages::show_session),
        )
        .route(
            "/learning/sessions/{id}/attendance",
            post(catalogue::pages::attendance_page),
        )
        .route("/calendar/reset", post(crate::calendar::reset))
        .route("/bookings", get(catalogue::pages::show_bookings))
        .route(
            "/bookings/{id}",
            get(catalogue::booking_pages::show_booking),
        )
        .route(
            "/bookings/{id}/invitation.ics",
            get(catalogue::booking_pages::invitation_file),
        )
        .route(
            "/bookings/{id}/confidence",
            post(catalogue::booking_pages::post_before),
        )
        .route(
            "/bookings/{id}/evaluation",
            post(catalogue::booking_pages::post_evaluation),
        )
        .route(
            "/bookings/{id}/costs",
            post(catalogue::booking_pages::post_costs),
        )
        .route("/approvals", get(catalogue::approval_pages::show_approvals))
        .route(
            "/approvals/{id}",
            post(catalogue::approval_pages::post_decision),
        )
        .route(
            "/learning/sessions/{id}/nominate",
            post(catalogue::approval_pages::post_nomination),
        )
        .route(
            "/endorsements",
            get(endorsement::pages::show).post(endorsement::pages::post_ask),
        )
        .route(
            "/endorsements/{id}",
            post(endorsement::pages::post_decision),
        )
        .route(
            "/reminders",
            get(reminders::pages::show).post(reminders::pages::save),
        )
        .route("/nqsw", get(nqsw::pages::show_mine))
        .route("/nqsw.csv", get(nqsw::pages::mine_csv))
        .route("/people/{id}/nqsw", get(nqsw::pages::show_person))
        .route("/people/{id}/nqsw.csv", get(nqsw::pages::person_csv))
        .route(
            "/people/{id}/nqsw/milestones",
            post(nqsw::pages::post_milestone),
        )
        .route("/orgs/{id}/nqsw", get(nqsw::pages::show_programme))
        .route(
            "/orgs/{id}/nqsw/requirements",
            post(nqsw::pages::post_requirement),
        )
        .route(
            "/orgs/{id}/nqsw/enrolments",
            post(nqsw::pages::post_enrolment),
        )
        .route("/plan", get(plan::pages::show_mine))
        .route("/plan/goals", post(plan::pages::post_goal))
        .route("/plan/import", post(plan::pages::post_import))
        .route("/plan/goals/{id}/status", post(plan::pages::post_status))
        .route(
            "/plan/goals/{id}/evidence",
            post(plan::pages::post_evidence),
        )
        .route("/people/{id}/plan", get(plan::pages::show_person))
        .route("/people/{id}/plan/reviews", post(plan::pages::post_review))
        .route(
            "/team-sessions/new",
            get(supervision::team::show_new).post(supervision::team::post_new),
        )
        .route("/supervision", get(supervision::pages::show_mine))
        .route(
            "/supervision/new",
            get(supervision::pages::show_new).post(supervision::pages::post_new),
        )
        .route("/supervision/{id}", get(supervision::pages::show_session))
        .route(
            "/supervision/{id}/attendance",
            post(supervision::pages::post_attendance),
        )
        .route(
            "/supervision/actions/{id}/done",
            post(supervision::pages::post_action_done),
        )
        .route(
            "/orgs/{id}/supervision",
            get(supervision::pages::show_org).post(supervision::pages::post_frequency),
        )
        .route("/follow-ups", get(evaluation::pages::show_follow_ups))
        .route("/follow-ups/{id}", post(evaluation::pages::post_answer))
        .route(
            "/learning/{id}/evaluation",
            get(evaluation::pages::show_results),
        )
        .route(
            "/learning/{id}/evaluation.csv",
            get(evaluation::pages::results_csv),
        )
        .route(
            "/learning/{id}/indicators",
            post(evaluation::pages::post_indicator),
        )
        .route(
            "/indicators/{id}/measures",
            post(evaluation::pages::post_measure),
        )
        .route(
            "/orgs/{id}/evaluation",
            get(evaluation::pages::show_summary),
        )
        .route(
            "/orgs/{id}/evaluation.csv",
            get(evaluation::pages::summary_csv),
        )
        .route(
            "/orgs/{id}/spend",
            get(spend::pages::show_spend).post(spend::pages::save_spend),
        )
        .route("/orgs/{id}/spend.csv", get(spend::pages::spend_csv))
        .route("/bookings/{id}/cancel", post(catalogue::pages::cancel_page))
        .route(
            "/orgs/{id}/offer",
            get(catalogue::pages::show_offer).post(catalogue::pages::save_offer),
        )
        .route("/declarations", post(standing::pages::post_declaration))
        .route(
            "/declarations/{id}/verify",
            post(standing::pages::post_verify),
        )
        .route(
            "/declarations/{id}/return",
            post(standing::pages::post_return),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::expiry::keep_work_on_expiry,
        ));

    Router::new()
        .merge(pages)
        .route("/assets/cairn.css", get(web::assets::get_stylesheet))
        .route("/assets/job.js", get(web::assets::get_job_script))
        .route("/calendar/{file}", get(crate::calendar::feed))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .nest("/api/v1", api)
        .fallback(page_not_found)
        .layer(axum::middleware::from_fn(web::text_guard::refuse_control_characters))
        .layer(axum::middleware::from_fn(web::csrf::origin_guard))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
        ))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(60)))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let request_id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", request.id = %request_id, http.method = %request.method(), http.path = %request.uri().path())
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

async fn get_openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
}

async fn api_not_found() -> web::AppError {
    web::AppError::NotFound
}

async fn page_not_found() -> web::PageError {
    web::PageError(web::AppError::NotFound)
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    ops::spawn_housekeeping(state.clone());
    crate::jobs::spawn_worker(state.clone());
    let db = state.db.clone();
    // The peer's address feeds the sign-in limit per client.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
