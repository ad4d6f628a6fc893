//! Registry and import tests, on SQLite and PostgreSQL.

use super::import::Entity;
use super::networks::{MembershipInput, NetworkFilter, NetworkInput};
use super::organisations::{OrganisationFilter, OrganisationInput};
use crate::PageRequest;
use crate::{Actor, Db, StoreError};
use reti_domain::taxcode::TaxCode;
use reti_domain::{MembershipRole, NetworkStatus, OrganisationKind};

const HEADER: &str = "Denominazione;Tipologia;Codice fiscale;Comune;Provincia;E-mail;Risorse e competenze";

async fn ready(db: &Db) {
    db.sync_municipalities().await.unwrap();
}

fn organisation(name: &str, tax_code: &str) -> OrganisationInput {
    OrganisationInput {
        name: name.into(),
        kind: OrganisationKind::ThirdSector,
        tax_code: TaxCode::parse(tax_code).unwrap(),
        municipality_code: Some("015146".into()),
        address: String::new(),
        email: None,
        phone: String::new(),
        website: String::new(),
        resources: vec!["Mediazione linguistico-culturale".into()],
    }
}

async fn import(db: &Db, entity: Entity, bytes: &[u8]) -> super::import::ImportResult {
    db.import_file(&Actor::cli(), entity, bytes, false).await.unwrap()
}

async fn organisation_count(db: &Db) -> i64 {
    db.list_organisations(&OrganisationFilter::default(), PageRequest::new(None, None)).await.unwrap().total
}

