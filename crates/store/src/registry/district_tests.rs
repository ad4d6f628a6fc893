//! Districts and the matching of people on re-import, on SQLite and PostgreSQL.

use super::import::{Entity, ImportResult};
use super::networks::{NetworkFilter, NetworkInput};
use super::organisations::OrganisationInput;
use super::people::PersonFilter;
use crate::sql::PageRequest;
use crate::{Actor, Db};
use reti_domain::taxcode::TaxCode;
use reti_domain::{NetworkStatus, OrganisationKind};

async fn import(db: &Db, entity: Entity, csv: &str) -> ImportResult {
    db.import_file(&Actor::cli(), entity, csv.as_bytes(), false).await.unwrap()
}

fn codes(result: &ImportResult) -> Vec<(usize, &str, &str)> {
    result.errors.iter().map(|e| (e.line, e.field.as_str(), e.code)).collect()
}

async fn people_named(db: &Db, name: &str) -> Vec<super::people::Person> {
    let filter = PersonFilter { query: Some(name.into()), ..PersonFilter::default() };
    db.list_people(&filter, PageRequest::all()).await.unwrap().items
}

const LECCO: &str = "Codice ambito;Ambito;Comune;Provincia\n\
                     LC-01;Ambito di Lecco;Lecco;LC\n\
                     LC-01;Ambito di Lecco;Valmadrera;LC\n\
                     LC-02;Ambito di Merate;Merate;LC\n\
                     LC-02;Ambito di Merate;097013;\n";

