//! Two `reti serve` processes on one database and one data directory, as behind the load balancer
//! of `scripts/cluster`: a session, its CSRF token, login throttling, uploads and the job queue
//! hold whichever server answers. On SQLite and (when `RETI_TEST_DATABASE_URL` is set) PostgreSQL.

use reti_store::testing::TestDb;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MEMBER: &str = "membro@reti.example";
const NETWORK_LEAD: &str = "referente@reti.example";
const DEMO_PASSWORD: &str = "demo-reti-2026";

fn reti(data_dir: &Path, database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reti"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--database-url")
        .arg(database_url)
        .env_remove("RETI_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(data_dir: &Path, database_url: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = reti(data_dir, database_url)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("RETI_JOB_WORKERS", "2")
            .spawn()
            .unwrap();
        let server = Server { child, base: format!("http://127.0.0.1:{port}") };
        let agent = agent();
        let started = Instant::now();
        while agent.get(format!("{}/healthz", server.base)).call().map(|r| r.status() != 200).unwrap_or(true) {
            assert!(started.elapsed() < Duration::from_secs(60), "{} did not start", server.base);
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().into()
}

/// A browser: one cookie jar (the session cookie) across whichever server it talks to.
struct Browser {
    agent: ureq::Agent,
    cookie: Option<String>,
}

struct Answer {
    status: u16,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn csrf(&self) -> String {
        let text = self.text();
        let start = text.find("name=\"csrf_token\" value=\"").expect("a form with a CSRF token") + 25;
        text[start..start + text[start..].find('"').unwrap()].to_owned()
    }
}

impl Browser {
    fn new() -> Browser {
        Browser { agent: agent(), cookie: None }
    }

    fn keep(&mut self, mut response: ureq::http::Response<ureq::Body>) -> Answer {
        for value in response.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            if pair.starts_with("reti_session=") {
                self.cookie = Some(pair.to_owned());
            }
        }
        let body = response.body_mut().read_to_vec().unwrap();
        Answer { status: response.status().as_u16(), body }
    }

    fn get(&mut self, url: &str) -> Answer {
        let mut request = self.agent.get(url);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.call().unwrap();
        self.keep(response)
    }

    fn post(&mut self, url: &str, fields: &[(&str, &str)]) -> Answer {
        let mut request = self.agent.post(url);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send_form(fields.iter().copied()).unwrap();
        self.keep(response)
    }

    fn upload(&mut self, url: &str, csrf: &str, file_name: &str, content: &[u8]) -> Answer {
        let boundary = "reti-cluster-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let response = self
            .agent
            .post(url)
            .header("cookie", self.cookie.as_deref().unwrap())
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .send(&body[..])
            .unwrap();
        self.keep(response)
    }
}

/// The first `/{prefix}/{uuid}` link on a page.
fn first_link(html: &str, prefix: &str) -> String {
    let marker = format!("href=\"{prefix}/");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {prefix} link")) + 6;
    html[start..start + prefix.len() + 37].to_owned()
}

fn outbox_subjects(data_dir: &Path, prefix: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(data_dir.join("outbox")) else { return Vec::new() };
    entries
        .filter_map(|entry| std::fs::read_to_string(entry.ok()?.path()).ok())
        .filter_map(|mail| mail.lines().find_map(|line| line.strip_prefix("Subject: ").map(str::to_owned)))
        .filter(|subject| subject.starts_with(prefix))
        .collect()
}

