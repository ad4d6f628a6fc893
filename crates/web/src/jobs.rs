//! The workers of the job queue (the queue itself is `reti_store::jobs`): a registry of handlers
//! by job kind, and a runner that keeps N workers claiming and running jobs. Workers run inside
//! `serve` and in `reti jobs run`; on shutdown each finishes the job in hand and takes no other.

use crate::WebConfig;
use crate::mail::{self, MailJob, Mailer};
use crate::pages::password;
use reti_store::jobs::Job;
use reti_store::{Db, Timestamp};
use reti_store::{exchanges, notices};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

type HandlerFuture = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;
type Handler = Arc<dyn Fn(serde_json::Value) -> HandlerFuture + Send + Sync>;

/// What runs each kind of job.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<String, Handler>,
}

impl Registry {
    /// Runs jobs of `kind` with `handler`, which gets the job's payload. An error (or a panic)
    /// fails the attempt.
    pub fn register<F, Fut>(&mut self, kind: &str, handler: F)
    where
        F: Fn(serde_json::Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        self.handlers.insert(kind.to_owned(), Arc::new(move |payload| Box::pin(handler(payload))));
    }

    /// The handlers of the application: mail, the lookup of a forgotten password's address, the
    /// notices of meetings and follow-ups, the mail of exchange notifications, the builds of
    /// the e-book's editions and funder reports, and the retention of personal data.
    pub fn standard(db: &Db, config: &WebConfig) -> anyhow::Result<Registry> {
        let mailer = Mailer::new(&config.mail)?;
        let mut registry = Registry::default();
        let mail_db = db.clone();
        registry.register(mail::JOB_KIND, move |payload| {
            let (mailer, db) = (mailer.clone(), mail_db.clone());
            async move { mail::send_once(&db, &mailer, &serde_json::from_value::<MailJob>(payload)?).await }
        });
        let (notice_db, notice_config) = (db.clone(), Arc::new(config.clone()));
        registry.register(notices::MEETING_NOTICE_KIND, move |payload| {
            let (db, config) = (notice_db.clone(), notice_config.clone());
            async move { crate::notices::send_meeting_notice(&db, &config, payload).await }
        });
        let (notice_db, notice_config) = (db.clone(), Arc::new(config.clone()));
        registry.register(notices::FOLLOW_UP_NOTICE_KIND, move |payload| {
            let (db, config) = (notice_db.clone(), notice_config.clone());
            async move { crate::notices::send_follow_up_notice(&db, &config, payload).await }
        });
        let (mail_db, mail_config) = (db.clone(), Arc::new(config.clone()));
        registry.register(exchanges::EXCHANGE_MAIL_KIND, move |payload| {
            let (db, config) = (mail_db.clone(), mail_config.clone());
            async move { crate::exchanges::send_immediate(&db, &config, payload).await }
        });
        let (digest_db, digest_config) = (db.clone(), Arc::new(config.clone()));
        registry.register(exchanges::EXCHANGE_DIGEST_KIND, move |payload| {
            let (db, config) = (digest_db.clone(), digest_config.clone());
            async move { crate::exchanges::send_digests(&db, &config, payload).await }
        });
        let build_db = db.clone();
        registry.register(reti_store::editions::EDITION_BUILD_KIND, move |payload| {
            let db = build_db.clone();
            async move { crate::editions::run_build(&db, payload).await }
        });
        let report_db = db.clone();
        registry.register(reti_store::funder_reports::FUNDER_REPORT_KIND, move |payload| {
            let db = report_db.clone();
            async move { crate::funder_report::run_build(&db, payload).await }
        });
        let (retention_db, retention) = (db.clone(), config.retention);
        registry.register(reti_store::privacy::RETENTION_KIND, move |_| {
            let db = retention_db.clone();
            async move {
                let outcome = db.apply_retention(Timestamp::now(), retention).await?;
                tracing::info!(?outcome, "retention periods applied");
                Ok(())
            }
        });
        let (db, config) = (db.clone(), Arc::new(config.clone()));
        registry.register(password::RESET_LOOKUP_KIND, move |payload| {
            let (db, config) = (db.clone(), config.clone());
            async move { password::look_up_reset(&db, &config, payload).await }
        });
        Ok(registry)
    }
}

