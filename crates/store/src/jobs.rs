//! The job queue: work done after the request that asked for it (mail, reminders, e-book builds),
//! kept in the database so that it survives restarts and is shared by every app server.
//!
//! A job is enqueued inside the transaction of the change it follows ([`crate::Writer::enqueue`]),
//! so a change and the mail announcing it commit or vanish together. Workers
//! [claim](Db::claim_jobs) due jobs with a lease: on PostgreSQL `FOR UPDATE SKIP LOCKED` lets
//! several workers claim side by side without waiting on each other; on SQLite the claim runs in a `BEGIN IMMEDIATE` transaction, which holds the
//! database's single write lock, so claims simply take turns. The worker renews the lease while
//! the job runs ([`Db::renew_job_lease`]), so a lease can be short however long the job: one whose
//! lease passes (its worker crashed or was killed) is claimed again soon; a failed attempt is retried after an exponential,
//! jittered, capped backoff, and the job is dead after its last attempt.
//!
//! The clock is the caller's (`now` arguments), so that tests can move it.

use crate::audit::Change;
use crate::sql::PageRequest;
use crate::{Actor, Db, Engine, Result, StoreError, Timestamp, Tx, new_id};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Duration;

/// Attempts a job gets unless its kind asks otherwise.
pub const DEFAULT_MAX_ATTEMPTS: i64 = 8;
/// The first retry waits about this long; each further one twice as long.
pub const BACKOFF_BASE: Duration = Duration::seconds(30);
/// No retry waits longer than this.
pub const BACKOFF_CAP: Duration = Duration::hours(1);
/// Stored error messages are cut to this many characters.
const ERROR_LIMIT: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobStatus {
    /// Waiting for its `run_at`.
    Queued,
    /// Claimed by a worker until `locked_until`.
    Running,
    Done,
    /// An attempt failed; the next waits for `run_at`.
    Failed,
    /// Out of attempts: only an administrator's retry runs it again.
    Dead,
}

impl JobStatus {
    pub const ALL: [JobStatus; 5] =
        [JobStatus::Queued, JobStatus::Running, JobStatus::Done, JobStatus::Failed, JobStatus::Dead];

    pub fn code(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
            JobStatus::Dead => "dead",
        }
    }

    pub fn parse(code: &str) -> Option<JobStatus> {
        JobStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub max_attempts: i64,
    /// Not before this time; now when `None`.
    pub run_at: Option<Timestamp>,
}

impl NewJob {
    pub fn new(kind: &str, payload: serde_json::Value) -> NewJob {
        NewJob { kind: kind.to_owned(), payload, max_attempts: DEFAULT_MAX_ATTEMPTS, run_at: None }
    }
}

#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: JobStatus,
    /// Attempts started so far, this one included while it runs.
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: Timestamp,
    pub locked_by: Option<String>,
    pub locked_until: Option<Timestamp>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, kind, payload, status, attempts, max_attempts, run_at, locked_by, locked_until, last_error, created_at, updated_at";

fn job_from_row(row: &AnyRow) -> Result<Job> {
    let optional_time = |name: &str| -> Result<Option<Timestamp>> {
        row.try_get::<Option<String>, _>(name)?.map(|t| Timestamp::parse(&t)).transpose()
    };
    let status: String = row.try_get("status")?;
    let payload: String = row.try_get("payload")?;
    Ok(Job {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        payload: serde_json::from_str(&payload).map_err(|_| StoreError::Corrupt(format!("job payload {payload:?}")))?,
        status: JobStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("job status {status:?}")))?,
        attempts: row.try_get("attempts")?,
        max_attempts: row.try_get("max_attempts")?,
        run_at: Timestamp::parse(&row.try_get::<String, _>("run_at")?)?,
        locked_by: row.try_get("locked_by")?,
        locked_until: optional_time("locked_until")?,
        last_error: row.try_get("last_error")?,
        created_at: Timestamp::parse(&row.try_get::<String, _>("created_at")?)?,
        updated_at: Timestamp::parse(&row.try_get::<String, _>("updated_at")?)?,
    })
}

