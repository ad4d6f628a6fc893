//! The job queue seen from the web: mail leaves only when its job runs, and the administrator's
//! `/admin/jobs` page shows the queue and retries a job.

use crate::app_tests;
use axum::http::StatusCode;
use reti_domain::Role;
use reti_store::PageRequest;
use reti_store::jobs::{JobStatus, NewJob};

app_tests! {
    async fn an_invitation_mail_is_sent_when_its_job_runs(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        let sent = app.post("/invitations", &[("email", "nuova@scuola.it"), ("programme", &app.programme_id), ("role", "network_lead")]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        assert!(app.mails().is_empty(), "the request only queued the mail");
        let queued = app.db.jobs(Some(JobStatus::Queued), PageRequest::new(None, None)).await.unwrap();
        assert_eq!(queued.total, 1);
        assert_eq!(queued.jobs[0].kind, "mail");
        assert_eq!(queued.jobs[0].payload["to"], "nuova@scuola.it");
        assert_eq!(app.run_jobs().await, 1);
        let mails = app.mails();
        assert_eq!(mails.len(), 1);
        assert!(mails[0].contains("To: nuova@scuola.it") && mails[0].contains("http://reti.test/invitations/"), "{}", mails[0]);
        assert_eq!(app.db.job_counts().await.unwrap().done, 1);
        assert_eq!(app.run_jobs().await, 0, "sent once");
    }

    async fn the_jobs_page_is_the_administrators(app: TestApp) {
        let coordinator = app.user().role(Role::Coordinator).create().await;
        app.login(&coordinator.email).await;
        assert!(!app.get("/").await.body.contains("href=\"/admin/jobs\""), "not in a coordinator's navigation");
        assert_eq!(app.get("/admin/jobs").await.status, StatusCode::FORBIDDEN);
        let mut dead = NewJob::new("mail", serde_json::json!({"to": "not an address", "subject": "x", "body": "y"}));
        dead.max_attempts = 1;
        let id = app.db.enqueue(&dead).await.unwrap();
        assert_eq!(app.post(&format!("/admin/jobs/{id}/retry"), &[]).await.status, StatusCode::FORBIDDEN);

        app.logout_locally();
        let admin = app.user().admin().create().await;
        app.login(&admin.email).await;
        assert!(app.get("/").await.body.contains("href=\"/admin/jobs\""), "in the administrator's navigation");
        app.run_jobs().await;
        let job = app.db.job(&id).await.unwrap().unwrap();
        assert_eq!(job.status, JobStatus::Dead, "one attempt, failed: {:?}", job.last_error);
        let page = app.get("/admin/jobs?status=dead").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Coda dei lavori") && page.body.contains("Esauriti"), "{}", page.body);
        assert!(page.body.contains(&format!("action=\"/admin/jobs/{id}/retry\"")));
        assert!(page.body.contains("<caption"), "an accessible table");
        let english = app.get("/admin/jobs?status=dead&lang=en").await;
        assert!(english.body.contains("Job queue") && english.body.contains("Dead"));
        let queued = app.get("/admin/jobs?status=queued").await;
        assert!(!queued.body.contains(&id), "filtered by status");

        let forged = app.post_raw(&format!("/admin/jobs/{id}/retry"), &[("csrf_token", "forged")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(app.db.job(&id).await.unwrap().unwrap().status, JobStatus::Dead);
        let retried = app.post(&format!("/admin/jobs/{id}/retry"), &[]).await;
        assert_eq!(retried.status, StatusCode::SEE_OTHER);
        assert_eq!(retried.location(), "/admin/jobs");
        let job = app.db.job(&id).await.unwrap().unwrap();
        assert_eq!((job.status, job.attempts), (JobStatus::Queued, 0));
        let audit = app.get("/audit?entity=job").await;
        assert!(audit.body.contains("retry"), "the retry is audited");
        let again = app.post(&format!("/admin/jobs/{id}/retry"), &[]).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "a queued job has nothing to retry");
    }
}
