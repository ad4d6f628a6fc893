//! `reti person export` and `erase` on the demo, on SQLite and (when `RETI_TEST_DATABASE_URL` is
//! set) PostgreSQL: the export is one JSON document of the person's data, the erasure leaves a
//! pseudonym and is audited as the command line's, an unknown address is named.

use std::process::{Command, Output};

const EMAIL: &str = "referente@reti.example";

fn reti(data_dir: &std::path::Path, database_url: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reti"));
    command.arg("--data-dir").arg(data_dir).args(args).env_remove("RETI_DATABASE_URL");
    if let Some(url) = database_url {
        command.arg("--database-url").arg(url);
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_is_exported_then_erased() {
    let postgres = reti_store::testing::TestDb::new(reti_store::Engine::Postgres).await;
    let mut urls = vec![None];
    urls.extend(postgres.as_ref().map(|db| Some(db.url().to_owned())));
    for url in urls {
        let url = url.as_deref();
        let dir = tempfile::tempdir().unwrap();
        let demo = reti(dir.path(), url, &["demo"]);
        assert!(demo.status.success(), "{}", text(&demo.stderr));

        let file = dir.path().join("referente.json");
        let export = reti(dir.path(), url, &["person", "export", "--email", EMAIL, "--output", file.to_str().unwrap()]);
        assert!(export.status.success(), "{}", text(&export.stderr));
        let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(document["email"], EMAIL);
        assert_eq!(document["accounts"][0]["email"], EMAIL);
        let name = document["accounts"][0]["name"].as_str().unwrap().to_owned();
        assert!(!document["programme_roles"].as_array().unwrap().is_empty(), "{document}");
        let stdout = reti(dir.path(), url, &["person", "export", "--email", "REFERENTE@reti.example"]);
        let same: serde_json::Value = serde_json::from_slice(&stdout.stdout).unwrap();
        assert_eq!(same["accounts"], document["accounts"], "the address in any case, to standard output");

        let erase = reti(dir.path(), url, &["person", "erase", "--email", EMAIL]);
        assert!(erase.status.success(), "{}", text(&erase.stderr));
        assert!(text(&erase.stdout).contains("Persona cancellata #1"), "{}", text(&erase.stdout));
        let gone = reti(dir.path(), url, &["person", "export", "--email", EMAIL]);
        assert!(!gone.status.success());
        assert!(text(&gone.stderr).contains("nothing is held about referente@reti.example"), "{}", text(&gone.stderr));
        let again = reti(dir.path(), url, &["person", "erase", "--email", EMAIL]);
        assert!(!again.status.success(), "once");
        let pseudonym = reti(dir.path(), url, &["person", "export", "--email", "cancellata-1@reti.invalid"]);
        let erased: serde_json::Value = serde_json::from_slice(&pseudonym.stdout).unwrap();
        assert_eq!(erased["accounts"][0]["name"], "Persona cancellata #1");
        assert!(!pseudonym.stdout.is_empty() && !text(&pseudonym.stdout).contains(&name), "{name} is gone");
        let audit = erased["audit"].as_array().unwrap();
        assert!(audit.iter().any(|e| e["action"] == "erase" && e["actor_label"].is_null()), "{audit:?}");
    }
}
