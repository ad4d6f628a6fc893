//! Imports of large files, streamed a batch at a time (decision 0016), and imports run again: all
//! or nothing across batches, a bounded report, and nothing written (nor audited) for records a
//! file does not change.

use crate::app_tests;
use crate::harness::TestApp;
use reti_domain::taxcode::check_digit_numeric;
use reti_store::Actor;
use reti_store::registry::import::{Entity, ImportResult, MAX_ERRORS};

/// A valid organisation tax code, distinct for each `index`.
fn tax_code(index: usize) -> String {
    let first10 = format!("9{index:09}");
    format!("{first10}{}", check_digit_numeric(&first10))
}

/// `rows` organisations, several batches' worth; `bad` names the row (0-based) given a wrong kind.
fn organisations(rows: usize, bad: Option<usize>) -> String {
    let mut csv = String::from("Denominazione;Tipologia;Codice fiscale;Comune;Risorse e competenze\n");
    for index in 0..rows {
        let kind = if bad == Some(index) { "banca" } else { "terzo_settore" };
        csv += &format!("Ente {index};{kind};{};Milano;Mediazione, Sportello\n", tax_code(index));
    }
    csv
}

async fn import(app: &TestApp, entity: Entity, csv: &str) -> ImportResult {
    app.db.import_file(&Actor::cli(), entity, csv.as_bytes(), false).await.unwrap()
}

/// Counted whole: the audit view stops counting at `COUNT_LIMIT`.
async fn audit_entries(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(app.db.pool()).await.unwrap()
}

async fn organisation_count(app: &TestApp) -> i64 {
    let filter = reti_store::registry::organisations::OrganisationFilter::default();
    app.db.list_organisations(&filter, reti_store::PageRequest::new(None, Some(1))).await.unwrap().total
}

app_tests! {
    async fn a_large_file_is_written_in_batches_and_again_changes_nothing(app: TestApp) {
        let csv = organisations(1_200, None);
        let result = import(&app, Entity::Organisations, &csv).await;
        assert!(result.accepted(), "{:?}", result.errors);
        assert_eq!((result.rows, result.created, result.updated), (1_200, 1_200, 0));
        assert_eq!(organisation_count(&app).await, 1_200);
        let last = app.db.organisation_by_tax_code(&tax_code(1_199)).await.unwrap().unwrap();
        assert_eq!(last.resources.len(), 2);

        let entries = audit_entries(&app).await;
        let again = import(&app, Entity::Organisations, &csv).await;
        assert!(again.accepted());
        assert_eq!((again.created, again.updated), (0, 0));
        assert_eq!(audit_entries(&app).await, entries, "an unchanged file writes no audit entry");

        let renamed = csv.replace("Ente 7;", "Ente sette;");
        let again = import(&app, Entity::Organisations, &renamed).await;
        assert_eq!((again.created, again.updated), (0, 1));
        assert_eq!(audit_entries(&app).await, entries + 2, "the update and the import's summary");
    }

    async fn a_bad_row_after_many_batches_refuses_the_whole_file(app: TestApp) {
        let entries = audit_entries(&app).await;
        let result = import(&app, Entity::Organisations, &organisations(1_200, Some(1_150))).await;
        assert!(!result.accepted());
        assert_eq!(result.errors.len(), 1);
        assert_eq!((result.errors[0].line, result.errors[0].code), (1_152, "error-kind-invalid"));
        assert_eq!(organisation_count(&app).await, 0, "the batches written before it are rolled back");
        assert_eq!(audit_entries(&app).await, entries);

        let dry_run = app.db.import_file(&Actor::cli(), Entity::Organisations, organisations(1_200, None).as_bytes(), true).await.unwrap();
        assert_eq!(dry_run.created, 1_200, "a dry run counts what it would write");
        assert_eq!(organisation_count(&app).await, 0);
    }

    async fn a_report_lists_a_bounded_number_of_problems(app: TestApp) {
        let mut csv = String::from("Denominazione;Tipologia;Codice fiscale;Comune\n");
        for index in 0..(MAX_ERRORS + 300) {
            csv += &format!("Ente {index};banca;{};Milano\n", tax_code(index));
        }
        let result = import(&app, Entity::Organisations, &csv).await;
        assert_eq!(result.errors.len(), MAX_ERRORS);
        assert_eq!(result.more_errors, 300);
        assert_eq!(result.error_count(), MAX_ERRORS + 300);
        assert_eq!(result.errors[0].line, 2, "the first problems are the ones listed");
        assert_eq!(organisation_count(&app).await, 0);
    }

    async fn people_on_several_rows_and_past_memberships_import_again_unchanged(app: TestApp) {
        let (alfa, beta) = (tax_code(1), tax_code(2));
        app.organisation("Alfa", &alfa).await;
        app.organisation("Beta", &beta).await;
        let people = format!(
            "Nome e cognome;E-mail;Codice fiscale ente;Qualifica\n\
             Samira Ouali;samira@alfa.example;{alfa};Mediatrice\n\
             Samira Ouali;samira@alfa.example;{beta};Socia fondatrice\n"
        );
        let result = import(&app, Entity::People, &people).await;
        assert!(result.accepted(), "{:?}", result.errors);
        assert_eq!((result.created, result.updated), (1, 0), "one person, on two rows");
        let samira = app.db.person_by_email("samira@alfa.example").await.unwrap().unwrap();
        let mut positions: Vec<&str> = samira.affiliations.iter().map(|a| a.position.as_str()).collect();
        positions.sort();
        assert_eq!(positions, ["Mediatrice", "Socia fondatrice"]);

        let networks = "Nome rete;Programma;Comuni;Linee d'azione\nRete Alfa;PROG-2463;Milano;\n";
        assert!(import(&app, Entity::Networks, networks).await.accepted());
        let memberships = format!(
            "Rete;Codice fiscale;Ruolo;Dal;Al\n\
             Rete Alfa;{alfa};lead;2019-02-01;\n\
             Rete Alfa;{beta};partner;2019-02-01;2020-06-30\n\
             Rete Alfa;{beta};supporter;2020-09-01;\n"
        );
        let result = import(&app, Entity::Memberships, &memberships).await;
        assert!(result.accepted(), "{:?}", result.errors);
        assert_eq!(result.created, 3);

        let entries = audit_entries(&app).await;
        for (entity, csv) in [(Entity::People, people.as_str()), (Entity::Networks, networks), (Entity::Memberships, memberships.as_str())] {
            let again = import(&app, entity, csv).await;
            assert!(again.accepted(), "{:?}", again.errors);
            assert_eq!((again.created, again.updated), (0, 0), "{entity:?}");
        }
        assert_eq!(audit_entries(&app).await, entries, "files imported again write nothing");
        let network = app.db.network_by_name(&app.programme_id, "Rete Alfa").await.unwrap().unwrap();
        assert_eq!(network.memberships.len(), 3, "an ended membership is not added again");
        assert_eq!(app.db.person_by_email("samira@alfa.example").await.unwrap().unwrap().affiliations.len(), 2);
    }
}