crate::engine_tests! {
    async fn municipalities_are_searchable_with_accents_folded(db: Db) {
        ready(&db).await;
        assert_eq!(db.sync_municipalities().await.unwrap(), 0, "a second sync writes nothing");
        let found = db.search_municipalities("cantu", None, 10).await.unwrap();
        assert_eq!(found[0].name, "Cantù");
        assert_eq!(found[0].province_code, "CO");
        let by_code = db.search_municipalities("15146", None, 10).await.unwrap();
        assert!(by_code.iter().any(|m| m.name == "Milano"));
        let lombard = db.search_municipalities("san", Some("Lombardia"), 200).await.unwrap();
        assert!(lombard.iter().all(|m| m.region == "Lombardia") && !lombard.is_empty());
        // "100%" must not act as a wildcard.
        assert!(db.search_municipalities("%", None, 10).await.unwrap().is_empty());
    }

    async fn organisations_are_unique_by_tax_code_and_filterable(db: Db) {
        ready(&db).await;
        let actor = Actor::cli();
        let created = db.create_organisation(&actor, &organisation("Cooperativa Il Ponte", "00743110157")).await.unwrap();
        assert_eq!(created.municipality.as_ref().unwrap().name, "Milano");
        assert_eq!(created.resources, vec!["Mediazione linguistico-culturale"]);
        let again = db.create_organisation(&actor, &organisation("Altro nome", "00743110157")).await;
        assert!(matches!(again, Err(StoreError::Conflict { field: "tax_code" })));
        db.create_organisation(&actor, &organisation("Università di Città", "01234567897")).await.unwrap();
        let search = |query: &str| OrganisationFilter { query: Some(query.into()), ..OrganisationFilter::default() };
        assert_eq!(db.list_organisations(&search("universita"), PageRequest::new(None, None)).await.unwrap().total, 1);
        assert_eq!(db.list_organisations(&search("00743110157"), PageRequest::new(None, None)).await.unwrap().total, 1);
        let by_tag = OrganisationFilter { resource: Some("mediazione linguistico-culturale".into()), ..OrganisationFilter::default() };
        assert_eq!(db.list_organisations(&by_tag, PageRequest::new(None, None)).await.unwrap().total, 2);
        db.set_organisation_archived(&actor, &created.id, true).await.unwrap();
        assert_eq!(organisation_count(&db).await, 1, "archived ones leave the list");
        let page = db.list_organisations(&OrganisationFilter::default(), PageRequest::new(Some(2), Some(1))).await.unwrap();
        assert!(page.items.is_empty() && page.total == 1);
    }

    async fn memberships_keep_history_and_one_lead(db: Db) {
        ready(&db).await;
        let actor = Actor::cli();
        let programme = db.create_programme(&actor, "PROG-2463", "LAB'IMPACT").await.unwrap();
        let line = db.put_action_line(&actor, &programme.id, 1, "Scuola").await.unwrap();
        let comune = db.create_organisation(&actor, &organisation("Comune di Milano", "01234567897")).await.unwrap();
        let coop = db.create_organisation(&actor, &organisation("Coop", "00743110157")).await.unwrap();
        let input = NetworkInput {
            programme_id: programme.id.clone(),
            name: "Rete Milano Inclusiva".into(),
            description: String::new(),
            maturity: None,
            status: NetworkStatus::Active,
            municipality_codes: vec!["015146".into()],
            action_line_ids: vec![line.id.clone()],
        };
        let network = db.create_network(&actor, &input).await.unwrap();
        assert!(matches!(db.create_network(&actor, &NetworkInput { name: "rete milano INCLUSIVA".into(), ..input.clone() }).await, Err(StoreError::Conflict { .. })));
        let lead = MembershipInput { organisation_id: comune.id.clone(), role: MembershipRole::Lead, joined_on: None };
        db.add_membership(&actor, &network.id, &lead).await.unwrap();
        let second_lead = MembershipInput { organisation_id: coop.id.clone(), role: MembershipRole::Lead, joined_on: None };
        assert!(matches!(db.add_membership(&actor, &network.id, &second_lead).await, Err(StoreError::Conflict { field: "role" })));
        let partner = MembershipInput { role: MembershipRole::Partner, ..second_lead };
        let membership = db.add_membership(&actor, &network.id, &partner).await.unwrap();
        assert!(matches!(db.add_membership(&actor, &network.id, &partner).await, Err(StoreError::Conflict { field: "organisation_id" })));
        let left_on = time::Date::from_calendar_date(2025, time::Month::June, 30).unwrap();
        db.end_membership(&actor, &network.id, &membership, left_on).await.unwrap();
        let loaded = db.network(&network.id).await.unwrap().unwrap();
        assert_eq!(loaded.lead().unwrap().organisation_name, "Comune di Milano");
        assert_eq!(loaded.current_members().count(), 1);
        assert_eq!(loaded.memberships.len(), 2, "the ended membership stays as history");
        assert_eq!(loaded.memberships[1].left_on, Some(left_on));
        assert_eq!(loaded.municipalities[0].name, "Milano");
        // The organisation can join again after leaving.
        db.add_membership(&actor, &network.id, &partner).await.unwrap();
        let by_org = NetworkFilter { organisation_id: Some(coop.id.clone()), ..NetworkFilter::default() };
        assert_eq!(db.list_networks(&by_org, PageRequest::new(None, None)).await.unwrap().total, 1);
    }

    async fn import_reads_excel_csv_in_windows_1252_with_crlf(db: Db) {
        ready(&db).await;
        // What Italian Excel writes: Windows-1252, CRLF, semicolons, empty trailing columns.
        let mut bytes = Vec::new();
        bytes.extend_from_slice(format!("{HEADER};;\r\n").as_bytes());
        bytes.extend_from_slice(b"Associazione Cant\xf9 Insieme;Associazione di migranti;00743110157;Cant\xf9;CO;info@cantu.example;Mediazione, Volontariato;;\r\n");
        bytes.extend_from_slice(b"\"Coop \"\"Il Ponte\"\"; sociale\";Cooperativa sociale;01234567897;015146;;;\"Orientamento al lavoro; Accoglienza\";;\r\n");
        let result = import(&db, Entity::Organisations, &bytes).await;
        assert!(result.accepted(), "{:?}", result.errors);
        assert_eq!((result.created, result.updated, result.rows), (2, 0, 2));
        assert_eq!(result.encoding, "windows-1252");
        let cantu = db.organisation_by_tax_code("00743110157").await.unwrap().unwrap();
        assert_eq!(cantu.name, "Associazione Cantù Insieme");
        assert_eq!(cantu.kind, OrganisationKind::MigrantAssociation);
        assert_eq!(cantu.municipality.unwrap().name, "Cantù");
        let coop = db.organisation_by_tax_code("01234567897").await.unwrap().unwrap();
        assert_eq!(coop.name, "Coop \"Il Ponte\"; sociale", "quoted separators and quotes inside");
        assert_eq!(coop.municipality.unwrap().name, "Milano", "a municipality by ISTAT code");
        assert_eq!(coop.resources.len(), 2);
    }

    async fn import_with_bom_updates_existing_tax_codes(db: Db) {
        ready(&db).await;
        db.create_organisation(&Actor::cli(), &organisation("Vecchio nome", "00743110157")).await.unwrap();
        let text = format!("\u{feff}{HEADER}\nNuovo nome;Comune;00743110157;Milano;MI;;\n");
        let result = import(&db, Entity::Organisations, text.as_bytes()).await;
        assert!(result.accepted(), "{:?}", result.errors);
        assert_eq!((result.created, result.updated), (0, 1));
        let updated = db.organisation_by_tax_code("00743110157").await.unwrap().unwrap();
        assert_eq!((updated.name.as_str(), updated.kind), ("Nuovo nome", OrganisationKind::Municipality));
    }

    async fn import_refuses_the_whole_file_and_lists_every_bad_row(db: Db) {
        ready(&db).await;
        let text = format!(
            "{HEADER};Colonna strana\n\
             Buona;Comune;00743110157;Milano;MI;;;x\n\
             Comune inesistente;Comune;01234567897;Atlantide;;;;\n\
             Cifra sbagliata;Comune;00743110158;Milano;;;;\n\
             Ripetuta;Comune;00743110157;Milano;;;;\n\
             Email rotta;Banca;09876543217;Milano;;non-una-mail;;\n"
        );
        let result = import(&db, Entity::Organisations, text.as_bytes()).await;
        assert!(!result.accepted());
        assert_eq!(result.unknown_columns, vec!["Colonna strana".to_owned()], "unknown columns are reported");
        let found: Vec<(usize, &str, &str)> = result.errors.iter().map(|e| (e.line, e.field.as_str(), e.code)).collect();
        assert!(found.contains(&(3, "municipality", "error-municipality-unknown")), "{found:?}");
        assert!(found.contains(&(4, "tax_code", "error-tax-code-check-digit")), "{found:?}");
        assert!(found.contains(&(5, "tax_code", "error-duplicate-in-file")), "{found:?}");
        assert!(found.contains(&(6, "kind", "error-kind-invalid")), "{found:?}");
        assert!(found.contains(&(6, "email", "error-email-invalid")), "{found:?}");
        assert_eq!(organisation_count(&db).await, 0, "nothing written, not even the good row");
    }

    async fn dry_run_writes_nothing(db: Db) {
        ready(&db).await;
        let text = format!("{HEADER}\nBuona;Comune;00743110157;Milano;MI;;\n");
        let result = db.import_file(&Actor::cli(), Entity::Organisations, text.as_bytes(), true).await.unwrap();
        assert!(result.accepted() && result.created == 1);
        assert_eq!(organisation_count(&db).await, 0);
    }

    async fn import_of_networks_people_and_memberships(db: Db) {
        ready(&db).await;
        let actor = Actor::cli();
        let programme = db.create_programme(&actor, "PROG-2463", "LAB'IMPACT").await.unwrap();
        db.put_action_line(&actor, &programme.id, 1, "Scuola").await.unwrap();
        db.put_action_line(&actor, &programme.id, 2, "Servizi").await.unwrap();
        db.create_organisation(&actor, &organisation("Comune", "01234567897")).await.unwrap();
        db.create_organisation(&actor, &organisation("Coop", "00743110157")).await.unwrap();
        let networks = "Nome rete;Programma;Capofila;Comuni;Linee d'azione;Maturità;Stato\n\
                        Rete Alto Lario;PROG-2463;01234567897;Como, Cantù;1, 2;consolidata;attiva\n";
        let result = import(&db, Entity::Networks, networks.as_bytes()).await;
        assert!(result.accepted(), "{:?}", result.errors);
        let network = db.network_by_name(&programme.id, "rete alto lario").await.unwrap().unwrap();
        assert_eq!(network.municipalities.len(), 2);
        assert_eq!(network.action_lines.len(), 2);
        assert_eq!(network.lead().unwrap().tax_code, "01234567897");

        let memberships = "Rete;Codice fiscale;Ruolo;Dal;Al\n\
                           Rete Alto Lario;00743110157;aderente;01/03/2020;\n\
                           Rete Alto Lario;09876543217;partner;01/03/2020;\n";
        let refused = import(&db, Entity::Memberships, memberships.as_bytes()).await;
        assert_eq!(refused.errors.len(), 1, "an unknown organisation: {:?}", refused.errors);
        assert_eq!((refused.errors[0].line, refused.errors[0].code), (3, "error-organisation-unknown"));
        let accepted = import(&db, Entity::Memberships, memberships.lines().take(2).collect::<Vec<_>>().join("\n").as_bytes()).await;
        assert!(accepted.accepted(), "{:?}", accepted.errors);
        let network = db.network(&network.id).await.unwrap().unwrap();
        assert_eq!(network.current_members().count(), 2);

        let people = "Nome;Cognome;E-mail;Ente;Qualifica\nGiulia;Bianchi;giulia@coop.example;00743110157;Coordinatrice\n";
        let result = import(&db, Entity::People, people.as_bytes()).await;
        assert!(result.accepted(), "{:?}", result.errors);
        let person = db.person_by_email("giulia@coop.example").await.unwrap().unwrap();
        assert_eq!(person.name, "Giulia Bianchi");
        assert_eq!(person.affiliations[0].position, "Coordinatrice");
        let again = import(&db, Entity::People, people.as_bytes()).await;
        assert_eq!((again.created, again.updated), (0, 0), "a person is matched by e-mail and left alone");
        let renamed = people.replace("Giulia;Bianchi", "Giulia Maria;Bianchi");
        let again = import(&db, Entity::People, renamed.as_bytes()).await;
        assert_eq!((again.created, again.updated), (0, 1), "a person is matched by e-mail");
    }

    async fn a_page_read_as_one_json_row_matches_each_record_read_alone(db: Db) {
        ready(&db).await;
        let actor = Actor::cli();
        // Quotes, a backslash, a newline, accents and an emoji must come through the page's JSON
        // exactly as a row brings them.
        let awkward = "Cooperativa \"Il Ponte\" \\ Sud\nCittà 🌉";
        let mut first = organisation(awkward, "00743110157");
        first.resources = vec!["Mediazione \"culturale\"".into(), "Ascolto".into()];
        let first = db.create_organisation(&actor, &first).await.unwrap();
        let mut second = organisation("Ente senza comune", "01234567897");
        second.municipality_code = None;
        second.resources = Vec::new();
        let second = db.create_organisation(&actor, &second).await.unwrap();
        db.create_organisation(&actor, &organisation("Zeta", "09876543217")).await.unwrap();

        let mut listed = Vec::new();
        for number in 1..=3 {
            let page = db
                .list_organisations(&OrganisationFilter::default(), PageRequest::new(Some(number), Some(2)))
                .await
                .unwrap();
            assert_eq!(page.total, 3, "page {number}");
            listed.extend(page.items);
        }
        let names: Vec<&str> = listed.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, [awkward, "Ente senza comune", "Zeta"], "by name, the third page past the end");
        for item in &listed {
            let alone = db.organisation(&item.id).await.unwrap().unwrap();
            assert_eq!(serde_json::to_value(item).unwrap(), serde_json::to_value(&alone).unwrap());
        }

        for (name, phone) in [("Anna D'Amico", "+39 02 \"interno\" 5"), ("Bruno Verdi", "")] {
            let input = crate::registry::people::PersonInput {
                name: reti_domain::PersonName::parse(name).unwrap(),
                email: None,
                phone: phone.into(),
            };
            let person = db.create_person(&actor, &input).await.unwrap();
            db.add_affiliation(&actor, &person.id, &first.id, "Referente \"rete\"").await.unwrap();
            db.add_affiliation(&actor, &person.id, &second.id, "Socia").await.unwrap();
            let ended = db.person(&person.id).await.unwrap().unwrap().affiliations[1].id.clone();
            db.end_affiliation(&actor, &person.id, &ended).await.unwrap();
        }
        let people = db.list_people(&Default::default(), PageRequest::new(None, None)).await.unwrap();
        assert_eq!((people.total, people.items.len()), (2, 2));
        assert_eq!(people.items[0].name, "Anna D'Amico");
        for item in &people.items {
            let alone = db.person(&item.id).await.unwrap().unwrap();
            assert_eq!(serde_json::to_value(item).unwrap(), serde_json::to_value(&alone).unwrap());
            assert_eq!(item.affiliations.iter().map(|a| a.ended).collect::<Vec<_>>(), [false, true]);
        }
        let past_the_end = db.list_people(&Default::default(), PageRequest::new(Some(2), Some(2))).await.unwrap();
        assert_eq!((past_the_end.total, past_the_end.items.len()), (2, 0));

        let programme = db.create_programme(&actor, "P-1", "Programma").await.unwrap();
        let lines = [
            db.put_action_line(&actor, &programme.id, 2, "Servizi").await.unwrap().id,
            db.put_action_line(&actor, &programme.id, 1, "Scuola").await.unwrap().id,
        ];
        for (name, municipalities) in [("Rete \"Nord\"", vec!["015146".to_owned(), "016024".to_owned()]), ("Rete Sud", vec![])] {
            let input = NetworkInput {
                programme_id: programme.id.clone(),
                name: name.into(),
                description: String::new(),
                maturity: None,
                status: NetworkStatus::Active,
                municipality_codes: municipalities,
                action_line_ids: lines.to_vec(),
            };
            let network = db.create_network(&actor, &input).await.unwrap();
            let lead = MembershipInput { organisation_id: first.id.clone(), role: MembershipRole::Lead, joined_on: None };
            db.add_membership(&actor, &network.id, &lead).await.unwrap();
        }
        let summaries = db.list_network_summaries(&NetworkFilter::default(), PageRequest::new(None, None)).await.unwrap();
        assert_eq!(summaries.total, 2);
        for summary in &summaries.items {
            let network = db.network(&summary.id).await.unwrap().unwrap();
            assert_eq!(summary.name, network.name);
            assert_eq!(summary.lead_name.as_deref(), Some(awkward));
            assert_eq!(summary.municipality_count, network.municipalities.len() as i64);
            assert_eq!(summary.first_province.is_some(), !network.municipalities.is_empty());
            assert_eq!(summary.action_line_numbers, "1, 2");
        }

        let all = crate::audit::Filter::default();
        let entries = db.audit_entries(&all, 500, 0).await.unwrap();
        assert!(entries.total > 10 && !entries.more);
        assert_eq!(entries.entries.len() as i64, entries.total);
        assert!(entries.entries.windows(2).all(|pair| pair[0].at >= pair[1].at), "newest first");
        let created = entries
            .entries
            .iter()
            .find(|e| e.entity == "organisation" && e.entity_id.as_deref() == Some(first.id.as_str()))
            .unwrap();
        let after: serde_json::Value = serde_json::from_str(created.after_json.as_deref().unwrap()).unwrap();
        assert_eq!(after["name"], awkward, "the stored JSON text comes back unchanged");
        let paged: Vec<String> = {
            let mut ids = Vec::new();
            for offset in (0..entries.total + 3).step_by(3) {
                let page = db.audit_entries(&all, 3, offset).await.unwrap();
                assert_eq!(page.total, entries.total);
                ids.extend(page.entries.into_iter().map(|e| e.id));
            }
            ids
        };
        assert_eq!(paged, entries.entries.iter().map(|e| e.id.clone()).collect::<Vec<_>>());
    }

    async fn exports_read_back_as_imports(db: Db) {
        ready(&db).await;
        let actor = Actor::cli();
        db.create_organisation(&actor, &organisation("Coop «Ponte»", "00743110157")).await.unwrap();
        let table = db.export_table(Entity::Organisations, &crate::registry::scope::Scope::All).await.unwrap();
        assert_eq!(table.rows.len(), 1);
        let mut csv = table.columns.iter().map(|c| c.header).collect::<Vec<_>>().join(";");
        for row in &table.rows {
            csv.push('\n');
            csv.push_str(&row.join(";"));
        }
        let result = db.import_file(&actor, Entity::Organisations, csv.as_bytes(), true).await.unwrap();
        assert!(result.accepted() && result.unknown_columns.is_empty(), "{:?} {:?}", result.errors, result.unknown_columns);
        assert_eq!((result.created, result.updated), (0, 0), "a record read back unchanged is left alone");
    }
}
