//! `reti indicators explain` and `export` on the demo, on SQLite and (when
//! `RETI_TEST_DATABASE_URL` is set) PostgreSQL: every built-in indicator's rows make its figure
//! (the command refuses otherwise), the export carries every indicator, bad input is named.

use std::process::{Command, Output};

const CODES: [&str; 14] = [
    "networks_supported",
    "member_organisations",
    "new_members",
    "cross_network_ties",
    "meetings_held",
    "participants_unique",
    "person_meetings",
    "accompaniment_hours",
    "lab_participants",
    "practices_drafted",
    "practices_published",
    "reading_index_change",
    "density_change",
    "objectives_without_responsible",
];

fn reti(data_dir: &std::path::Path, database_url: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reti"));
    command.arg("--data-dir").arg(data_dir).args(args).env_remove("RETI_DATABASE_URL");
    if let Some(url) = database_url {
        command.arg("--database-url").arg(url);
    }
    command.output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_figure_of_the_demo_is_explained_by_its_rows() {
    let postgres = reti_store::testing::TestDb::new(reti_store::Engine::Postgres).await;
    let mut urls = vec![None];
    urls.extend(postgres.as_ref().map(|db| Some(db.url().to_owned())));
    let year = time::OffsetDateTime::now_utc().year();
    for url in urls {
        let dir = tempfile::tempdir().unwrap();
        let demo = reti(dir.path(), url.as_deref(), &["demo"]);
        assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
        let mut measured = 0;
        for period in [year.to_string(), (year - 1).to_string(), format!("{year}-Q1")] {
            for code in CODES {
                let out = reti(dir.path(), url.as_deref(), &["indicators", "explain", code, "--period", &period]);
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert!(out.status.success(), "{code} {period}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
                let last = stdout.lines().last().unwrap();
                assert!(last.starts_with(&format!("{code} {period}: ")), "{last}");
                if !last.contains(": 0 (") && !last.contains(": — (") {
                    measured += 1;
                }
            }
        }
        assert!(measured >= 8, "the demo gives most indicators a figure ({measured})");

        let export = reti(
            dir.path(),
            url.as_deref(),
            &["indicators", "export", "--period", &year.to_string(), "--format", "json"],
        );
        assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
        let rows: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
        for code in CODES {
            assert!(rows.as_array().unwrap().iter().any(|r| r["code"] == code && r["network_id"] == ""), "{code}");
        }
        let csv = reti(dir.path(), url.as_deref(), &["indicators", "export", "--period", "2026-03", "--format", "csv"]);
        assert!(csv.status.success());
        assert!(String::from_utf8_lossy(&csv.stdout).starts_with("\u{feff}Programma;"), "Excel's CSV");

        let bad = reti(dir.path(), url.as_deref(), &["indicators", "explain", "meetings_held", "--period", "2026-Q5"]);
        assert!(!bad.status.success());
        assert!(String::from_utf8_lossy(&bad.stderr).contains("2026-Q1"), "{}", String::from_utf8_lossy(&bad.stderr));
        let unknown = reti(dir.path(), url.as_deref(), &["indicators", "explain", "happiness", "--period", "2026"]);
        assert!(!unknown.status.success());
        assert!(String::from_utf8_lossy(&unknown.stderr).contains("accompaniment_hours"), "the known codes are listed");
    }
}