/// How long to wait before the attempt after `attempts` failed ones: the base doubled for each
/// failure, capped, then somewhere in its upper half (`jitter` in `[0, 1]`), so that jobs that
/// failed together do not all come back in the same second.
pub fn backoff(attempts: i64, jitter: f64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let full = BACKOFF_BASE.saturating_mul(1 << doublings).min(BACKOFF_CAP);
    full / 2 + (full / 2) * jitter.clamp(0.0, 1.0)
}

/// Adds `job` to the queue inside `tx`: it exists only if `tx` commits.
pub(crate) async fn enqueue_in(tx: &mut Tx, job: &NewJob) -> Result<String> {
    let id = new_id();
    let now = Timestamp::now();
    sqlx::query(
        "INSERT INTO jobs (id, kind, payload, status, attempts, max_attempts, run_at, created_at, updated_at)
         VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, $6)",
    )
    .bind(&id)
    .bind(&job.kind)
    .bind(job.payload.to_string())
    .bind(job.max_attempts.max(1))
    .bind(job.run_at.unwrap_or(now).to_db())
    .bind(now.to_db())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// How many jobs are in each status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobCounts {
    pub queued: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
    pub dead: i64,
}

impl JobCounts {
    pub fn of(&self, status: JobStatus) -> i64 {
        match status {
            JobStatus::Queued => self.queued,
            JobStatus::Running => self.running,
            JobStatus::Done => self.done,
            JobStatus::Failed => self.failed,
            JobStatus::Dead => self.dead,
        }
    }
}

pub struct JobPage {
    pub jobs: Vec<Job>,
    pub total: i64,
}

impl Db {
    /// Adds `job` to the queue in a transaction of its own. Queueing changes nothing by itself:
    /// the job's own work records what it changes.
    pub async fn enqueue(&self, job: &NewJob) -> Result<String> {
        self.system_write(async |b| enqueue_in(&mut b.tx, job).await).await
    }

    /// Adds `jobs` to the queue in one transaction (the benchmark queues thousands at once).
    pub async fn enqueue_all(&self, jobs: &[NewJob]) -> Result<Vec<String>> {
        self.system_write(async |b| {
            let mut ids = Vec::with_capacity(jobs.len());
            for job in jobs {
                ids.push(enqueue_in(&mut b.tx, job).await?);
            }
            Ok(ids)
        })
        .await
    }

    /// Claims up to `limit` due jobs for `worker` until `now + lease`: queued and failed jobs whose
    /// time has come, and running ones whose lease has passed. A job whose lease passed on its last
    /// attempt is marked dead instead of being returned.
    pub async fn claim_jobs(&self, worker: &str, limit: i64, lease: Duration, now: Timestamp) -> Result<Vec<Job>> {
        // PostgreSQL: rows another worker is claiming are skipped, not waited for. SQLite has no
        // row locks: the immediate transaction makes the whole claim exclusive.
        let lock = match self.engine {
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
            Engine::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $1, locked_until = $2, updated_at = $3
             WHERE id IN (
                 SELECT id FROM jobs
                 WHERE (status IN ('queued', 'failed') AND run_at <= $3) OR (status = 'running' AND locked_until < $3)
                 ORDER BY run_at, id LIMIT {limit}{lock})
             RETURNING {COLUMNS}",
            limit = limit.clamp(1, 1000),
        );
        // The queue's own bookkeeping, nobody's change: no audit entry.
        let mut claimed = self
            .system_write(async |b| {
                let rows = sqlx::query(&sql)
                    .bind(worker)
                    .bind(now.after(lease).to_db())
                    .bind(now.to_db())
                    .fetch_all(&mut *b.tx)
                    .await?;
                let mut claimed = Vec::with_capacity(rows.len());
                for row in &rows {
                    let job = job_from_row(row)?;
                    if job.attempts > job.max_attempts {
                        sqlx::query(
                            "UPDATE jobs SET status = 'dead', attempts = max_attempts, locked_by = NULL, locked_until = NULL,
                             last_error = $2, updated_at = $3 WHERE id = $1",
                        )
                        .bind(&job.id)
                        .bind("the worker stopped during the last attempt (lease expired)")
                        .bind(now.to_db())
                        .execute(&mut *b.tx)
                        .await?;
                    } else {
                        claimed.push(job);
                    }
                }
                Ok(claimed)
            })
            .await?;
        claimed.sort_by(|a, b| (a.run_at, &a.id).cmp(&(b.run_at, &b.id)));
        Ok(claimed)
    }

