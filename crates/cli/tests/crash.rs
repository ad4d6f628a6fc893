//! The crash test (SPEC §9, issue 13 item 5, decision 0052): `reti` killed with SIGKILL at random
//! moments of bursts of API writes, of imports and of job processing (mail, e-book builds), round
//! after round on one database; after each kill the program is started again and the test checks
//! that every write acknowledged with a 2xx is there in full, that a write in flight is there in
//! full or not at all, that an import is all or nothing, that the jobs resume and finish once, and
//! that SQLite's own checks pass.
//!
//! `RETI_CRASH_ROUNDS` sets the rounds (50 by default) and `RETI_CRASH_SEED` replays a run: the
//! seed is printed at the start and in every failure.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reti_store::testing::TestDb;
use reti_store::{Actor, Db, Engine, Timestamp};
use reti_web::mail::Mail;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fs::OpenOptions;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The job lease the killed programs run with: a dead worker's job runs again this soon.
const LEASE_SECONDS: u64 = 2;
/// Rows of each import: enough for the import to take a while, few enough for CI.
const IMPORT_ROWS: usize = 1500;
/// Mail jobs queued by each job round.
const MAIL_JOBS: usize = 30;
/// Concurrent API clients in a burst.
const CLIENTS: usize = 3;
/// The share of bursts and job rounds that build the e-book (seconds each in a debug build).
const BUILD_SHARE: f64 = 0.06;

#[test]
fn kills_leave_the_data_as_of_the_last_commit_on_sqlite() {
    run(Engine::Sqlite);
}

#[test]
fn kills_leave_the_data_as_of_the_last_commit_on_postgres() {
    run(Engine::Postgres);
}

