//! Issue 6, house pattern 2: a forgotten password is looked up by a durable job, so that the
//! request does the same work whatever the address, and the lookup survives a crash and runs on
//! any app server.

use crate::app_tests;
use crate::harness::link_in;
use axum::http::StatusCode;
use reti_store::Timestamp;
use reti_store::jobs::JobStatus;
use reti_store::{Db, PageRequest};
use reti_web::WebConfig;
use reti_web::jobs::{Registry, Runner};
use reti_web::pages::password::RESET_LOOKUP_KIND;

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap()
}

/// The kinds and payload keys of the queued jobs, oldest first.
async fn queued(db: &Db) -> Vec<(String, Vec<String>)> {
    let mut jobs = db.jobs(Some(JobStatus::Queued), PageRequest::all()).await.unwrap().jobs;
    jobs.reverse();
    jobs.into_iter()
        .map(|job| {
            let keys = job.payload.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
            (job.kind, keys)
        })
        .collect()
}

app_tests! {
    async fn forgot_password_does_the_same_work_whatever_the_address(app: TestApp) {
        let user = app.user().create().await;
        let unknown = app.post("/password/forgot", &[("email", "nessuno@prova.it")]).await;
        let known = app.post("/password/forgot", &[("email", &user.email)]).await;
        assert_eq!((unknown.status, known.status), (StatusCode::OK, StatusCode::OK));
        assert_eq!(unknown.body.replace(&user.email, ""), known.body.replace(&user.email, ""));
        let jobs = queued(&app.db).await;
        assert_eq!(jobs.len(), 2, "{jobs:?}");
        assert!(jobs.iter().all(|(kind, _)| kind == RESET_LOOKUP_KIND), "{jobs:?}");
        assert_eq!(jobs[0].1, jobs[1].1, "the job does not tell either");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM password_resets").await, 0, "nothing looked up in the request");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'request_reset'").await, 0);

        // Another app server, with its own outbox, runs the lookups the first one queued.
        let other_dir = tempfile::tempdir().unwrap();
        let config = WebConfig::new("http://reti.test", other_dir.path().to_path_buf());
        let other = Runner::new(app.db.clone(), Registry::standard(&app.db, &config).unwrap());
        assert_eq!(other.run_due(1).await.unwrap(), 3, "two lookups, one mail for the real account");
        let sent: Vec<_> = std::fs::read_dir(&config.mail.outbox).unwrap().flatten().collect();
        assert_eq!(sent.len(), 1, "one mail, for the real account");
        let (ip,): (Option<String>,) =
            sqlx::query_as("SELECT ip FROM audit_log WHERE action = 'request_reset'").fetch_one(app.db.pool()).await.unwrap();
        assert!(ip.is_some(), "the audit entry names the address the request came from");
        assert_eq!(count(&app.db, "SELECT COUNT(*) FROM password_resets").await, 1);
    }

    async fn a_lookup_whose_worker_dies_runs_again(app: TestApp) {
        let user = app.user().create().await;
        app.post("/password/forgot", &[("email", &user.email)]).await;
        // A worker claims the lookup and dies before finishing: its lease (none here) passes.
        let claimed = app.db.claim_jobs("crashed", 1, time::Duration::ZERO, Timestamp::now()).await.unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!(claimed[0].kind, RESET_LOOKUP_KIND);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert_eq!(app.run_jobs().await, 2, "the lookup again, then its mail");
        let mails = app.mails();
        assert_eq!(mails.len(), 1);
        let link = link_in(&mails[0], "http://reti.test/password/reset/");
        assert_eq!(app.get(link.trim_start_matches("http://reti.test")).await.status, StatusCode::OK);
    }
}