    /// Marks a claimed job done. `false` when the claim was lost (the lease passed and another
    /// worker took the job), in which case nothing changes.
    pub async fn complete_job(&self, job: &Job, now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, last_error = NULL, updated_at = $3
             WHERE id = $1 AND locked_by = $2 AND status = 'running'",
        )
        .bind(&job.id)
        .bind(job.locked_by.as_deref())
        .bind(now.to_db())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Moves the lease of a claimed job that is still running to `until`: its worker is alive,
    /// so nobody else may take it. `false` when the claim was lost.
    pub async fn renew_job_lease(&self, job: &Job, until: Timestamp) -> Result<bool> {
        let renewed =
            sqlx::query("UPDATE jobs SET locked_until = $3 WHERE id = $1 AND locked_by = $2 AND status = 'running'")
                .bind(&job.id)
                .bind(job.locked_by.as_deref())
                .bind(until.to_db())
                .execute(self.pool())
                .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Records a failed attempt of a claimed job: failed, to be retried after [`backoff`], or dead
    /// after its last attempt. `None` when the claim was lost.
    pub async fn fail_job(&self, job: &Job, error: &str, now: Timestamp) -> Result<Option<JobStatus>> {
        let (status, run_at) = if job.attempts >= job.max_attempts {
            (JobStatus::Dead, job.run_at)
        } else {
            (JobStatus::Failed, now.after(backoff(job.attempts, rand::random::<f64>())))
        };
        let error: String = error.chars().take(ERROR_LIMIT).collect();
        let failed = sqlx::query(
            "UPDATE jobs SET status = $3, run_at = $4, last_error = $5, locked_by = NULL, locked_until = NULL, updated_at = $6
             WHERE id = $1 AND locked_by = $2 AND status = 'running'",
        )
        .bind(&job.id)
        .bind(job.locked_by.as_deref())
        .bind(status.code())
        .bind(run_at.to_db())
        .bind(error)
        .bind(now.to_db())
        .execute(self.pool())
        .await?;
        Ok((failed.rows_affected() == 1).then_some(status))
    }

    /// An administrator's retry of a failed or dead job: it runs as soon as a worker is free, and a
    /// dead job starts again with all its attempts. Audited.
    pub async fn retry_job(&self, actor: &Actor, id: &str, now: Timestamp) -> Result<()> {
        self.write(actor, async |w| {
            let before: Option<String> =
                sqlx::query_scalar("SELECT status FROM jobs WHERE id = $1 AND status IN ('failed', 'dead')")
                    .bind(id)
                    .fetch_optional(&mut *w.tx)
                    .await?;
            let Some(before) = before else { return Err(StoreError::NotFound) };
            sqlx::query(
                "UPDATE jobs SET status = 'queued', run_at = $2, updated_at = $2,
                 attempts = CASE WHEN status = 'dead' THEN 0 ELSE attempts END
                 WHERE id = $1",
            )
            .bind(id)
            .bind(now.to_db())
            .execute(&mut *w.tx)
            .await?;
            w.audit(Change {
                action: "retry",
                entity: "job",
                entity_id: Some(id),
                programme_id: None,
                before: Some(json!({ "status": before })),
                after: Some(json!({ "status": JobStatus::Queued.code() })),
            })
            .await
        })
        .await
    }

    pub async fn job(&self, id: &str) -> Result<Option<Job>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM jobs WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(job_from_row).transpose()
    }

