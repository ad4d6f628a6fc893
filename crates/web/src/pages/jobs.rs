//! `/admin/jobs`: the job queue as the platform administrator sees it — how many jobs wait, run,
//! failed or died, a page of them by status, and a retry for failed and dead ones.

use super::audit::rome_time;
use super::{actor_of, render, set_flash_redirect};
use crate::AppState;
use crate::context::RequestContext;
use crate::error::{AppError, AppResult};
use crate::page::{FormPage, PageContext};
use crate::pagination::Pager;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use reti_store::PageRequest;
use reti_store::jobs::JobStatus;
use reti_store::{StoreError, Timestamp};
use serde::Deserialize;
use tower_sessions::Session;

const PER_PAGE: u32 = 50;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct JobsQuery {
    status: String,
    page: Option<u32>,
}

pub struct StatusView {
    code: &'static str,
    label: String,
    count: i64,
}

pub struct JobView {
    id: String,
    kind: String,
    status: String,
    attempts: String,
    run_at: String,
    updated_at: String,
    last_error: String,
    retryable: bool,
}

#[derive(Template)]
#[template(path = "admin_jobs.html")]
struct JobsPage {
    page: PageContext,
    statuses: Vec<StatusView>,
    selected: String,
    jobs: Vec<JobView>,
    total: i64,
    pager: Pager,
}

fn status_label(page: &PageContext, status: JobStatus) -> String {
    page.t(&format!("jobs-status-{}", status.code()))
}

pub async fn list(
    State(state): State<AppState>,
    FormPage(page): FormPage,
    Query(query): Query<JobsQuery>,
) -> AppResult<Response> {
    let status = JobStatus::parse(&query.status);
    let request = PageRequest::new(query.page, Some(PER_PAGE));
    let result = state.db.jobs(status, request).await?;
    let counts = state.db.job_counts().await?;
    let statuses = JobStatus::ALL
        .into_iter()
        .map(|s| StatusView { code: s.code(), label: status_label(&page, s), count: counts.of(s) })
        .collect();
    let jobs = result
        .jobs
        .into_iter()
        .map(|job| JobView {
            retryable: matches!(job.status, JobStatus::Failed | JobStatus::Dead),
            status: status_label(&page, job.status),
            attempts: format!("{}/{}", job.attempts, job.max_attempts),
            run_at: rome_time(job.run_at.0),
            updated_at: rome_time(job.updated_at.0),
            last_error: job.last_error.unwrap_or_default(),
            kind: job.kind,
            id: job.id,
        })
        .collect();
    let selected = status.map(|s| s.code().to_owned()).unwrap_or_default();
    let pager = Pager::new("/admin/jobs", &[("status", selected.clone())], request, result.total);
    render(&JobsPage { page, statuses, selected, jobs, total: result.total, pager })
}

pub async fn retry(
    State(state): State<AppState>,
    Extension(context): Extension<RequestContext>,
    session: Session,
    page: PageContext,
    Path(id): Path<String>,
) -> AppResult<Response> {
    match state.db.retry_job(&actor_of(&context), &id, Timestamp::now()).await {
        Ok(()) => set_flash_redirect(&session, page.t("jobs-retried"), "/admin/jobs").await,
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(error) => Err(error.into()),
    }
}