/// Claims jobs and runs them.
#[derive(Clone)]
pub struct Runner {
    db: Db,
    registry: Arc<Registry>,
    name: String,
    /// A job not finished within its lease is taken again by another worker.
    pub lease: time::Duration,
    /// How long an idle worker waits before looking again.
    pub poll: Duration,
}

/// How often each server looks for reminders to send; the sweep marks what it queues, so
/// servers sweeping together send each reminder once.
const REMINDER_SWEEP: Duration = Duration::from_secs(300);

/// How long a claimed job is held without its worker renewing the lease: after a crash, its
/// jobs run again this long after the worker's last sign of life.
pub const DEFAULT_LEASE: time::Duration = time::Duration::minutes(1);

/// Done jobs are kept this long for the administrator's page, then deleted.
const KEEP_DONE: time::Duration = time::Duration::days(7);

impl Runner {
    pub fn new(db: Db, registry: Registry) -> Runner {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "reti".into());
        Runner {
            db,
            registry: Arc::new(registry),
            name: format!("{host}-{}-{}", std::process::id(), &uuid::Uuid::now_v7().simple().to_string()[24..]),
            lease: DEFAULT_LEASE,
            poll: Duration::from_secs(1),
        }
    }

    /// Claims one due job for `worker` and runs it; `false` when none was due.
    async fn run_next(&self, worker: &str) -> anyhow::Result<bool> {
        let Some(job) = self.db.claim_jobs(worker, 1, self.lease, Timestamp::now()).await?.pop() else {
            return Ok(false);
        };
        self.execute(job).await?;
        Ok(true)
    }

    async fn execute(&self, job: Job) -> anyhow::Result<()> {
        let outcome = match self.registry.handlers.get(&job.kind) {
            // On a task of its own, so that a panic fails the attempt instead of the worker.
            Some(handler) => self.holding_lease(&job, tokio::spawn(handler(job.payload.clone()))).await,
            None => Err(anyhow::anyhow!("no handler for jobs of kind {:?}", job.kind)),
        };
        match outcome {
            Ok(()) => {
                if !self.db.complete_job(&job, Timestamp::now()).await? {
                    tracing::warn!(job = %job.id, kind = %job.kind, "job finished after its lease had passed");
                }
            }
            Err(error) => {
                let status = self.db.fail_job(&job, &format!("{error:#}"), Timestamp::now()).await?;
                tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, ?status, error = %format!("{error:#}"), "job failed");
            }
        }
        Ok(())
    }

    /// Waits for the handler of `job`, renewing the job's lease every third of it meanwhile: a job
    /// may run longer than the lease while its worker lives, and is taken again one lease after
    /// its worker died (decision 0052).
    async fn holding_lease(
        &self,
        job: &Job,
        mut handler: tokio::task::JoinHandle<anyhow::Result<()>>,
    ) -> anyhow::Result<()> {
        let every = Duration::try_from(self.lease / 3).unwrap_or(Duration::ZERO).max(Duration::from_millis(100));
        loop {
            tokio::select! {
                joined = &mut handler => {
                    return joined.unwrap_or_else(|error| Err(anyhow::anyhow!("the handler stopped: {error}")));
                }
                () = tokio::time::sleep(every) => {
                    match self.db.renew_job_lease(job, Timestamp::now().after(self.lease)).await {
                        Ok(true) => {}
                        Ok(false) => tracing::warn!(job = %job.id, kind = %job.kind, "the job's lease passed while it ran"),
                        Err(error) => tracing::warn!(job = %job.id, %error, "could not renew the job's lease"),
                    }
                }
            }
        }
    }

    /// Runs the jobs due now with `workers` workers side by side, until none is left; returns
    /// how many ran. For `reti jobs run --once`, the tests and the benchmark.
    pub async fn run_due(&self, workers: usize) -> anyhow::Result<usize> {
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..workers.max(1) {
            let (runner, worker) = (self.clone(), format!("{}-{n}", self.name));
            tasks.spawn(async move {
                let mut ran = 0;
                while runner.run_next(&worker).await? {
                    ran += 1;
                }
                anyhow::Ok(ran)
            });
        }
        let mut total = 0;
        while let Some(ran) = tasks.join_next().await {
            total += ran??;
        }
        Ok(total)
    }

    /// Keeps `workers` workers busy until `stop` turns true (or its sender is dropped); each
    /// worker then finishes the job in hand. Also queues due reminders (and the day's exchange
    /// digests, once a day) every few minutes; hourly, deletes old done jobs and queues the day's
    /// retention of personal data (once a day).
    pub async fn run(self, workers: usize, stop: watch::Receiver<bool>) {
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..workers.max(1) {
            let (runner, worker, mut stop) = (self.clone(), format!("{}-{n}", self.name), stop.clone());
            tasks.spawn(async move {
                while !*stop.borrow() {
                    let idle = match runner.run_next(&worker).await {
                        Ok(ran) => !ran,
                        Err(error) => {
                            tracing::warn!(%error, "the job queue is not reachable");
                            true
                        }
                    };
                    if idle {
                        tokio::select! {
                            () = tokio::time::sleep(runner.poll) => {}
                            _ = stop.wait_for(|stopped| *stopped) => break,
                        }
                    }
                }
            });
        }
        let (sweep_db, mut sweep_stop) = (self.db.clone(), stop.clone());
        tasks.spawn(async move {
            let mut every = tokio::time::interval(REMINDER_SWEEP);
            loop {
                tokio::select! {
                    _ = every.tick() => {}
                    _ = sweep_stop.wait_for(|stopped| *stopped) => break,
                }
                if let Err(error) = sweep_db.sweep_reminders(chrono::Utc::now()).await {
                    tracing::warn!(?error, "could not queue the reminders");
                }
                if let Err(error) = sweep_db.exchange_sweep_digest(chrono::Utc::now()).await {
                    tracing::warn!(?error, "could not queue the exchange digests");
                }
            }
        });
        let (db, mut stop) = (self.db.clone(), stop);
        tasks.spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(3600));
            loop {
                tokio::select! {
                    _ = every.tick() => {}
                    _ = stop.wait_for(|stopped| *stopped) => break,
                }
                if let Err(error) = db.privacy_sweep_retention(Timestamp::now()).await {
                    tracing::warn!(?error, "could not queue the retention of personal data");
                }
                if let Err(error) = db.purge_done_jobs(Timestamp::now().before(KEEP_DONE)).await {
                    tracing::warn!(?error, "could not delete old done jobs");
                }
                let keep = reti_store::mail_sends::KEEP_MAIL_SENDS;
                if let Err(error) = db.purge_mail_sends(Timestamp::now().before(keep)).await {
                    tracing::warn!(?error, "could not delete old records of mail sent");
                }
            }
        });
        while tasks.join_next().await.is_some() {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reti_store::jobs::{JobStatus, NewJob};
    use reti_store::testing::TestDb;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn counting(count: Arc<AtomicUsize>) -> Registry {
        let mut registry = Registry::default();
        registry.register("count", move |_| {
            let count = count.clone();
            async move {
                count.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        });
        registry.register("fail", |_| async { anyhow::bail!("refused") });
        registry.register("panic", |_| async { panic!("handler bug") });
        registry
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn failures_panics_and_unknown_kinds_fail_the_attempt_not_the_worker() {
        let test = TestDb::new(reti_store::Engine::Sqlite).await.unwrap();
        let db = test.db.clone();
        let count = Arc::new(AtomicUsize::new(0));
        let mut ids = Vec::new();
        for kind in ["count", "fail", "panic", "unknown", "count"] {
            ids.push(db.enqueue(&NewJob::new(kind, serde_json::json!({}))).await.unwrap());
        }
        let runner = Runner::new(db.clone(), counting(count.clone()));
        assert_eq!(runner.run_due(2).await.unwrap(), 5);
        assert_eq!(count.load(Ordering::SeqCst), 2);
        let statuses: Vec<_> = {
            let mut statuses = Vec::new();
            for id in &ids {
                statuses.push(db.job(id).await.unwrap().unwrap().status);
            }
            statuses
        };
        use JobStatus::*;
        assert_eq!(statuses, vec![Done, Failed, Failed, Failed, Done]);
        let panicked = db.job(&ids[2]).await.unwrap().unwrap();
        assert!(panicked.last_error.unwrap().contains("stopped"));
        // Failed jobs wait for their backoff: nothing is due now.
        assert_eq!(runner.run_due(2).await.unwrap(), 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_job_longer_than_its_lease_is_not_taken_while_its_worker_lives() {
        let test = TestDb::new(reti_store::Engine::Sqlite).await.unwrap();
        let db = test.db.clone();
        let count = Arc::new(AtomicUsize::new(0));
        let mut registry = counting(count.clone());
        let slow_count = count.clone();
        registry.register("slow", move |_| {
            let count = slow_count.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(1200)).await;
                count.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        });
        let id = db.enqueue(&NewJob::new("slow", serde_json::json!({}))).await.unwrap();
        let mut first = Runner::new(db.clone(), registry.clone());
        first.lease = time::Duration::milliseconds(300);
        let running = tokio::spawn(async move { first.run_due(1).await });
        let mut other = Runner::new(db.clone(), registry);
        other.lease = time::Duration::milliseconds(300);
        for _ in 0..4 {
            tokio::time::sleep(Duration::from_millis(250)).await;
            assert_eq!(other.run_due(1).await.unwrap(), 0, "the lease was renewed: nobody else takes the job");
        }
        assert_eq!(running.await.unwrap().unwrap(), 1);
        let job = db.job(&id).await.unwrap().unwrap();
        assert_eq!((job.status, job.attempts, count.load(Ordering::SeqCst)), (JobStatus::Done, 1, 1), "ran once");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn stopping_lets_the_job_in_hand_finish() {
        let test = TestDb::new(reti_store::Engine::Sqlite).await.unwrap();
        let db = test.db.clone();
        let (started_tx, started) = tokio::sync::oneshot::channel::<()>();
        let started_tx = std::sync::Mutex::new(Some(started_tx));
        let (release_tx, release) = watch::channel(false);
        let mut registry = Registry::default();
        registry.register("slow", move |_| {
            if let Some(tx) = started_tx.lock().unwrap().take() {
                let _ = tx.send(());
            }
            let mut release = release.clone();
            async move {
                let _ = release.wait_for(|go| *go).await;
                Ok(())
            }
        });
        let id = db.enqueue(&NewJob::new("slow", serde_json::json!({}))).await.unwrap();
        let second = db.enqueue(&NewJob::new("slow", serde_json::json!({}))).await.unwrap();
        let (stop_tx, stop) = watch::channel(false);
        let running = tokio::spawn(Runner::new(db.clone(), registry).run(1, stop));
        started.await.unwrap();
        stop_tx.send(true).unwrap();
        release_tx.send(true).unwrap();
        running.await.unwrap();
        assert_eq!(db.job(&id).await.unwrap().unwrap().status, JobStatus::Done, "the job in hand finished");
        assert_eq!(db.job(&second).await.unwrap().unwrap().status, JobStatus::Queued, "no new job was taken");
    }
}