    /// Jobs of `status` (all when `None`), most recently changed first.
    pub async fn jobs(&self, status: Option<JobStatus>, page: PageRequest) -> Result<JobPage> {
        let condition = if status.is_some() { "WHERE status = $1" } else { "" };
        let code = status.map(JobStatus::code);
        let count_sql = format!("SELECT COUNT(*) FROM jobs {condition}");
        let list_sql =
            format!("SELECT {COLUMNS} FROM jobs {condition} ORDER BY updated_at DESC, id DESC{}", page.limit_offset());
        let mut count = sqlx::query_scalar(&count_sql);
        let mut list = sqlx::query(&list_sql);
        if let Some(code) = code {
            count = count.bind(code);
            list = list.bind(code);
        }
        let total: i64 = count.fetch_one(self.pool()).await?;
        let jobs = list.fetch_all(self.pool()).await?.iter().map(job_from_row).collect::<Result<_>>()?;
        Ok(JobPage { jobs, total })
    }

    pub async fn job_counts(&self) -> Result<JobCounts> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status").fetch_all(self.pool()).await?;
        let mut counts = JobCounts::default();
        for row in rows {
            let n: i64 = row.try_get("n")?;
            match JobStatus::parse(&row.try_get::<String, _>("status")?) {
                Some(JobStatus::Queued) => counts.queued = n,
                Some(JobStatus::Running) => counts.running = n,
                Some(JobStatus::Done) => counts.done = n,
                Some(JobStatus::Failed) => counts.failed = n,
                Some(JobStatus::Dead) => counts.dead = n,
                None => {}
            }
        }
        Ok(counts)
    }

    /// Deletes done jobs last changed before `before`; returns how many.
    pub async fn purge_done_jobs(&self, before: Timestamp) -> Result<u64> {
        let deleted = sqlx::query("DELETE FROM jobs WHERE status = 'done' AND updated_at < $1")
            .bind(before.to_db())
            .execute(self.pool())
            .await?;
        Ok(deleted.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn backoff_doubles_within_jitter_and_stops_at_the_cap() {
        assert_eq!(backoff(1, 1.0), BACKOFF_BASE);
        assert_eq!(backoff(1, 0.0), BACKOFF_BASE / 2);
        assert_eq!(backoff(3, 1.0), BACKOFF_BASE * 4);
        assert_eq!(backoff(3, 0.0), BACKOFF_BASE * 2);
        assert_eq!(backoff(40, 1.0), BACKOFF_CAP);
        assert_eq!(backoff(i64::MAX, 0.0), BACKOFF_CAP / 2);
        for attempts in 1..20 {
            assert!(backoff(attempts, 0.0) <= backoff(attempts + 1, 0.0));
            assert!(backoff(attempts, 0.3) <= backoff(attempts, 0.7));
        }
    }

    #[test]
    fn statuses_round_trip() {
        for status in JobStatus::ALL {
            assert_eq!(JobStatus::parse(status.code()), Some(status));
        }
        assert_eq!(JobStatus::parse("other"), None);
    }

    const LEASE: Duration = Duration::minutes(5);

    async fn enqueue_n(db: &Db, n: usize) -> HashSet<String> {
        let mut ids = HashSet::new();
        for i in 0..n {
            ids.insert(db.enqueue(&NewJob::new("test", json!({ "n": i }))).await.unwrap());
        }
        ids
    }

    crate::engine_tests! {
        async fn racing_workers_take_each_job_exactly_once(db: Db) {
            let ids = enqueue_n(&db, 120).await;
            let mut workers = Vec::new();
            for w in 0..4 {
                let db = db.clone();
                workers.push(tokio::spawn(async move {
                    let worker = format!("worker-{w}");
                    let mut ran = Vec::new();
                    loop {
                        let jobs = db.claim_jobs(&worker, 3, LEASE, Timestamp::now()).await.unwrap();
                        if jobs.is_empty() {
                            return ran;
                        }
                        for job in jobs {
                            assert_eq!(job.attempts, 1);
                            assert!(db.complete_job(&job, Timestamp::now()).await.unwrap());
                            ran.push(job.id);
                        }
                    }
                }));
            }
            let mut ran = Vec::new();
            for worker in workers {
                ran.extend(worker.await.unwrap());
            }
            assert_eq!(ran.len(), ids.len(), "every job ran once, none twice");
            assert_eq!(ran.into_iter().collect::<HashSet<_>>(), ids);
            let counts = db.job_counts().await.unwrap();
            assert_eq!(counts, JobCounts { done: 120, ..JobCounts::default() });
        }

        async fn failures_back_off_then_die_and_an_administrator_can_retry(db: Db) {
            let mut new = NewJob::new("test", json!({}));
            new.max_attempts = 3;
            let id = db.enqueue(&new).await.unwrap();
            // Stored times have microseconds: start from one, so that waits compare exactly.
            let mut now = Timestamp::parse(&Timestamp::now().to_db()).unwrap();
            for attempt in 1..=3 {
                let jobs = db.claim_jobs("w", 10, LEASE, now).await.unwrap();
                assert_eq!(jobs.len(), 1, "attempt {attempt}");
                assert_eq!(jobs[0].attempts, attempt);
                let status = db.fail_job(&jobs[0], "smtp refused", now).await.unwrap();
                let job = db.job(&id).await.unwrap().unwrap();
                assert_eq!(job.last_error.as_deref(), Some("smtp refused"));
                assert!(job.locked_by.is_none());
                if attempt < 3 {
                    assert_eq!(status, Some(JobStatus::Failed));
                    let wait = job.run_at.0 - now.0;
                    assert!(wait >= backoff(attempt, 0.0) && wait <= backoff(attempt, 1.0), "{wait}");
                    // Not before its time.
                    assert!(db.claim_jobs("w", 10, LEASE, now.after(wait / 2)).await.unwrap().is_empty());
                    now = job.run_at;
                } else {
                    assert_eq!(status, Some(JobStatus::Dead));
                    assert_eq!(job.status, JobStatus::Dead);
                }
            }
            assert!(db.claim_jobs("w", 10, LEASE, now.after(Duration::days(30))).await.unwrap().is_empty());
            let admin = Actor::cli();
            db.retry_job(&admin, &id, now).await.unwrap();
            let job = db.job(&id).await.unwrap().unwrap();
            assert_eq!((job.status, job.attempts), (JobStatus::Queued, 0));
            assert!(matches!(db.retry_job(&admin, &id, now).await, Err(StoreError::NotFound)), "queued: nothing to retry");
            let jobs = db.claim_jobs("w", 10, LEASE, now).await.unwrap();
            assert_eq!(jobs.len(), 1);
            assert!(db.complete_job(&jobs[0], now).await.unwrap());
            let filter = crate::audit::Filter { entity: Some("job".into()), ..Default::default() };
            assert_eq!(db.audit_entries(&filter, 10, 0).await.unwrap().total, 1);
        }

        async fn an_expired_lease_lets_another_worker_take_the_job(db: Db) {
            let mut new = NewJob::new("test", json!({}));
            new.max_attempts = 2;
            let id = db.enqueue(&new).await.unwrap();
            let now = Timestamp::now();
            let first = db.claim_jobs("crashed", 10, LEASE, now).await.unwrap();
            assert_eq!(first.len(), 1);
            assert!(db.claim_jobs("other", 10, LEASE, now.after(Duration::minutes(4))).await.unwrap().is_empty());
            let later = now.after(Duration::minutes(6));
            let second = db.claim_jobs("other", 10, LEASE, later).await.unwrap();
            assert_eq!(second.len(), 1);
            assert_eq!((second[0].attempts, second[0].locked_by.as_deref()), (2, Some("other")));
            // The first worker comes back too late: its result no longer counts.
            assert!(!db.complete_job(&first[0], later).await.unwrap());
            assert_eq!(db.fail_job(&first[0], "late", later).await.unwrap(), None);
            // The second one crashes as well, on the last attempt: the job is dead, not run a third time.
            let much_later = later.after(Duration::minutes(6));
            assert!(db.claim_jobs("third", 10, LEASE, much_later).await.unwrap().is_empty());
            let job = db.job(&id).await.unwrap().unwrap();
            assert_eq!((job.status, job.attempts), (JobStatus::Dead, 2));
            assert!(job.last_error.unwrap().contains("lease"));
        }

        async fn a_renewed_lease_keeps_the_job_from_other_workers(db: Db) {
            let id = db.enqueue(&NewJob::new("test", json!({}))).await.unwrap();
            let now = Timestamp::now();
            let claimed = db.claim_jobs("alive", 1, LEASE, now).await.unwrap().pop().unwrap();
            let renewed_at = now.after(Duration::minutes(4));
            assert!(db.renew_job_lease(&claimed, renewed_at.after(LEASE)).await.unwrap());
            let past_first_lease = now.after(Duration::minutes(6));
            assert!(db.claim_jobs("other", 1, LEASE, past_first_lease).await.unwrap().is_empty(), "still held");
            // The worker dies: one lease after its last renewal the job is taken again.
            let after_renewal = renewed_at.after(LEASE).after(Duration::seconds(1));
            let again = db.claim_jobs("other", 1, LEASE, after_renewal).await.unwrap().pop().unwrap();
            assert_eq!((again.id.as_str(), again.attempts), (id.as_str(), 2));
            assert!(!db.renew_job_lease(&claimed, after_renewal.after(LEASE)).await.unwrap(), "the claim was lost");
            assert_eq!(db.job(&id).await.unwrap().unwrap().locked_by.as_deref(), Some("other"));
        }

        async fn a_job_enqueued_in_a_rolled_back_transaction_does_not_exist(db: Db) {
            let failed = db
                .write(&Actor::cli(), async |w| {
                    w.enqueue(&NewJob::new("mail", json!({}))).await?;
                    Err::<(), _>(StoreError::NotFound)
                })
                .await;
            assert!(matches!(failed, Err(StoreError::NotFound)));
            assert_eq!(db.job_counts().await.unwrap(), JobCounts::default());
            let id = db
                .write(&Actor::cli(), async |w| w.enqueue(&NewJob::new("mail", json!({"to": "a@b.it"}))).await)
                .await
                .unwrap();
            let job = db.job(&id).await.unwrap().unwrap();
            assert_eq!((job.kind.as_str(), job.payload["to"].as_str()), ("mail", Some("a@b.it")));
        }

        async fn lists_page_by_status_and_done_jobs_are_purged(db: Db) {
            enqueue_n(&db, 5).await;
            let now = Timestamp::now();
            for job in db.claim_jobs("w", 2, LEASE, now).await.unwrap() {
                db.complete_job(&job, now).await.unwrap();
            }
            let counts = db.job_counts().await.unwrap();
            assert_eq!((counts.queued, counts.done), (3, 2));
            let page = db.jobs(Some(JobStatus::Queued), PageRequest::new(Some(2), Some(2))).await.unwrap();
            assert_eq!((page.total, page.jobs.len()), (3, 1));
            assert!(page.jobs.iter().all(|j| j.status == JobStatus::Queued));
            assert_eq!(db.jobs(None, PageRequest::new(None, None)).await.unwrap().total, 5);
            assert_eq!(db.purge_done_jobs(now).await.unwrap(), 0);
            assert_eq!(db.purge_done_jobs(now.after(Duration::seconds(1))).await.unwrap(), 2);
            assert_eq!(db.job_counts().await.unwrap().done, 0);
        }
    }
}