fn run(engine: Engine) {
    let rounds: usize = std::env::var("RETI_CRASH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(50);
    let seed: u64 = std::env::var("RETI_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    assert!(rounds < 9999, "each round's import has four digits of its own");
    let Some(site) = Site::new(engine, seed) else { return };
    eprintln!("crash test on {engine:?}: {rounds} rounds, RETI_CRASH_SEED={seed}");
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut tally = Tally::default();
    for round in 0..rounds {
        let start = Instant::now();
        let scenario = match rng.gen_range(0..3) {
            0 => {
                burst(&site, &mut rng, round, &mut tally);
                "burst"
            }
            1 => {
                import(&site, &mut rng, round, &mut tally);
                "import"
            }
            _ => {
                jobs(&site, &mut rng, round, &mut tally);
                "jobs"
            }
        };
        eprintln!("{engine:?} round {round}: {scenario} in {:.1} s", start.elapsed().as_secs_f64());
    }
    site.final_checks(&tally);
    eprintln!(
        "crash test on {engine:?}, seed {seed}: {rounds} rounds in {:.1} s — {} bursts ({} writes acknowledged \
         and checked, {} in flight at the kill, {} of them committed), {} imports ({} killed half-way, {} \
         committed), {} job rounds ({} jobs, {} taken again after a kill), {} kills",
        started.elapsed().as_secs_f64(),
        tally.bursts,
        tally.acknowledged.len(),
        tally.in_flight,
        tally.in_flight_committed,
        tally.imports,
        tally.imports_cut,
        tally.imports_committed,
        tally.job_rounds,
        tally.jobs,
        tally.jobs_resumed,
        tally.kills,
    );
}

#[derive(Default)]
struct Tally {
    kills: usize,
    bursts: usize,
    /// Every acknowledged write of every round, checked again at the end.
    acknowledged: Vec<Sent>,
    in_flight: usize,
    in_flight_committed: usize,
    imports: usize,
    imports_cut: usize,
    imports_committed: usize,
    job_rounds: usize,
    jobs: usize,
    jobs_resumed: usize,
}

/// The database and data directory the rounds share, and what the writes need of the demo.
struct Site {
    engine: Engine,
    seed: u64,
    data_dir: tempfile::TempDir,
    url: String,
    _db: Option<TestDb>,
    rt: tokio::runtime::Runtime,
    token: String,
    networks: Vec<String>,
    people: Vec<String>,
    edition: String,
    tax_codes: AtomicU64,
    /// How long an import ran to its end last time.
    import_time: Mutex<Duration>,
}

impl Site {
    fn new(engine: Engine, seed: u64) -> Option<Site> {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let data_dir = tempfile::tempdir().unwrap();
        let (url, db) = match engine {
            Engine::Sqlite => (format!("sqlite://{}", data_dir.path().join("reti.sqlite").display()), None),
            Engine::Postgres => {
                let db = rt.block_on(TestDb::new(Engine::Postgres))?;
                (db.url().to_owned(), Some(db))
            }
        };
        let mut site = Site {
            engine,
            seed,
            data_dir,
            url,
            _db: db,
            rt,
            token: String::new(),
            networks: Vec::new(),
            people: Vec::new(),
            edition: String::new(),
            tax_codes: AtomicU64::new(0),
            import_time: Mutex::new(Duration::ZERO),
        };
        site.output(&["demo"]);
        let token = site.output(&["token", "create", "--email", "coordinamento@reti.example", "--name", "crash"]);
        site.token = token.lines().last().unwrap().trim().to_owned();
        site.networks = site.db(async |db| strings(db, "SELECT id FROM networks ORDER BY id LIMIT 3").await);
        site.people = site.db(async |db| strings(db, "SELECT id FROM people ORDER BY id LIMIT 4").await);
        site.edition = site.db(async |db| strings(db, "SELECT id FROM editions ORDER BY id LIMIT 1").await).remove(0);
        // One import to its end, to time the ones to kill.
        let file = import_file(&site, "9999");
        let started = Instant::now();
        site.output(&["import", "organisations", file.to_str().unwrap()]);
        *site.import_time.lock().unwrap() = started.elapsed();
        Some(site)
    }

    fn command(&self, args: &[&str]) -> Command {
        let log = OpenOptions::new().create(true).append(true).open(self.log()).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_reti"));
        command
            .arg("--data-dir")
            .arg(self.data_dir.path())
            .args(args)
            .arg("--database-url")
            .arg(&self.url)
            .env_remove("RETI_DATABASE_URL")
            .env("RETI_JOB_LEASE_SECONDS", LEASE_SECONDS.to_string())
            // Links in answers name the site, not the port of the moment.
            .env("RETI_PUBLIC_URL", "http://reti.test")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log);
        command
    }

    fn log(&self) -> PathBuf {
        self.data_dir.path().join("reti.log")
    }

    /// Runs `reti args` to its end; its standard output.
    fn output(&self, args: &[&str]) -> String {
        let output = self.command(args).output().unwrap();
        assert!(output.status.success(), "reti {args:?} failed\n{}", self.context());
        String::from_utf8(output.stdout).unwrap()
    }

    fn spawn(&self, args: &[&str]) -> Child {
        let mut command = self.command(args);
        command.stdout(Stdio::null());
        command.spawn().unwrap()
    }

    /// What a failure message says besides its own words: the seed and the programs' last logs.
    fn context(&self) -> String {
        let log = std::fs::read_to_string(self.log()).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        format!(
            "engine {:?}, RETI_CRASH_SEED={}\n--- reti's log, last lines:\n{}",
            self.engine,
            self.seed,
            tail.join("\n")
        )
    }

    /// `work` on a fresh connection to the database, as a program started after the kill has.
    fn db<T>(&self, work: impl AsyncFnOnce(&Db) -> T) -> T {
        self.rt.block_on(async {
            let db = Db::connect(&self.url).await.unwrap();
            let out = work(&db).await;
            db.close().await;
            out
        })
    }

    fn next_tax_code(&self) -> String {
        let first10 = format!("58{:08}", self.tax_codes.fetch_add(1, Ordering::SeqCst));
        format!("{first10}{}", reti_domain::taxcode::check_digit_numeric(&first10))
    }

    /// `reti serve` on a free port, once it answers.
    fn serve(&self) -> Server {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = self.spawn(&["serve", "--bind", &format!("127.0.0.1:{port}")]);
        let deadline = Instant::now() + Duration::from_secs(120);
        while !http(port, "GET", "/healthz", "", None).is_ok_and(|(status, _)| status == 200) {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("reti serve stopped ({status})\n{}", self.context());
            }
            assert!(Instant::now() < deadline, "reti serve did not answer\n{}", self.context());
            std::thread::sleep(Duration::from_millis(50));
        }
        Server { port, child }
    }

    /// Waits for every job due to finish; fails on a job that failed or died.
    fn drain_jobs(&self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let (pending, broken) = self.db(async |db| {
                let now = Timestamp::now().to_db();
                let pending = count(
                    db,
                    "SELECT COUNT(*) FROM jobs WHERE status = 'running' OR (status = 'queued' AND run_at <= $1)",
                    &[&now],
                )
                .await;
                let broken = strings_with(
                    db,
                    "SELECT kind || ': ' || COALESCE(last_error, '') FROM jobs WHERE status IN ('failed', 'dead')",
                    &[],
                )
                .await;
                (pending, broken)
            });
            assert!(broken.is_empty(), "jobs failed: {broken:?}\n{}", self.context());
            if pending == 0 {
                return;
            }
            assert!(Instant::now() < deadline, "{pending} jobs still pending\n{}", self.context());
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// What must hold after every restart, whatever was killed.
    fn invariants(&self) {
        let context = self.context();
        self.db(async |db| {
            if db.engine() == Engine::Sqlite {
                let integrity = strings_with(db, "PRAGMA integrity_check", &[]).await;
                assert_eq!(integrity, ["ok"], "{context}");
                let orphans = count(db, "SELECT COUNT(*) FROM pragma_foreign_key_check", &[]).await;
                assert_eq!(orphans, 0, "rows pointing at nothing\n{context}");
            }
            // Every version of the e-book that was asked for is built, none left half-way.
            let unbuilt = strings_with(db, "SELECT status FROM edition_versions WHERE status <> 'done'", &[]).await;
            assert!(unbuilt.is_empty(), "edition versions not built: {unbuilt:?}\n{context}");
            let empty = count(
                db,
                "SELECT COUNT(*) FROM edition_versions v WHERE NOT EXISTS (SELECT 1 FROM edition_files f WHERE f.version_id = v.id)",
                &[],
            )
            .await;
            assert_eq!(empty, 0, "a built version without files\n{context}");
        });
        self.outbox_sent_once();
    }

    /// How many copies of each message (by Message-ID) the outbox holds.
    fn outbox(&self) -> HashMap<String, usize> {
        let mut copies: HashMap<String, usize> = HashMap::new();
        let Ok(entries) = std::fs::read_dir(self.data_dir.path().join("outbox")) else { return copies };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "eml") {
                let text = std::fs::read_to_string(&path).unwrap();
                // A message is renamed into place once written whole: a kill cannot cut one short.
                assert!(text.contains("\r\n\r\n"), "{} is cut short:\n{text}", path.display());
                let id = message_id(&text).unwrap_or_else(|| panic!("{} has no Message-ID:\n{text}", path.display()));
                *copies.entry(id).or_default() += 1;
            }
        }
        copies
    }

    /// A message in the outbox twice is one whose first attempt is unaccounted for (the worker died
    /// between handing it over and recording it, decision 0036): its record says so.
    fn outbox_sent_once(&self) {
        let twice: Vec<String> = self.outbox().into_iter().filter(|(_, n)| *n > 1).map(|(id, _)| id).collect();
        let context = self.context();
        self.db(async |db| {
            for id in twice {
                let attempts =
                    count(db, "SELECT COALESCE(MAX(attempts), 0) FROM mail_sends WHERE message_id = $1", &[&id]).await;
                assert!(attempts > 1, "{id} was sent twice on a single attempt\n{context}");
            }
        });
    }

    fn final_checks(&self, tally: &Tally) {
        let server = self.serve();
        for sent in &tally.acknowledged {
            sent.check_acknowledged(self, &server);
        }
        self.drain_jobs();
        server.kill();
        self.invariants();
    }
}

