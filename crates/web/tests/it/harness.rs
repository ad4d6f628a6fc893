//! `TestApp`: the real router on a fresh database, driven over HTTP requests like a browser
//! (with a cookie jar) or an API client (with a bearer token).

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use reti_domain::{Email, Password, PersonName, Role};
use reti_store::testing::TestDb;
use reti_store::users::{NewUser, User};
use reti_store::{Actor, Db, Engine};
use reti_web::{AppState, WebConfig};
use tower::ServiceExt;

pub const PASSWORD: &str = "password-di-prova-1";

pub struct TestApp {
    pub db: Db,
    pub router: Router,
    pub outbox: std::path::PathBuf,
    pub programme_id: String,
    jobs: reti_web::jobs::Runner,
    cookie: std::sync::Mutex<Option<String>>,
    _data_dir: tempfile::TempDir,
    _test_db: TestDb,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> Option<String> {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self.body.find(marker)? + marker.len();
        let end = self.body[start..].find('"')? + start;
        Some(self.body[start..end].to_owned())
    }
}

/// Builds a user with roles in programmes (the test's own unless named) and in networks.
pub struct UserBuilder<'a> {
    app: &'a TestApp,
    email: String,
    admin: bool,
    roles: Vec<(String, Role)>,
    networks: Vec<(String, Role)>,
}

impl UserBuilder<'_> {
    pub fn admin(mut self) -> Self {
        self.admin = true;
        self
    }

    pub fn role(mut self, role: Role) -> Self {
        self.roles.push((self.app.programme_id.clone(), role));
        self
    }

    /// A role in another programme than the test's.
    pub fn role_in(mut self, programme_id: &str, role: Role) -> Self {
        self.roles.push((programme_id.to_owned(), role));
        self
    }

    /// An assignment to a network (`Role::NetworkMember`, `NetworkLead`, `Facilitator`).
    pub fn on_network(mut self, network_id: &str, role: Role) -> Self {
        self.networks.push((network_id.to_owned(), role));
        self
    }

    pub async fn create(self) -> User {
        let actor = Actor::cli();
        let new = NewUser {
            email: Email::parse(&self.email).unwrap(),
            name: PersonName::parse("Persona di Prova").unwrap(),
            password: Some(Password::parse(PASSWORD, &[]).unwrap()),
            is_admin: self.admin,
        };
        let user = self.app.db.create_user_with_roles(&actor, new, &self.roles).await.unwrap();
        for (network_id, role) in &self.networks {
            self.app.db.assign_to_network(&actor, &user.id, network_id, *role).await.unwrap();
        }
        user
    }
}

impl TestApp {
    /// `None` when the engine is not available (PostgreSQL without `RETI_TEST_DATABASE_URL`, outside CI).
    pub async fn spawn(engine: Engine) -> Option<TestApp> {
        let test_db = TestDb::new(engine).await?;
        let db = test_db.db.clone();
        db.sync_municipalities().await.unwrap();
        let data_dir = tempfile::tempdir().unwrap();
        let config = WebConfig::new("http://reti.test", data_dir.path().to_path_buf());
        let outbox = config.mail.outbox.clone();
        let jobs = reti_web::jobs::Runner::new(db.clone(), reti_web::jobs::Registry::standard(&db, &config).unwrap());
        let router = reti_web::router(AppState::new(db.clone(), config));
        let programme = db.create_programme(&Actor::cli(), "PROG-2463", "LAB'IMPACT").await.unwrap();
        Some(TestApp {
            db,
            router,
            outbox,
            programme_id: programme.id,
            jobs,
            cookie: std::sync::Mutex::new(None),
            _data_dir: data_dir,
            _test_db: test_db,
        })
    }

    /// The data directory the app keeps its files in (attachments, outbox).
    pub fn data_dir(&self) -> &std::path::Path {
        self._data_dir.path()
    }

    /// A third-sector organisation in Milano, created by the operator; returns its id.
    pub async fn organisation(&self, name: &str, tax_code: &str) -> String {
        let input = reti_store::registry::organisations::OrganisationInput {
            name: name.into(),
            kind: reti_domain::OrganisationKind::ThirdSector,
            tax_code: reti_domain::TaxCode::parse(tax_code).unwrap(),
            municipality_code: Some("015146".into()),
            address: String::new(),
            email: None,
            phone: String::new(),
            website: String::new(),
            resources: Vec::new(),
        };
        self.db.create_organisation(&Actor::cli(), &input).await.unwrap().id
    }

