//! The `reti` binary, run as an operator would, on SQLite and (when `RETI_TEST_DATABASE_URL` is
//! set) PostgreSQL.

use std::io::Write;
use std::process::{Command, Output, Stdio};

struct Target {
    data_dir: tempfile::TempDir,
    database_url: Option<String>,
    _db: Option<reti_store::testing::TestDb>,
}

impl Target {
    fn reti(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_reti"));
        command
            .arg("--data-dir")
            .arg(self.data_dir.path())
            .args(args)
            .env("LANG", "it_IT.UTF-8")
            .env_remove("RETI_DATABASE_URL");
        if let Some(url) = &self.database_url {
            command.arg("--database-url").arg(url);
        }
        let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut pipe = child.stdin.take().unwrap();
        if let Some(input) = stdin {
            pipe.write_all(input.as_bytes()).unwrap();
        }
        drop(pipe);
        child.wait_with_output().unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn targets() -> Vec<Target> {
    let mut targets = vec![Target { data_dir: tempfile::tempdir().unwrap(), database_url: None, _db: None }];
    if let Some(db) = reti_store::testing::TestDb::new(reti_store::Engine::Postgres).await {
        let url = db.url().to_owned();
        targets.push(Target { data_dir: tempfile::tempdir().unwrap(), database_url: Some(url), _db: Some(db) });
    }
    targets
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_and_tokens_from_the_command_line() {
    for target in targets().await {
        let migrate = target.reti(&["migrate"], None);
        assert!(migrate.status.success(), "{}", text(&migrate.stderr));
        if target.database_url.is_none() {
            assert!(target.data_dir.path().join("reti.sqlite").exists(), "SQLite lives in the data directory");
        }

        let demo = target.reti(&["demo"], None);
        assert!(demo.status.success(), "{}", text(&demo.stderr));
        assert!(text(&demo.stdout).contains("coordinamento@reti.example"));
        let again = target.reti(&["demo"], None);
        assert!(text(&again.stdout).contains("0 new accounts"), "the demo is idempotent");

        let create = target.reti(
            &[
                "user",
                "create",
                "--email",
                "Anna@Comune.it",
                "--name",
                "Anna Rossi",
                "--role",
                "coordinator",
                "--programme",
                "PROG-2463",
                "--password-stdin",
            ],
            Some("una-password-lunga\n"),
        );
        assert!(create.status.success(), "{}", text(&create.stderr));

        let duplicate = target.reti(
            &["user", "create", "--email", "anna@comune.it", "--name", "X", "--admin", "--password-stdin"],
            Some("una-password-lunga\n"),
        );
        assert!(!duplicate.status.success());
        assert!(text(&duplicate.stderr).contains("Indirizzo e-mail"), "names the field: {}", text(&duplicate.stderr));

        let short = target.reti(
            &["user", "create", "--email", "b@comune.it", "--name", "B", "--admin", "--password-stdin"],
            Some("corta\n"),
        );
        assert!(!short.status.success());
        assert!(text(&short.stderr).contains("almeno 12 caratteri"), "{}", text(&short.stderr));

        let unknown_programme = target.reti(
            &[
                "user",
                "create",
                "--email",
                "c@comune.it",
                "--name",
                "C",
                "--role",
                "facilitator",
                "--programme",
                "NOPE",
                "--password-stdin",
            ],
            Some("una-password-lunga\n"),
        );
        assert!(!unknown_programme.status.success());
        assert!(text(&unknown_programme.stderr).contains("NOPE"));

        let reset = target.reti(
            &["user", "reset-password", "--email", "anna@comune.it", "--password-stdin"],
            Some("un-altra-password\n"),
        );
        assert!(reset.status.success(), "{}", text(&reset.stderr));

        let token = target.reti(&["token", "create", "--email", "anna@comune.it"], None);
        assert!(token.status.success(), "{}", text(&token.stderr));
        let stdout = text(&token.stdout);
        let last = stdout.lines().last().unwrap();
        assert!(last.starts_with("reti_") && last.len() > 40, "the token is on the last line: {stdout}");

        let no_user = target.reti(&["token", "create", "--email", "nessuno@comune.it"], None);
        assert!(!no_user.status.success());

        let month =
            target.reti(&["token", "create", "--email", "anna@comune.it", "--name", "ci", "--days", "30"], None);
        assert!(month.status.success(), "{}", text(&month.stderr));
        let too_long = target.reti(&["token", "create", "--email", "anna@comune.it", "--days", "400"], None);
        assert!(!too_long.status.success());
        assert!(text(&too_long.stderr).contains("365"), "{}", text(&too_long.stderr));

        let weak = target
            .reti(&["user", "reset-password", "--email", "anna@comune.it", "--password-stdin"], Some("password1234\n"));
        assert!(!weak.status.success(), "operators choose strong passwords too");
    }
}

#[test]
fn bad_database_url_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_reti"))
        .args(["--data-dir", dir.path().to_str().unwrap(), "--database-url", "mysql://x", "migrate"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("sqlite: or postgres:"), "{}", text(&output.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_and_export_from_the_command_line() {
    for target in targets().await {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("enti.csv");
        std::fs::write(&bad, "Denominazione;Tipologia;Codice fiscale;Comune\nA;Comune;00743110157;Milano\nB;Comune;00743110158;Milano\nC;Comune;01234567897;Atlantide\n").unwrap();
        let refused = target.reti(&["import", "organisations", bad.to_str().unwrap()], None);
        assert!(!refused.status.success(), "a bad file makes the command fail");
        let errors = text(&refused.stderr);
        assert!(errors.contains("riga 3") && errors.contains("riga 4") && errors.contains("Atlantide"), "{errors}");

        let good = dir.path().join("buoni.csv");
        std::fs::write(&good, "Denominazione;Tipologia;Codice fiscale;Comune;Extra\nA;Comune;00743110157;Milano;x\n")
            .unwrap();
        let dry = target.reti(&["import", "organisations", good.to_str().unwrap(), "--dry-run"], None);
        assert!(dry.status.success(), "{}", text(&dry.stderr));
        assert!(text(&dry.stdout).contains("Extra"), "unknown columns are reported");
        let export = target.reti(&["export", "organisations", "--format", "json"], None);
        assert_eq!(text(&export.stdout).trim(), "[]", "the dry run wrote nothing");

        let imported = target.reti(&["import", "organisations", good.to_str().unwrap()], None);
        assert!(imported.status.success(), "{}", text(&imported.stderr));
        let json: serde_json::Value =
            serde_json::from_slice(&target.reti(&["export", "organisations", "--format", "json"], None).stdout)
                .unwrap();
        assert_eq!(json[0]["tax_code"], "00743110157");
        let out = dir.path().join("enti.xlsx");
        let xlsx =
            target.reti(&["export", "organisations", "--format", "xlsx", "--output", out.to_str().unwrap()], None);
        assert!(xlsx.status.success());
        assert!(std::fs::read(&out).unwrap().starts_with(b"PK"), "an XLSX is a zip");
        let csv = target.reti(&["export", "organisations"], None);
        assert!(csv.stdout.starts_with("\u{feff}Denominazione;".as_bytes()), "CSV for Italian Excel by default");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_refuses_a_workbook_that_declares_the_whole_sheet() {
    // The 1.6 KB workbook of issue 6: cells A1 and XFD1048576.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write(0, 0, "Denominazione").unwrap();
    sheet.write(1_048_575, 16_383, "x").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("enti.xlsx");
    std::fs::write(&path, workbook.save_to_buffer().unwrap()).unwrap();
    for target in targets().await {
        let refused = target.reti(&["import", "organisations", path.to_str().unwrap(), "--dry-run"], None);
        assert_eq!(refused.status.code(), Some(1), "refused, not aborted: {}", text(&refused.stderr));
        let errors = text(&refused.stderr);
        assert!(errors.contains("Il foglio dichiara 1.048.576 righe × 16.384 colonne"), "{errors}");
        assert!(errors.contains("256 colonne"), "{errors}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_refuses_a_file_past_the_limit_before_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("enorme.csv");
    // A sparse file: its size says 65 MB without writing them.
    std::fs::File::create(&path).unwrap().set_len(65 * 1024 * 1024).unwrap();
    for target in targets().await {
        let refused = target.reti(&["import", "organisations", path.to_str().unwrap(), "--dry-run"], None);
        assert_eq!(refused.status.code(), Some(1));
        assert!(text(&refused.stderr).contains("Il file supera 64 MB"), "{}", text(&refused.stderr));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn districts_from_the_command_line() {
    for target in targets().await {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ambiti.csv");
        std::fs::write(
            &file,
            "Codice ambito;Ambito;Comune\nLC-01;Ambito di Lecco;Lecco\nLC-01;Ambito di Lecco;Atlantide\n",
        )
        .unwrap();
        let refused = target.reti(&["import", "districts", file.to_str().unwrap()], None);
        assert!(!refused.status.success());
        assert!(text(&refused.stderr).contains("riga 3") && text(&refused.stderr).contains("Atlantide"));

        std::fs::write(&file, "code,name,municipality\nLC-01,Ambito di Lecco,Lecco\nLC-01,Ambito di Lecco,097083\n")
            .unwrap();
        let dry = target.reti(&["import", "districts", file.to_str().unwrap(), "--dry-run"], None);
        assert!(dry.status.success(), "{}", text(&dry.stderr));
        assert_eq!(text(&target.reti(&["export", "districts", "--format", "json"], None).stdout).trim(), "[]");
        let imported = target.reti(&["import", "districts", file.to_str().unwrap()], None);
        assert!(imported.status.success(), "{}", text(&imported.stderr));
        let json: serde_json::Value =
            serde_json::from_slice(&target.reti(&["export", "districts", "--format", "json"], None).stdout).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 2);
        assert_eq!(json[0]["code"], "LC-01");
        assert_eq!(json[0]["municipality"], "Lecco");

        // The demo's illustrative districts stay out of a database that has its own.
        let demo = target.reti(&["demo"], None);
        assert!(demo.status.success(), "{}", text(&demo.stderr));
        let json: serde_json::Value =
            serde_json::from_slice(&target.reti(&["export", "districts", "--format", "json"], None).stdout).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_run_once_sends_the_queued_mail() {
    for target in targets().await {
        let migrate = target.reti(&["migrate"], None);
        assert!(migrate.status.success(), "{}", text(&migrate.stderr));
        let url = target
            .database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", target.data_dir.path().join("reti.sqlite").display()));
        let db = reti_store::Db::connect(&url).await.unwrap();
        let mail = serde_json::json!({"to": "anna@comune.it", "subject": "Prova", "body": "Ciao"});
        db.enqueue(&reti_store::jobs::NewJob::new("mail", mail)).await.unwrap();
        db.close().await;
        let outbox = target.data_dir.path().join("outbox");
        assert!(!outbox.exists(), "nothing sent before the job runs");
        let run = target.reti(&["jobs", "run", "--once"], None);
        assert!(run.status.success(), "{}", text(&run.stderr));
        assert!(text(&run.stdout).contains("1 jobs run"), "{}", text(&run.stdout));
        let sent = std::fs::read_dir(&outbox).unwrap().count();
        assert_eq!(sent, 1, "the mail is in the outbox");
        let again = target.reti(&["jobs", "run", "--once"], None);
        assert!(text(&again.stdout).contains("0 jobs run"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attendance_exports_one_row_per_person_per_meeting() {
    for target in targets().await {
        let demo = target.reti(&["demo"], None);
        assert!(demo.status.success(), "{}", text(&demo.stderr));
        let json: serde_json::Value =
            serde_json::from_slice(&target.reti(&["export", "attendance", "--format", "json"], None).stdout).unwrap();
        let rows = json.as_array().unwrap();
        assert!(rows.len() > 100, "a year of registers: {}", rows.len());
        let keys: Vec<&str> = rows[0].as_object().unwrap().keys().map(String::as_str).collect();
        for key in ["meeting", "date", "network", "organisation", "person", "present", "minutes"] {
            assert!(keys.contains(&key), "{keys:?}");
        }
        let network = rows[0]["network"].as_str().unwrap().to_owned();
        let date = rows[0]["date"].as_str().unwrap().to_owned();
        let url = target
            .database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", target.data_dir.path().join("reti.sqlite").display()));
        let db = reti_store::Db::connect(&url).await.unwrap();
        let programme = db.programme_by_code("PROG-2463").await.unwrap().unwrap();
        let network_id = db.network_by_name(&programme.id, &network).await.unwrap().unwrap().id;
        db.close().await;
        let args =
            ["export", "attendance", "--format", "json", "--network", &network_id, "--from", &date, "--to", &date];
        let one_day: serde_json::Value = serde_json::from_slice(&target.reti(&args, None).stdout).unwrap();
        let one_day = one_day.as_array().unwrap();
        assert!(!one_day.is_empty() && one_day.len() < rows.len());
        assert!(one_day.iter().all(|r| r["network"] == network.as_str() && r["date"] == date.as_str()));
        let csv = target.reti(&["export", "attendance", "--format", "csv"], None);
        assert!(csv.stdout.starts_with("\u{feff}Incontro;Data;Rete;Ente;Persona;Presente;Minuti".as_bytes()));
        let xlsx = target.reti(&["export", "attendance", "--format", "xlsx"], None);
        assert!(xlsx.stdout.starts_with(b"PK"));
        let bad = target.reti(&["export", "attendance", "--from", "31/02/2026"], None);
        assert!(!bad.status.success());
        assert!(text(&bad.stderr).contains("Dal giorno"), "{}", text(&bad.stderr));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_errors_name_their_limit_and_first_line() {
    for target in targets().await {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("enti.csv");
        let long = "x".repeat(301);
        let rows = format!(
            "Denominazione;Tipologia;Codice fiscale;Comune\n{long};altro;01199250158;Milano\nA;altro;00743110157;Milano\nB;altro;00743110157;Milano\n"
        );
        std::fs::write(&file, rows).unwrap();
        let refused = target.reti(&["import", "organisations", file.to_str().unwrap(), "--dry-run"], None);
        assert!(!refused.status.success());
        let errors = text(&refused.stderr);
        assert!(errors.contains("riga 2") && errors.contains("al massimo 300 caratteri"), "{errors}");
        assert!(errors.contains("riga 4") && errors.contains("compare già alla riga 3"), "{errors}");
    }
}
