//! The web face of Reti: the axum router with its HTML pages and JSON API.
//!
//! Layers, outermost first: request id → tracing → metrics → compression → security headers →
//! error pages → panic catcher → body limit → session → request context (who, which language) →
//! CSRF → the route's access guard → handler.

pub mod access;
pub mod accompaniment;
pub mod actor_map;
pub mod api;
pub mod assets;
pub mod attachments;
pub mod calendar;
pub mod context;
pub mod csrf;
pub mod custom_indicators;
pub mod editions;
pub mod error;
pub mod exchanges;
pub mod export;
pub mod extract;
pub mod funder_report;
pub mod i18n;
pub mod indicators;
pub mod jobs;
pub mod mail;
pub mod notices;
pub mod ops;
pub mod page;
pub mod pages;
pub mod pagination;
pub mod reading;
pub mod routes;
pub mod second_factor;
pub mod security;
pub mod sustainability;
pub mod ties;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderName;
use reti_store::Db;
use reti_store::sessions::DbSessionStore;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// What the web layer needs to know of the configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The address people use to reach the site, for links in e-mails (no trailing slash).
    pub public_url: String,
    /// Mark cookies `Secure`; on when `public_url` is https.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// Lets `/metrics` answer requests from other hosts that present it as a bearer token.
    pub metrics_token: Option<String>,
    pub mail: mail::MailConfig,
    /// Job workers `serve` runs beside the web server.
    pub job_workers: usize,
    /// How long a job is held for its worker between renewals (see [`jobs::DEFAULT_LEASE`]).
    pub job_lease: time::Duration,
    /// Where meeting attachments are kept (`<data_dir>/attachments`).
    pub data_dir: PathBuf,
    /// The base URL of a Jitsi server (e.g. `https://meet.jit.si`): videoconferences without a
    /// pasted link get a room there.
    pub jitsi_url: Option<String>,
    /// How long guests' data is kept after their event (decision 0050).
    pub retention: reti_store::privacy::Retention,
    /// Who is asked to turn the second factor on (decision 0060).
    pub require_mfa_for: second_factor::MfaPolicy,
}

impl WebConfig {
    pub fn new(public_url: &str, data_dir: PathBuf) -> WebConfig {
        let public_url = public_url.trim_end_matches('/').to_owned();
        WebConfig {
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            trust_proxy: false,
            metrics_token: None,
            mail: mail::MailConfig::outbox(data_dir.join("outbox")),
            job_workers: 2,
            job_lease: jobs::DEFAULT_LEASE,
            data_dir,
            jitsi_url: None,
            retention: reti_store::privacy::Retention::default(),
            require_mfa_for: second_factor::MfaPolicy::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<WebConfig>,
}

impl AppState {
    pub fn new(db: Db, config: WebConfig) -> AppState {
        AppState { db, config: Arc::new(config) }
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const SESSION_IDLE: time::Duration = time::Duration::hours(8);

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    // Over https the cookie takes the `__Host-` prefix: browsers then refuse it unless it is
    // Secure, for this host only and for every path, so no sibling site can set or shadow it.
    let cookie_name = if state.config.secure_cookies { "__Host-reti_session" } else { "reti_session" };
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(cookie_name)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(SESSION_IDLE));

    routes::build(state.clone())
        .fallback(|| async { error::AppError::NotFound })
        .layer(axum::middleware::from_fn(csrf::verify_csrf))
        .layer(axum::middleware::from_fn_with_state(state.clone(), context::load_context))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(state.db.clone(), context::one_connection))
        .layer(DefaultBodyLimit::max(csrf::FORM_BODY_LIMIT))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(error::render_errors))
        .layer(axum::middleware::from_fn_with_state(state.config.secure_cookies, security::headers))
        .layer(assets::compression())
        .layer(axum::middleware::from_fn(ops::track_metrics))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            let request_id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %security::logged_path(request.uri().path()), request_id = %request_id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Serves, with the job workers beside, until Ctrl-C or SIGTERM; then lets requests in flight and
/// the jobs in hand finish.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let registry = jobs::Registry::standard(&state.db, &state.config).map_err(std::io::Error::other)?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut runner = jobs::Runner::new(state.db.clone(), registry);
    runner.lease = state.config.job_lease;
    let workers = tokio::spawn(runner.run(state.config.job_workers, stopped));
    let db = state.db.clone();
    let data_dir = state.config.data_dir.clone();
    let sweeper = tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(error) = db.delete_expired_sessions().await {
                tracing::warn!(?error, "could not delete expired sessions");
            }
            if let Err(error) = db.delete_expired_pending_imports().await {
                tracing::warn!(?error, "could not delete expired pending imports");
            }
            if let Err(error) = attachments::sweep_orphans(&db, &data_dir, attachments::ORPHAN_AGE).await {
                tracing::warn!(?error, "could not sweep attachments without a record");
            }
        }
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            let _ = stop.send(true);
        })
        .await;
    sweeper.abort();
    let _ = workers.await;
    result
}

/// Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests and jobs in flight");
}