/// A running `reti serve`.
struct Server {
    port: u16,
    child: Child,
}

impl Server {
    fn request(&self, method: &str, path: &str, body: &str, token: Option<&str>) -> std::io::Result<(u16, String)> {
        http(self.port, method, path, body, token)
    }

    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// One HTTP request on a connection of its own (none is kept: the next may reach a restarted
/// server): the status and the body, or why no complete answer came.
fn http(port: u16, method: &str, path: &str, body: &str, token: Option<&str>) -> std::io::Result<(u16, String)> {
    static AGENT: std::sync::OnceLock<ureq::Agent> = std::sync::OnceLock::new();
    let agent = AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_idle_connections(0)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into()
    });
    let url = format!("http://127.0.0.1:{port}{path}");
    fn authorised<B>(request: ureq::RequestBuilder<B>, token: Option<&str>) -> ureq::RequestBuilder<B> {
        match token {
            Some(token) => request.header("Authorization", format!("Bearer {token}")),
            None => request,
        }
    }
    let answer = match method {
        "GET" => authorised(agent.get(&url), token).call(),
        "POST" => authorised(agent.post(&url), token).content_type("application/json").send(body),
        "PUT" => authorised(agent.put(&url), token).content_type("application/json").send(body),
        other => panic!("no {other} request in this test"),
    };
    // The kind of an I/O error stays: a refused connection tells a server gone before the request.
    let mut response = answer.map_err(ureq::Error::into_io)?;
    let text = response.body_mut().read_to_string().map_err(ureq::Error::into_io)?;
    Ok((response.status().as_u16(), text))
}