async fn databases() -> Vec<TestDb> {
    let mut databases = vec![TestDb::new(reti_store::Engine::Sqlite).await.unwrap()];
    databases.extend(TestDb::new(reti_store::Engine::Postgres).await);
    databases
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_sessions_tokens_throttling_uploads_and_jobs() {
    for database in databases().await {
        let data_dir = tempfile::tempdir().unwrap();
        let url = database.url().to_owned();
        // The demo and the mail it queues, before the servers: their workers then run only ours.
        for step in [&["demo"][..], &["jobs", "run", "--once"]] {
            assert!(reti(data_dir.path(), &url).args(step).status().unwrap().success(), "reti {step:?}");
        }
        let (one, two) = (Server::start(data_dir.path(), &url), Server::start(data_dir.path(), &url));

        // Throttling: failures counted on either server add up.
        let mut stranger = Browser::new();
        for attempt in 0..5 {
            let server = if attempt % 2 == 0 { &one } else { &two };
            let csrf = stranger.get(&server.url("/login")).csrf();
            let answer = stranger
                .post(&server.url("/login"), &[("csrf_token", &csrf), ("email", MEMBER), ("password", "sbagliata")]);
            assert_eq!(answer.status, 401, "attempt {attempt}");
        }
        let csrf = stranger.get(&one.url("/login")).csrf();
        let answer =
            stranger.post(&two.url("/login"), &[("csrf_token", &csrf), ("email", MEMBER), ("password", DEMO_PASSWORD)]);
        assert_eq!(answer.status, 429, "the sixth attempt in the window is refused, on the other server too");

        // A session and its CSRF token: the form from one server, the login on the other.
        let mut browser = Browser::new();
        let csrf = browser.get(&one.url("/login")).csrf();
        let forged = browser.post(
            &two.url("/login"),
            &[("csrf_token", "not-the-token"), ("email", NETWORK_LEAD), ("password", DEMO_PASSWORD)],
        );
        assert_eq!(forged.status, 403, "a wrong token is refused");
        let login = browser
            .post(&two.url("/login"), &[("csrf_token", &csrf), ("email", NETWORK_LEAD), ("password", DEMO_PASSWORD)]);
        assert_eq!(login.status, 303, "{}", login.text());
        let agenda = browser.get(&one.url("/agenda"));
        assert_eq!(agenda.status, 200, "the session made on one server holds on the other");

        // An upload through one server is there for the other.
        let meeting = first_link(&agenda.text(), "/meetings");
        let csrf = browser.get(&two.url(&meeting)).csrf();
        let content = b"%PDF-1.4\nverbale dell'incontro, caricato su un server e letto dall'altro\n";
        let upload = browser.upload(&one.url(&format!("{meeting}/attachments")), &csrf, "verbale.pdf", content);
        assert_eq!(upload.status, 303, "{}", upload.text());
        let page = browser.get(&two.url(&meeting)).text();
        let attachment = first_link(&page, &format!("{meeting}/attachments"));
        for server in [&one, &two] {
            let download = browser.get(&server.url(&attachment));
            assert_eq!((download.status, &download.body[..]), (200, &content[..]));
        }

        // Jobs: both servers' workers take from one queue, and each job runs once.
        const MAILS: usize = 40;
        let jobs: Vec<_> = (0..MAILS)
            .map(|n| {
                reti_web::mail::Mail {
                    to: format!("persona.{n}@cluster.reti.example"),
                    subject: format!("Cluster {n}"),
                    body: "Un messaggio per ogni lavoro.\n".into(),
                    attachment: None,
                }
                .job()
            })
            .collect();
        database.db.enqueue_all(&jobs).await.unwrap();
        let started = Instant::now();
        while outbox_subjects(data_dir.path(), "Cluster ").len() < MAILS {
            assert!(started.elapsed() < Duration::from_secs(60), "the jobs did not all run");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let mut subjects = outbox_subjects(data_dir.path(), "Cluster ");
        subjects.sort();
        subjects.dedup();
        assert_eq!(outbox_subjects(data_dir.path(), "Cluster ").len(), MAILS, "no mail sent twice");
        assert_eq!(subjects.len(), MAILS, "every mail sent");
        let counts = database.db.job_counts().await.unwrap();
        assert_eq!((counts.queued, counts.running, counts.failed, counts.dead), (0, 0, 0, 0));
    }
}