    pub fn user(&self) -> UserBuilder<'_> {
        let email = format!("utente-{}@prova.it", uuid::Uuid::now_v7().simple());
        UserBuilder { app: self, email, admin: false, roles: Vec::new(), networks: Vec::new() }
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        if let Some(set_cookie) = headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()) {
            let pair = set_cookie.split(';').next().unwrap_or("").to_owned();
            let expired = set_cookie.contains("Max-Age=0");
            *self.cookie.lock().unwrap() = if expired { None } else { Some(pair) };
        }
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    fn browser(&self, method: Method, path: &str) -> axum::http::request::Builder {
        let mut builder = Request::builder().method(method).uri(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = self.cookie.lock().unwrap().clone() {
            builder = builder.header(header::COOKIE, cookie);
        }
        builder
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(self.browser(Method::GET, path).body(Body::empty()).unwrap()).await
    }

    pub async fn get_with(&self, path: &str, name: &str, value: &str) -> TestResponse {
        self.request(self.browser(Method::GET, path).header(name, value).body(Body::empty()).unwrap()).await
    }

    /// Posts a form as is, without adding a CSRF token.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let request = self
            .browser(Method::POST, path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.request(request).await
    }

    /// The session's CSRF token, as any page with a form shows it.
    pub async fn csrf(&self) -> String {
        self.get("/password/forgot").await.csrf().expect("a page with a form shows the CSRF token")
    }

    /// Posts a form with the session's CSRF token, as the browser would.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let token = self.csrf().await;
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    pub async fn login(&self, email: &str) -> TestResponse {
        let response = self.post("/login", &[("email", email), ("password", PASSWORD)]).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "login of {email} failed: {}", response.body);
        response
    }

    pub fn logout_locally(&self) {
        *self.cookie.lock().unwrap() = None;
    }

    /// Puts `other` in the cookie jar and returns what was there: one app, several browsers.
    pub fn swap_browser(&self, other: Option<String>) -> Option<String> {
        std::mem::replace(&mut *self.cookie.lock().unwrap(), other)
    }

    /// An API call with a JSON body.
    pub async fn api_send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: serde_json::Value,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.request(builder.body(Body::from(body.to_string())).unwrap()).await
    }

    /// Uploads a file with a multipart form, as the browser's file input does.
    pub async fn upload(&self, path: &str, fields: &[(&str, &str)], file_name: &str, content: &[u8]) -> TestResponse {
        let boundary = "----reti-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = self
            .browser(Method::POST, path)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .unwrap();
        self.request(request).await
    }

    /// A token for `user`, for API calls.
    pub async fn token_for(&self, user: &User) -> String {
        self.db.create_token(&Actor::cli(), &user.id, "test").await.unwrap().1
    }

    pub async fn api_get(&self, path: &str, token: Option<&str>) -> TestResponse {
        let mut builder = Request::builder().method(Method::GET).uri(path);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.request(builder.body(Body::empty()).unwrap()).await
    }

    /// Runs the queued jobs that are due, as the workers of `serve` would; returns how many ran.
    pub async fn run_jobs(&self) -> usize {
        self.jobs.run_due(1).await.unwrap()
    }

    /// The e-mails written to the outbox so far, oldest first.
    pub fn mails(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.outbox) else { return Vec::new() };
        let mut files: Vec<_> =
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "eml")).collect();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files.iter().map(|p| decode_mail(&std::fs::read_to_string(p).unwrap())).collect()
    }
}

/// The log lines written on this thread while it lives, at `warn` and above, formatted as the
/// server writes them (without colours). The router runs on the test's own thread (`oneshot`,
/// awaited in place), so its events land here and no other test's do.
pub struct LogCapture {
    lines: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    _guard: tracing::subscriber::DefaultGuard,
}

impl LogCapture {
    pub fn start() -> LogCapture {
        let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = lines.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .with_writer(move || LogSink(sink.clone()))
            .finish();
        LogCapture { lines, _guard: tracing::subscriber::set_default(subscriber) }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.lines.lock().unwrap()).into_owned()
    }
}

struct LogSink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// E-mail bodies are quoted-printable: decode them to find links and words.
fn decode_mail(raw: &str) -> String {
    let decoded = quoted_printable::decode(raw.as_bytes(), quoted_printable::ParseMode::Robust).unwrap_or_default();
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The first link to `prefix` in a text.
pub fn link_in(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap_or_else(|| panic!("no {prefix} link in {text}"));
    text[start..].split_whitespace().next().unwrap().to_owned()
}

/// One test per engine: `app_tests! { async fn name(app: TestApp) { … } }`.
#[macro_export]
macro_rules! app_tests {
    ($(async fn $name:ident($app:ident: TestApp) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn body($app: $crate::harness::TestApp) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    body($crate::harness::TestApp::spawn(reti_store::Engine::Sqlite).await.unwrap()).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    // `None` only outside CI, announced once by `reti_store::testing::postgres_url_or_skip`.
                    if let Some(app) = $crate::harness::TestApp::spawn(reti_store::Engine::Postgres).await {
                        body(app).await;
                    }
                }
            }
        )*
    };
}