fn message_id(eml: &str) -> Option<String> {
    eml.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("message-id").then(|| value.trim().to_owned())
    })
}

async fn count(db: &Db, sql: &str, binds: &[&str]) -> i64 {
    let mut query = sqlx::query_scalar::<_, i64>(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    query.fetch_one(db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn strings(db: &Db, sql: &str) -> Vec<String> {
    strings_with(db, sql, &[]).await
}

async fn strings_with(db: &Db, sql: &str, binds: &[&str]) -> Vec<String> {
    let mut query = sqlx::query_scalar::<_, String>(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    query.fetch_all(db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A write sent to the API during a burst.
#[derive(Clone, Debug)]
struct Sent {
    what: What,
    /// What was sent.
    body: Value,
    /// The 2xx answer, when one came: the write is committed.
    answer: Option<Value>,
}

#[derive(Clone, Debug)]
enum What {
    Organisation,
    Diary { network: String },
    Meeting,
    Attendance { meeting: String },
    Build,
}

impl Sent {
    /// Where the API reads the write back.
    fn read_path(&self, id: &str) -> String {
        match &self.what {
            What::Organisation => format!("/api/v1/organisations/{id}"),
            What::Diary { network } => format!("/api/v1/networks/{network}/diary/{id}"),
            What::Meeting => format!("/api/v1/meetings/{id}"),
            What::Attendance { meeting } => format!("/api/v1/meetings/{meeting}/attendance"),
            What::Build => unreachable!("a build is checked through its version"),
        }
    }

    fn answer_id(&self) -> Option<String> {
        let answer = self.answer.as_ref()?;
        let answer = if let What::Meeting = self.what { &answer[0] } else { answer };
        answer["id"].as_str().map(str::to_owned)
    }

    /// An acknowledged write reads back as it was answered, with its audit entry.
    fn check_acknowledged(&self, site: &Site, server: &Server) {
        let answer = self.answer.as_ref().unwrap();
        if let What::Build = self.what {
            let number = answer["number"].as_i64().unwrap();
            let versions = site.db(async |db| {
                sqlx::query_as::<_, (i64, String)>("SELECT number, status FROM edition_versions WHERE edition_id = $1")
                    .bind(&site.edition)
                    .fetch_all(db.pool())
                    .await
                    .unwrap()
            });
            let status: Vec<&str> = versions.iter().filter(|(n, _)| *n == number).map(|(_, s)| s.as_str()).collect();
            assert_eq!(status, ["done"], "an acknowledged build is built\n{}", site.context());
            return;
        }
        let id = match &self.what {
            What::Attendance { meeting } => meeting.clone(),
            _ => self.answer_id().unwrap(),
        };
        let (status, body) = server.request("GET", &self.read_path(&id), "", Some(&site.token)).unwrap();
        assert_eq!(status, 200, "{self:?} is gone: {body}\n{}", site.context());
        let read: Value = serde_json::from_str(&body).unwrap();
        let expected = if let What::Meeting = self.what { &answer[0] } else { answer };
        assert_eq!(&read, expected, "{self:?} reads back otherwise\n{}", site.context());
        let audited =
            site.db(async |db| count(db, "SELECT COUNT(*) FROM audit_log WHERE entity_id = $1", &[&id]).await);
        assert!(audited > 0, "{self:?} has no audit entry\n{}", site.context());
    }

    /// A write cut by the kill: there whole, or not at all. Whether it is there.
    fn check_in_flight(&self, site: &Site, server: &Server) -> bool {
        let context = site.context();
        let token = Some(site.token.as_str());
        match &self.what {
            What::Organisation => {
                let tax_code = self.body["tax_code"].as_str().unwrap();
                let ids = site.db(async |db| {
                    strings_with(db, "SELECT id FROM organisations WHERE tax_code = $1", &[tax_code]).await
                });
                let Some(id) = ids.first() else { return false };
                let (_, body) = server.request("GET", &self.read_path(id), "", token).unwrap();
                let read: Value = serde_json::from_str(&body).unwrap();
                for field in ["name", "address", "phone", "website", "resources"] {
                    assert_eq!(read[field], self.body[field], "{field} of a half-written organisation\n{context}");
                }
                true
            }
            What::Diary { network } => {
                let notes = self.body["notes"].as_str().unwrap();
                let ids = site
                    .db(async |db| strings_with(db, "SELECT id FROM diary_entries WHERE notes = $1", &[notes]).await);
                let Some(id) = ids.first() else { return false };
                let (_, body) =
                    server.request("GET", &format!("/api/v1/networks/{network}/diary/{id}"), "", token).unwrap();
                let read: Value = serde_json::from_str(&body).unwrap();
                for field in ["hours", "kind", "growth_spaces", "next_steps"] {
                    assert_eq!(read[field], self.body[field], "{field} of a half-written diary entry\n{context}");
                }
                true
            }
            What::Meeting => {
                let title = self.body["title"].as_str().unwrap();
                let ids =
                    site.db(async |db| strings_with(db, "SELECT id FROM meetings WHERE title = $1", &[title]).await);
                let Some(id) = ids.first() else { return false };
                let invitees = site.db(async |db| {
                    count(db, "SELECT COUNT(*) FROM meeting_invitees WHERE meeting_id = $1", &[id]).await
                });
                assert_eq!(invitees, 1, "a meeting without its invitees\n{context}");
                true
            }
            What::Attendance { meeting } => {
                let lines = self.body["lines"].as_array().unwrap().len() as i64;
                let rows = site.db(async |db| {
                    count(db, "SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = $1", &[meeting]).await
                });
                assert!(rows == 0 || rows == lines, "{rows} of {lines} lines of a register\n{context}");
                rows == lines
            }
            // Whatever versions exist are checked by the invariants: built, with their files.
            What::Build => false,
        }
    }
}

/// One client of a burst: writes until the server stops answering.
fn client(site: &Site, port: u16, seed: u64, tag: &str, stop: &AtomicBool, build: &AtomicBool) -> Vec<Sent> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut sent: Vec<Sent> = Vec::new();
    let mut meetings: Vec<String> = Vec::new();
    let today = time::OffsetDateTime::now_utc().date();
    for n in 0.. {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let marker = format!("Crash {tag} {n}");
        let network = site.networks[rng.gen_range(0..site.networks.len())].clone();
        let pick = rng.gen_range(0..100);
        let (what, method, path, body) = if pick < 8 && !meetings.is_empty() {
            let meeting = meetings.swap_remove(rng.gen_range(0..meetings.len()));
            let lines: Vec<Value> = site
                .people
                .iter()
                .take(rng.gen_range(1..=site.people.len()))
                .map(|person| json!({"person_id": person, "present": true, "minutes": 60, "role": "partecipante"}))
                .collect();
            let path = format!("/api/v1/meetings/{meeting}/attendance");
            (What::Attendance { meeting }, "PUT", path, json!({ "lines": lines }))
        } else if pick < 10 && build.swap(false, Ordering::SeqCst) {
            (What::Build, "POST", format!("/api/v1/editions/{}/builds", site.edition), json!({}))
        } else if pick < 50 {
            let body = json!({
                "name": marker, "kind": "altro", "tax_code": site.next_tax_code(), "municipality": "Milano",
                "address": format!("Via della Prova {n}"), "email": "ente@prova.example", "phone": "02 1234567",
                // In the order the API answers them (by name), so that a read compares whole.
                "website": "https://prova.example", "resources": [marker, "Mediazione linguistico-culturale"],
            });
            (What::Organisation, "POST", "/api/v1/organisations".to_owned(), body)
        } else if pick < 75 {
            let body = json!({
                "entry_date": today.to_string(), "hours": 1.5, "kind": "coaching", "notes": marker,
                "growth_spaces": "Spazi di crescita", "next_steps": "Prossimi passi",
            });
            let path = format!("/api/v1/networks/{network}/diary");
            (What::Diary { network }, "POST", path, body)
        } else {
            let body = json!({
                "network_id": network, "title": marker, "kind": "workshop", "mode": "in_presenza",
                "place": "Milano", "starts_at": "2027-03-04T10:00", "ends_at": "2027-03-04T12:00",
                "agenda": "Ordine del giorno", "invite_network": true,
            });
            (What::Meeting, "POST", "/api/v1/meetings".to_owned(), body)
        };
        let mut write = Sent { what, body, answer: None };
        match http(port, method, &path, &write.body.to_string(), Some(&site.token)) {
            Ok((status, answer)) if (200..300).contains(&status) => {
                write.answer = Some(serde_json::from_str(&answer).unwrap());
                if let What::Meeting = write.what {
                    meetings.push(write.answer_id().unwrap());
                }
                sent.push(write);
            }
            Ok((status, answer)) => panic!("{method} {path} answered {status}: {answer}\n{}", site.context()),
            // The server was gone before the request.
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionRefused => break,
            // The server died with the request in hand.
            Err(_) => {
                sent.push(write);
                break;
            }
        }
    }
    sent
}

/// Concurrent API writes (organisations, diary entries, meetings with their invitees and notices,
/// registers, e-book builds) while `reti serve` is killed.
fn burst(site: &Site, rng: &mut StdRng, round: usize, tally: &mut Tally) {
    tally.bursts += 1;
    let server = site.serve();
    let stop = Arc::new(AtomicBool::new(false));
    let delay = Duration::from_millis(rng.gen_range(200..3000));
    // E-book builds take tens of seconds in a debug build: few bursts ask for one.
    let build = AtomicBool::new(rng.gen_bool(BUILD_SHARE));
    let seeds: Vec<u64> = (0..CLIENTS).map(|_| rng.r#gen()).collect();
    let sent: Vec<Sent> = std::thread::scope(|scope| {
        let clients: Vec<_> = seeds
            .iter()
            .enumerate()
            .map(|(n, seed)| {
                let stop = stop.clone();
                let port = server.port;
                let (tag, build) = (format!("r{round} c{n}"), &build);
                scope.spawn(move || client(site, port, *seed, &tag, &stop, build))
            })
            .collect();
        std::thread::sleep(delay);
        stop.store(true, Ordering::SeqCst);
        server.kill();
        tally.kills += 1;
        clients.into_iter().flat_map(|c| c.join().unwrap()).collect()
    });
    let server = site.serve();
    for write in &sent {
        if write.answer.is_some() {
            write.check_acknowledged_unless_build(site, &server);
        } else {
            tally.in_flight += 1;
            if write.check_in_flight(site, &server) {
                tally.in_flight_committed += 1;
            }
        }
    }
    site.drain_jobs();
    for write in sent.iter().filter(|w| matches!(w.what, What::Build) && w.answer.is_some()) {
        write.check_acknowledged(site, &server);
    }
    server.kill();
    site.invariants();
    tally.acknowledged.extend(sent.into_iter().filter(|w| w.answer.is_some()));
}

impl Sent {
    /// Builds are checked once the jobs have run.
    fn check_acknowledged_unless_build(&self, site: &Site, server: &Server) {
        if !matches!(self.what, What::Build) {
            self.check_acknowledged(site, server);
        }
    }
}

/// A file of [`IMPORT_ROWS`] organisations named `Crash import {tag} {row}`, with tax codes of
/// their own (`tag` is four digits).
fn import_file(site: &Site, tag: &str) -> PathBuf {
    let mut csv = String::from("Denominazione;Tipologia;Codice fiscale;Comune;Risorse e competenze\n");
    for row in 0..IMPORT_ROWS {
        let first10 = format!("6{tag}{row:05}");
        let tax_code = format!("{first10}{}", reti_domain::taxcode::check_digit_numeric(&first10));
        csv.push_str(&format!("Crash import {tag} {row};altro;{tax_code};Bergamo;Mediazione linguistico-culturale\n"));
    }
    let file = site.data_dir.path().join(format!("import-{tag}.csv"));
    std::fs::write(&file, csv).unwrap();
    file
}

/// `reti import` of a generated file, killed at a random moment: the file is in whole or not at all.
fn import(site: &Site, rng: &mut StdRng, round: usize, tally: &mut Tally) {
    tally.imports += 1;
    let file = import_file(site, &format!("{round:04}"));
    let prefix = format!("Crash import {round:04} ");
    let started = Instant::now();
    let mut child = site.spawn(&["import", "organisations", file.to_str().unwrap()]);
    // Anywhere from the program's start to a little after a whole import's usual end.
    let usual = *site.import_time.lock().unwrap();
    std::thread::sleep(usual.mul_f64(rng.gen_range(0.0..1.2)));
    let finished = child.try_wait().unwrap();
    if finished.is_none() {
        child.kill().unwrap();
        child.wait().unwrap();
        tally.kills += 1;
    }
    let pattern = format!("{prefix}%");
    let (rows, tags) = site.db(async |db| {
        let rows = count(db, "SELECT COUNT(*) FROM organisations WHERE name LIKE $1", &[&pattern]).await;
        let tags = count(
            db,
            "SELECT COUNT(*) FROM organisation_tags t JOIN organisations o ON o.id = t.organisation_id WHERE o.name LIKE $1",
            &[&pattern],
        )
        .await;
        (rows, tags)
    });
    let context = site.context();
    let all = IMPORT_ROWS as i64;
    assert!(rows == 0 || rows == all, "an import killed half-way left {rows} of {all} rows\n{context}");
    assert_eq!(tags, rows, "organisations without their resources\n{context}");
    match finished {
        Some(status) => {
            *site.import_time.lock().unwrap() = started.elapsed();
            assert!(status.success(), "the import failed on its own\n{context}");
            assert_eq!(rows, all, "a finished import is there\n{context}");
        }
        None => tally.imports_cut += 1,
    }
    if rows == all {
        tally.imports_committed += 1;
    }
    site.invariants();
}

/// Mail jobs and an e-book build run by `reti jobs run`, killed at a random moment; a new worker
/// takes the cut job again once its lease passes, and every job ends done, once.
fn jobs(site: &Site, rng: &mut StdRng, round: usize, tally: &mut Tally) {
    tally.job_rounds += 1;
    let keys: Vec<String> = (0..MAIL_JOBS).map(|n| format!("crash-{round}-{n}")).collect();
    let build = rng.gen_bool(BUILD_SHARE);
    let ids = site.db(async |db| {
        let mut ids = Vec::new();
        for key in &keys {
            let mail = Mail {
                to: "prova@prova.example".into(),
                subject: format!("Prova {key}"),
                body: format!("Messaggio {key}"),
                attachment: None,
            };
            ids.push(db.enqueue(&mail.job_keyed(key)).await.unwrap());
        }
        if build {
            db.request_edition_build(&Actor::cli(), &site.edition, true).await.unwrap();
        }
        ids
    });
    tally.jobs += ids.len() + usize::from(build);
    let mut worker = site.spawn(&["jobs", "run"]);
    std::thread::sleep(Duration::from_millis(rng.gen_range(50..1500)));
    worker.kill().unwrap();
    worker.wait().unwrap();
    tally.kills += 1;
    let mut worker = site.spawn(&["jobs", "run"]);
    site.drain_jobs();
    worker.kill().unwrap();
    worker.wait().unwrap();
    let context = site.context();
    let resumed = site.db(async |db| {
        let mut resumed = 0;
        for id in &ids {
            let job = db.job(id).await.unwrap().unwrap();
            assert_eq!(job.status, reti_store::jobs::JobStatus::Done, "{job:?}\n{context}");
            resumed += usize::from(job.attempts > 1);
        }
        resumed
    });
    tally.jobs_resumed += resumed;
    let outbox = site.outbox();
    for key in &keys {
        assert!(outbox.contains_key(&format!("<{key}@reti.example>")), "the mail {key} was not sent\n{context}");
    }
    site.invariants();
}
