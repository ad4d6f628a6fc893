//! `reti ebook build --all-published` on the demo, on SQLite and (when `RETI_TEST_DATABASE_URL`
//! is set) PostgreSQL.

use std::io::Read;
use std::process::{Command, Output};

fn reti(data_dir: &std::path::Path, database_url: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reti"));
    command.arg("--data-dir").arg(data_dir).args(args).env_remove("RETI_DATABASE_URL");
    // Messages in Italian, whatever the machine's language.
    command.env_remove("LC_ALL").env("LANG", "it_IT.UTF-8");
    if let Some(url) = database_url {
        command.arg("--database-url").arg(url);
    }
    command.output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_published_practices_become_an_epub() {
    let postgres = reti_store::testing::TestDb::new(reti_store::Engine::Postgres).await;
    let mut urls = vec![None];
    urls.extend(postgres.as_ref().map(|db| Some(db.url().to_owned())));
    for url in urls {
        let dir = tempfile::tempdir().unwrap();
        let demo = reti(dir.path(), url.as_deref(), &["demo"]);
        assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
        let out = dir.path().join("ebook");
        let out_arg = out.to_str().unwrap();
        let args = ["ebook", "build", "--all-published", "--title", "Buone pratiche 2026", "--output", out_arg];
        let build = reti(dir.path(), url.as_deref(), &args);
        assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
        let path = out.join("buone-pratiche-2026.epub");
        let pdf = out.join("buone-pratiche-2026.pdf");
        let printed = format!("{}\n{}", path.display(), pdf.display());
        assert_eq!(String::from_utf8_lossy(&build.stdout).trim(), printed, "the paths are printed");
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));

        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        assert_eq!(zip.by_index(0).unwrap().name().unwrap(), "mimetype");
        let mut nav = String::new();
        zip.by_name("EPUB/nav.xhtml").unwrap().read_to_string(&mut nav).unwrap();
        assert!(nav.contains("Linea d&#39;azione 1: "), "chapters per action line: {nav}");
        assert!(nav.contains("Doposcuola interculturale di quartiere"), "{nav}");
        let mut index = String::new();
        zip.by_name("EPUB/index.xhtml").unwrap().read_to_string(&mut index).unwrap();
        assert!(index.contains("<bdi>Rete Como Lario Accoglie</bdi>"), "{index}");

        let refused = reti(dir.path(), url.as_deref(), &["ebook", "build", "--title", "T", "--output", out_arg]);
        assert!(!refused.status.success(), "--all-published or --edition is required");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_edition_becomes_an_epub() {
    let postgres = reti_store::testing::TestDb::new(reti_store::Engine::Postgres).await;
    let mut urls = vec![None];
    urls.extend(postgres.as_ref().map(|db| Some(db.url().to_owned())));
    for url in urls {
        let dir = tempfile::tempdir().unwrap();
        let demo = reti(dir.path(), url.as_deref(), &["demo"]);
        assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
        let database_url =
            url.clone().unwrap_or_else(|| format!("sqlite://{}", dir.path().join("reti.sqlite").display()));
        let db = reti_store::Db::connect(&database_url).await.unwrap();
        let editions = db.editions().await.unwrap();
        assert_eq!(editions.len(), 1, "the demo has one edition");
        let versions = db.edition_versions(&editions[0].id).await.unwrap();
        assert_eq!(versions.len(), 1, "built at demo time");
        let names: Vec<&str> = versions[0].files.iter().map(|f| f.file_name.as_str()).collect();
        assert_eq!(
            names,
            ["buone-pratiche-delle-reti-territoriali.epub", "buone-pratiche-delle-reti-territoriali.pdf"]
        );
        let input = reti_domain::input::EditionInput {
            title: "Edizione vuota".into(),
            subtitle: String::new(),
            year: 2026,
            editors: Vec::new(),
            licence: "CC BY 4.0".into(),
            introduction: String::new(),
            english_summary: String::new(),
        };
        let empty = db.create_edition(&reti_store::Actor::cli(), &input).await.unwrap();
        db.close().await;

        let out = dir.path().join("edizione");
        let out_arg = out.to_str().unwrap();
        let build =
            reti(dir.path(), url.as_deref(), &["ebook", "build", "--edition", &editions[0].id, "--output", out_arg]);
        assert!(build.status.success(), "{}", String::from_utf8_lossy(&build.stderr));
        let path = out.join("buone-pratiche-delle-reti-territoriali.epub");
        let pdf = out.join("buone-pratiche-delle-reti-territoriali.pdf");
        let printed = format!("{}\n{}", path.display(), pdf.display());
        assert_eq!(String::from_utf8_lossy(&build.stdout).trim(), printed, "the paths are printed");
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
        assert!(build.stderr.is_empty(), "no progress bar off a terminal: {}", String::from_utf8_lossy(&build.stderr));
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut nav = String::new();
        zip.by_name("EPUB/nav.xhtml").unwrap().read_to_string(&mut nav).unwrap();
        assert!(nav.contains("Linea d&#39;azione 1: "), "chapters per action line: {nav}");
        let mut front = String::new();
        zip.by_name("EPUB/front.xhtml").unwrap().read_to_string(&mut front).unwrap();
        assert!(front.contains("<section lang=\"en\" xml:lang=\"en\""), "the English summary is marked: {front}");
        assert!(front.contains("<title id=\"chart-themes-title\">Pratiche per tema</title>"), "{front}");
        assert!(zip.by_name("EPUB/cover.svg").is_ok(), "the demo edition has a generated cover");

        // An edition without a published practice: the reason in words, not a message key.
        let refused = reti(dir.path(), url.as_deref(), &["ebook", "build", "--edition", &empty, "--output", out_arg]);
        assert!(!refused.status.success());
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(said.contains("nessun capitolo contiene una pratica pubblicata"), "{said}");
        assert!(!said.contains("editions-build-error"), "{said}");

        let both =
            ["ebook", "build", "--edition", &editions[0].id, "--all-published", "--title", "T", "--output", out_arg];
        assert!(
            !reti(dir.path(), url.as_deref(), &both).status.success(),
            "--edition and --all-published are alternatives"
        );
        let unknown =
            reti(dir.path(), url.as_deref(), &["ebook", "build", "--edition", "nessuna", "--output", out_arg]);
        assert!(!unknown.status.success());
        let said = String::from_utf8_lossy(&unknown.stderr);
        assert!(said.contains("non esiste") || said.contains("no longer exists"), "{said}");
    }
}
