//! The HTTP server: application state, the route table and its layers, and serving with a
//! graceful shutdown.

use crate::app::AppState;
use crate::{
    auth, booking, calendar, catalogue, endorsement, evaluation, home, jobs, learning,
    notifications, nqsw, ops, people, plan, record, reminders, spend, standing, supervision, web,
};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest JSON or form body accepted.
const MAX_BODY: usize = 1024 * 1024;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The API's description: what is not read from the handlers themselves.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "cairn API",
        version = "1",
        description = "The learning record of the social services workforce. Sign in with POST /api/v1/auth/token and send `Authorization: Bearer TOKEN`. Errors are application/problem+json naming each bad field. Any POST may carry an `Idempotency-Key` header (1 to 100 visible characters, such as a UUID): sent again with the same key within a day, it is done once and the first successful answer is returned with `Idempotent-Replayed: true`; the same key for a different request is a 422, and while the first is still being handled a 409.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    servers((url = "/")),
    security(("bearer" = [])),
    modifiers(&BearerToken),
    tags(
        (name = "sign-in", description = "Tokens for the API"),
        (name = "people", description = "People, organisations, invitations and the HR feed"),
        (name = "learning", description = "The learning record and its evidence"),
        (name = "record", description = "The portable record (cairn-record/1), out and in"),
        (name = "standing", description = "Where a person stands against the requirements, declarations and compliance"),
        (name = "catalogue", description = "Opportunities, sessions, bookings and approvals"),
        (name = "notifications", description = "What a person has been told"),
        (name = "spend", description = "Costs, budgets, the allowance and the spend report"),
        (name = "evaluation", description = "Evaluation at four levels"),
        (name = "supervision", description = "Supervision sessions, actions and who is due"),
        (name = "nqsw", description = "The newly qualified social worker's supported year"),
        (name = "endorsement", description = "Endorsement of learning entries"),
        (name = "plan", description = "Personal development plans"),
        (name = "reminders", description = "What is due, and the daily email digest"),
        (name = "jobs", description = "Work done in the background, such as a large import"),
        (name = "meta", description = "This description"),
    ),
    components(schemas(web::Problem)),
)]
struct ApiDoc;

/// The bearer token every operation needs unless it says otherwise.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

/// Every feature's JSON API (mounted under `/api/v1`), with its description: an operation
/// is routed only through its documented handler, so the two cannot disagree.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_openapi))
        .merge(auth::api::routes())
        .merge(catalogue::api::routes())
        .merge(endorsement::api::routes())
        .merge(evaluation::api::routes())
        .merge(jobs::api::routes())
        .merge(learning::api::routes())
        .merge(notifications::api::routes())
        .merge(nqsw::api::routes())
        .merge(people::api::routes())
        .merge(plan::api::routes())
        .merge(record::api::routes())
        .merge(reminders::api::routes())
        .merge(spend::api::routes())
        .merge(standing::api::routes())
        .merge(supervision::api::routes())
}

/// The OpenAPI 3.1 document of the API, as served at `/api/v1/openapi.json`.
pub fn api_document() -> utoipa::openapi::OpenApi {
    let (_, mut document) = OpenApiRouter::with_openapi(<ApiDoc as utoipa::OpenApi>::openapi())
        .nest("/api/v1", api_routes())
        .split_for_parts();
    web::openapi::every_error_is_a_problem(&mut document);
    document
}

/// The whole application's routes and layers.
pub fn router(state: AppState) -> Router {
    let (api, _) = api_routes().split_for_parts();
    let api = api
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
        .merge(auth::pages::routes())
        .merge(calendar::page_routes())
        .merge(booking::routes())
        .merge(catalogue::pages::routes())
        .merge(endorsement::pages::routes())
        .merge(evaluation::pages::routes())
        .merge(home::routes())
        .merge(learning::pages::routes())
        .merge(notifications::pages::routes())
        .merge(nqsw::pages::routes())
        .merge(people::pages::routes())
        .merge(plan::pages::routes())
        .merge(reminders::pages::routes())
        .merge(spend::pages::routes())
        .merge(standing::pages::routes())
        .merge(supervision::pages::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::expiry::keep_work_on_expiry,
        ));

    Router::new()
        .merge(pages)
        .route("/assets/cairn.css", get(web::assets::get_stylesheet))
        .route("/assets/job.js", get(web::assets::get_job_script))
        .route("/assets/offline.js", get(web::assets::get_offline_script))
        .route("/sw.js", get(web::assets::get_service_worker))
        .route("/manifest.webmanifest", get(web::assets::get_manifest))
        .route("/favicon.svg", get(web::assets::get_favicon))
        .route("/favicon.ico", get(web::assets::get_favicon))
        .route("/offline", get(web::offline::show_offline_capture))
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
        // Pages, JSON and CSV gzipped for those who ask (about a quarter of the bytes on a
        // poor connection). A page's CSRF token is not its only guard against forgery (the
        // Origin check is), so a compression side channel on it gains nothing.
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let request_id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", request.id = %request_id, http.method = %request.method(), http.path = %request.uri().path())
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// The document is the same for the life of the process: built once, on first request.
static API_DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

#[utoipa::path(
    get, path = "/openapi.json", tag = "meta", operation_id = "get_openapi", security(()),
    summary = "This document",
    responses((status = 200, description = "The OpenAPI 3.1 description of the API", body = Object)),
)]
async fn get_openapi() -> impl IntoResponse {
    let document = API_DOCUMENT.get_or_init(|| {
        api_document()
            .to_pretty_json()
            .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        document.as_str(),
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
    ops::spawn_daily_standing(state.clone());
    crate::worker::spawn_worker(state.clone());
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
