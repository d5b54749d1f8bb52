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
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The largest JSON or form body accepted.
const MAX_BODY: usize = 1024 * 1024;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application's routes and layers.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/openapi.json", get(get_openapi))
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