crate::engine_tests! {
    async fn districts_are_imported_listed_exported_and_filter_networks(db: Db) {
        db.sync_municipalities().await.unwrap();
        let actor = Actor::cli();
        let dry = db.import_file(&actor, Entity::Districts, LECCO.as_bytes(), true).await.unwrap();
        assert!(dry.accepted(), "{:?}", dry.errors);
        assert_eq!((dry.rows, dry.created), (4, 2));
        assert!(db.list_districts("").await.unwrap().is_empty(), "a dry run writes nothing");

        let result = import(&db, Entity::Districts, LECCO).await;
        assert!(result.accepted(), "{:?}", result.errors);
        assert_eq!((result.created, result.updated), (2, 0));
        let districts = db.list_districts("").await.unwrap();
        assert_eq!(districts.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["LC-01", "LC-02"]);
        let lecco = &districts[0];
        assert_eq!(lecco.name, "Ambito di Lecco");
        assert_eq!(lecco.region, "Lombardia");
        assert_eq!(lecco.municipalities.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["Lecco", "Valmadrera"]);
        assert_eq!(districts[1].municipalities.len(), 2);
        assert_eq!(db.list_districts("merate").await.unwrap().len(), 1);

        let programme = db.create_programme(&actor, "PROG-1", "Programma").await.unwrap();
        let input = NetworkInput {
            programme_id: programme.id.clone(),
            name: "Rete del lago".into(),
            description: String::new(),
            maturity: None,
            status: NetworkStatus::Active,
            municipality_codes: vec!["097042".into(), "015146".into()],
            action_line_ids: Vec::new(),
        };
        let network = db.create_network(&actor, &input).await.unwrap();
        let wanted = crate::registry::network_lists::ListsWanted { projects: false, archived_projects: false, people: false };
        let shown = db.network_lists(&network.id, wanted).await.unwrap().districts;
        assert_eq!(shown.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["LC-01"]);
        let in_lecco = NetworkFilter { district_id: Some(lecco.id.clone()), ..NetworkFilter::default() };
        assert_eq!(db.list_networks(&in_lecco, PageRequest::all()).await.unwrap().total, 1);
        let in_merate = NetworkFilter { district_id: Some(districts[1].id.clone()), ..NetworkFilter::default() };
        assert_eq!(db.list_networks(&in_merate, PageRequest::all()).await.unwrap().total, 0);

        // The export reads back as the same districts.
        let table = db.export_table(Entity::Districts, &crate::registry::scope::Scope::All).await.unwrap();
        assert_eq!(table.rows.len(), 4);
        assert_eq!(table.rows[0], ["LC-01", "Ambito di Lecco", "Lecco", "LC"]);
        let mut csv = table.columns.iter().map(|c| c.header).collect::<Vec<_>>().join(";");
        for row in &table.rows {
            csv += &format!("\n{}", row.join(";"));
        }
        let again = import(&db, Entity::Districts, &csv).await;
        assert!(again.accepted(), "{:?}", again.errors);
        assert_eq!((again.created, again.updated), (0, 2));

        // A municipality moves between two districts of the same file, and each district gets
        // exactly the municipalities the file lists (Calco leaves Merate's).
        let moved = "code;name;municipality\nLC-01;Ambito di Lecco;Lecco\nLC-02;Ambito di Merate;Merate\nLC-02;Ambito di Merate;Valmadrera\n";
        assert!(import(&db, Entity::Districts, moved).await.accepted());
        let districts = db.list_districts("").await.unwrap();
        assert_eq!(districts[0].municipalities.len(), 1);
        assert_eq!(districts[1].municipalities.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["Merate", "Valmadrera"]);
        assert_eq!(db.list_networks(&in_merate, PageRequest::all()).await.unwrap().total, 0);

        // A municipality of a district the file does not name is refused, not moved.
        let taken = "code;name;municipality\nLC-03;Ambito nuovo;Lecco\nLC-03;Ambito nuovo;lecco\nLC-03;Ambito nuovo;Atlantide\n";
        let refused = import(&db, Entity::Districts, taken).await;
        assert_eq!(
            codes(&refused),
            [
                (2, "municipality", "error-district-municipality-taken"),
                (3, "municipality", "error-duplicate-in-file"),
                (4, "municipality", "error-municipality-unknown"),
            ]
        );
        assert_eq!(refused.errors[0].value, "Lecco (LC-01)");
        assert_eq!(db.list_districts("").await.unwrap().len(), 2, "a refused file writes nothing");
    }

    async fn people_without_email_match_by_tax_code_or_name_and_organisation(db: Db) {
        db.sync_municipalities().await.unwrap();
        let actor = Actor::cli();
        for (name, code) in [("Coop Aurora", "00743110157"), ("Comune", "01234567897")] {
            let input = OrganisationInput {
                name: name.into(),
                kind: OrganisationKind::ThirdSector,
                tax_code: TaxCode::parse(code).unwrap(),
                municipality_code: Some("015146".into()),
                address: String::new(),
                email: None,
                phone: String::new(),
                website: String::new(),
                resources: Vec::new(),
            };
            db.create_organisation(&actor, &input).await.unwrap();
        }
        let first = "Nome e cognome;Codice fiscale;Ente;Telefono;E-mail\n\
                     Maria Bianchi;RSSMRA85T10A562S;00743110157;1;maria@example.it\n\
                     Luca Neri;;00743110157;1;\n\
                     Luca Neri;;01234567897;1;\n";
        let result = import(&db, Entity::People, first).await;
        assert!(result.accepted(), "{:?}", result.errors);
        assert_eq!((result.created, result.updated), (3, 0));
        assert!(result.warnings.is_empty());

        // Again without e-mails: Maria by her tax code (her e-mail stays), Luca by name and organisation.
        let second = "Nome e cognome;Codice fiscale;Ente;Telefono\n\
                      Maria  BIANCHI;RSSMRA85T10A562S;;2\n\
                      luca neri;;00743110157;2\n";
        let result = import(&db, Entity::People, second).await;
        assert!(result.accepted(), "{:?}", result.errors);
        assert_eq!((result.created, result.updated), (0, 2));
        let maria = people_named(&db, "bianchi").await;
        assert_eq!(maria.len(), 1);
        assert_eq!(maria[0].email.as_deref(), Some("maria@example.it"));
        assert_eq!(maria[0].tax_code.as_deref(), Some("RSSMRA85T10A562S"));
        assert_eq!(maria[0].phone, "2");
        let lucas = people_named(&db, "neri").await;
        assert_eq!(lucas.len(), 2, "the Luca Neri of another organisation is someone else");
        assert_eq!(lucas.iter().filter(|p| p.phone == "2").count(), 1);

        // A new e-mail on a name already in that organisation: a new person, flagged in the preview.
        let third = "Nome e cognome;Ente;E-mail\nMaria Bianchi;00743110157;m.bianchi@altro.example\n";
        let preview = db.import_file(&actor, Entity::People, third.as_bytes(), true).await.unwrap();
        assert!(preview.accepted());
        assert_eq!(preview.created, 1);
        let warnings: Vec<_> = preview.warnings.iter().map(|w| (w.line, w.field.as_str(), w.code)).collect();
        assert_eq!(warnings, [(2, "name", "warning-likely-duplicate")]);
        assert_eq!(preview.warnings[0].value, "Maria BIANCHI (maria@example.it)");

        // A person on record without an e-mail gets the one a later file gives.
        let with_email = "Nome e cognome;Ente;E-mail\nLuca Neri;01234567897;luca@comune.example\n";
        let result = import(&db, Entity::People, with_email).await;
        assert_eq!((result.created, result.updated), (0, 1));
        assert!(result.warnings.is_empty());
        assert_eq!(people_named(&db, "neri").await.iter().filter(|p| p.email.is_some()).count(), 1);

        // An e-mail that is one person's with a tax code that is another's refuses the row.
        assert!(import(&db, Entity::People, "Nome e cognome;E-mail\nAnna Verdi;anna@example.it\n").await.accepted());
        let clash = "Nome e cognome;Codice fiscale;E-mail\nAnna Verdi;RSSMRA85T10A562S;anna@example.it\n";
        let refused = import(&db, Entity::People, clash).await;
        assert_eq!(codes(&refused), [(2, "person_tax_code", "error-person-tax-code-taken")]);
        assert_eq!(people_named(&db, "verdi").await[0].tax_code, None);
    }
}
