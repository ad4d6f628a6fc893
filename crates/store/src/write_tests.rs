//! [`Db::write`] and the requests it makes atomic, on SQLite and PostgreSQL.

use crate::audit::Change;
use crate::invitations::Invitation;
use crate::jobs::NewJob;
use crate::programmes::ProgrammeInput;
use crate::registry::import::{Entity, ImportError};
use crate::registry::networks::NetworkInput;
use crate::registry::organisations::{OrganisationFilter, OrganisationInput};
use crate::registry::people::PersonInput;
use crate::registry::projects::{ActionInput, ProjectInput};
use crate::testing::fail_inserts;
use crate::users::{LoginOutcome, NewUser, User};
use crate::{Actor, Db, PageRequest, StoreError};
use reti_domain::taxcode::TaxCode;
use reti_domain::{Email, NetworkStatus, OrganisationKind, Password, PersonName, Role};

const ORGANISATIONS: &str = "Denominazione;Tipologia;Codice fiscale;Comune;Provincia;E-mail;Risorse e competenze";

async fn audit_rows(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(db.pool()).await.unwrap()
}

async fn organisation_count(db: &Db) -> i64 {
    db.list_organisations(&OrganisationFilter::default(), PageRequest::new(None, None)).await.unwrap().total
}

async fn organisation(db: &Db) -> String {
    db.sync_municipalities().await.unwrap();
    let input = OrganisationInput {
        name: "Cooperativa Il Ponte".into(),
        kind: OrganisationKind::ThirdSector,
        tax_code: TaxCode::parse("00743110157").unwrap(),
        municipality_code: Some("015146".into()),
        address: String::new(),
        email: None,
        phone: String::new(),
        website: String::new(),
        resources: Vec::new(),
    };
    db.create_organisation(&Actor::cli(), &input).await.unwrap().id
}

fn person(email: &str) -> PersonInput {
    PersonInput {
        name: PersonName::parse("Giulia Bianchi").unwrap(),
        email: Some(Email::parse(email).unwrap()),
        phone: String::new(),
    }
}

fn project(title: &str) -> ProjectInput {
    ProjectInput {
        title: title.into(),
        description: String::new(),
        budget_cents: None,
        starts_on: None,
        ends_on: None,
        action_line_ids: Vec::new(),
    }
}

const PASSWORD: &str = "tramonto-sul-ticino-2";

fn new_user(email: &str) -> NewUser {
    NewUser {
        email: Email::parse(email).unwrap(),
        name: PersonName::parse("Anna Rossi").unwrap(),
        password: Some(Password::parse(PASSWORD, &[]).unwrap()),
        is_admin: false,
    }
}

fn network_input(programme_id: &str, name: &str, action_line_ids: Vec<String>) -> NetworkInput {
    NetworkInput {
        programme_id: programme_id.into(),
        name: name.into(),
        description: String::new(),
        maturity: None,
        status: NetworkStatus::Active,
        municipality_codes: vec!["015146".into()],
        action_line_ids,
    }
}

fn action(title: &str) -> ActionInput {
    ActionInput { title: title.into(), planned_outputs: String::new(), target_groups: String::new() }
}

crate::engine_tests! {
    async fn write_commits_with_its_audit_row_or_leaves_nothing(db: Db) {
        let actor = Actor::user("u-1", "anna@comune.it", Some("127.0.0.1".into()));
        let change = || Change { action: "test", entity: "thing", entity_id: Some("t-1"), programme_id: None, before: None, after: None };
        let failed = db
            .write(&actor, async |w| {
                w.audit(change()).await?;
                Err::<(), _>(StoreError::NotFound)
            })
            .await;
        assert!(matches!(failed, Err(StoreError::NotFound)));
        assert_eq!(audit_rows(&db).await, 0, "a failed write leaves no audit row");
        let value = db.write(&actor, async |w| w.audit(change()).await.map(|()| 7)).await.unwrap();
        assert_eq!(value, 7);
        let (label, ip): (String, Option<String>) =
            sqlx::query_as("SELECT actor_label, ip FROM audit_log WHERE entity = 'thing'").fetch_one(db.pool()).await.unwrap();
        assert_eq!((label.as_str(), ip.as_deref()), ("anna@comune.it", Some("127.0.0.1")), "the writer's actor is recorded");
    }

    async fn a_person_and_their_affiliations_are_created_together(db: Db) {
        let organisation_id = organisation(&db).await;
        let before = audit_rows(&db).await;
        let affiliations = [(organisation_id.clone(), "Educatrice".to_owned()), ("missing".to_owned(), String::new())];
        let failed = db.create_person_with_affiliations(&Actor::cli(), &person("giulia@ponte.it"), &affiliations).await;
        assert!(matches!(failed, Err(StoreError::Invalid(_))), "{failed:?}");
        assert!(db.person_by_email("giulia@ponte.it").await.unwrap().is_none(), "the person is not kept");
        assert_eq!(audit_rows(&db).await, before);
        let created =
            db.create_person_with_affiliations(&Actor::cli(), &person("giulia@ponte.it"), &affiliations[..1]).await.unwrap();
        assert_eq!(created.affiliations.len(), 1);
        assert_eq!(audit_rows(&db).await, before + 2);
    }

    async fn a_person_update_and_its_affiliations_are_saved_together(db: Db) {
        let organisation_id = organisation(&db).await;
        let created = db.create_person(&Actor::cli(), &person("giulia@ponte.it")).await.unwrap();
        let before = audit_rows(&db).await;
        let affiliations = [(organisation_id, String::new()), ("missing".to_owned(), String::new())];
        let failed =
            db.update_person_with_affiliations(&Actor::cli(), &created.id, &person("nuova@ponte.it"), &affiliations).await;
        assert!(matches!(failed, Err(StoreError::Invalid(_))), "{failed:?}");
        let kept = db.person(&created.id).await.unwrap().unwrap();
        assert_eq!((kept.email.as_deref(), kept.affiliations.len()), (Some("giulia@ponte.it"), 0));
        assert_eq!(audit_rows(&db).await, before);
    }

    async fn a_programme_and_its_action_lines_are_saved_together(db: Db) {
        let actor = Actor::cli();
        let programme = db.create_programme(&actor, "PROG-1", "Vecchio nome").await.unwrap();
        let before = audit_rows(&db).await;
        let input = ProgrammeInput { name: "Nuovo nome".into(), fund: "FAMI".into(), cup: String::new(), starts_on: None, ends_on: None };
        for lines in [vec![(1, "Scuola".to_owned()), (1, "Doppia".to_owned())], vec![(1, "Scuola".to_owned()), (2, " ".to_owned())]] {
            let failed = db.update_programme_with_action_lines(&actor, &programme.id, &input, &lines).await;
            assert!(matches!(failed, Err(StoreError::Invalid(_))), "{failed:?}");
            let kept = db.programme_details(&programme.id).await.unwrap().unwrap();
            assert_eq!(kept.name, "Vecchio nome");
            assert!(kept.action_lines.is_empty());
            assert_eq!(audit_rows(&db).await, before);
        }
        let lines = [(1, "Scuola".to_owned()), (2, "Servizi".to_owned())];
        db.update_programme_with_action_lines(&actor, &programme.id, &input, &lines).await.unwrap();
        let saved = db.programme_details(&programme.id).await.unwrap().unwrap();
        assert_eq!((saved.name.as_str(), saved.action_lines.len()), ("Nuovo nome", 2));
        assert_eq!(audit_rows(&db).await, before + 3);
    }

    async fn a_project_and_its_actions_are_saved_together(db: Db) {
        db.sync_municipalities().await.unwrap();
        let actor = Actor::cli();
        let programme = db.create_programme(&actor, "PROG-1", "Programma").await.unwrap();
        let network = NetworkInput {
            programme_id: programme.id.clone(),
            name: "Rete".into(),
            description: String::new(),
            maturity: None,
            status: NetworkStatus::Active,
            municipality_codes: vec!["015146".into()],
            action_line_ids: Vec::new(),
        };
        let network = db.create_network(&actor, &network).await.unwrap();
        let before = audit_rows(&db).await;
        let bad = [action("Sportello"), action("  ")];
        let failed = db.create_project_with_actions(&actor, &network.id, &project("Progetto"), Some(&bad)).await;
        assert!(matches!(failed, Err(StoreError::Invalid(_))), "{failed:?}");
        assert!(db.projects_of_network(&network.id, true).await.unwrap().is_empty(), "the project is not kept");
        assert_eq!(audit_rows(&db).await, before);

        let created =
            db.create_project_with_actions(&actor, &network.id, &project("Progetto"), Some(&[action("Sportello")])).await.unwrap();
        let before = audit_rows(&db).await;
        let failed = db.update_project_with_actions(&actor, &created.id, &project("Rinominato"), Some(&bad)).await;
        assert!(matches!(failed, Err(StoreError::Invalid(_))), "{failed:?}");
        let kept = db.project(&created.id).await.unwrap().unwrap();
        assert_eq!(kept.title, "Progetto");
        assert_eq!(kept.actions.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(), ["Sportello"]);
        assert_eq!(audit_rows(&db).await, before);

        let replaced = [action("Corso"), action("Mediazione")];
        let updated = db.update_project_with_actions(&actor, &created.id, &project("Rinominato"), Some(&replaced)).await.unwrap();
        assert_eq!(updated.actions.iter().map(|a| (a.position, a.title.as_str())).collect::<Vec<_>>(), [(1, "Corso"), (2, "Mediazione")]);
    }

    async fn a_confirmed_import_is_imported_once_and_its_file_removed(db: Db) {
        db.sync_municipalities().await.unwrap();
        let user = NewUser { email: Email::parse("anna@comune.it").unwrap(), name: PersonName::parse("Anna Rossi").unwrap(), password: None, is_admin: false };
        let user = db.create_user(&Actor::cli(), user).await.unwrap();
        let actor = Actor::user(&user.id, "anna@comune.it", None);
        let file = format!("{ORGANISATIONS}\nCooperativa Il Ponte;Cooperativa sociale;00743110157;Milano;MI;;\n");
        let id = db.save_pending_import(&user.id, Entity::Organisations, "a.csv", file.as_bytes()).await.unwrap();
        let pending = db.pending_import(&id, &user.id).await.unwrap().unwrap();
        let result = db.confirm_pending_import(&actor, &id, &pending).await.unwrap();
        assert!(result.accepted() && result.created == 1, "{:?}", result.errors);
        assert!(db.pending_import(&id, &user.id).await.unwrap().is_none(), "the file is gone with the import");
        let again = db.confirm_pending_import(&actor, &id, &pending).await;
        assert!(matches!(again, Err(ImportError::Store(StoreError::NotFound))));
        assert_eq!(organisation_count(&db).await, 1, "a second confirmation imports nothing");
    }

    async fn a_pending_import_that_fails_stays_pending_and_writes_nothing(db: Db) {
        db.sync_municipalities().await.unwrap();
        let user = NewUser { email: Email::parse("anna@comune.it").unwrap(), name: PersonName::parse("Anna Rossi").unwrap(), password: None, is_admin: false };
        let user = db.create_user(&Actor::cli(), user).await.unwrap();
        let actor = Actor::user(&user.id, "anna@comune.it", None);
        let file = format!("{ORGANISATIONS}\nBuona;Comune;00743110157;Milano;MI;;\nCifra sbagliata;Comune;00743110158;Milano;;;\n");
        let id = db.save_pending_import(&user.id, Entity::Organisations, "a.csv", file.as_bytes()).await.unwrap();
        let pending = db.pending_import(&id, &user.id).await.unwrap().unwrap();
        let before = audit_rows(&db).await;
        let result = db.confirm_pending_import(&actor, &id, &pending).await.unwrap();
        assert!(!result.accepted());
        assert_eq!(organisation_count(&db).await, 0, "not even the good row");
        assert_eq!(audit_rows(&db).await, before);
        assert!(db.pending_import(&id, &user.id).await.unwrap().is_some(), "the file stays pending");
    }

    async fn a_user_and_their_roles_are_created_together(db: Db) {
        let actor = Actor::cli();
        let programme = db.create_programme(&actor, "PROG-1", "Programma").await.unwrap();
        let before = audit_rows(&db).await;
        let roles = [(programme.id.clone(), Role::Coordinator), ("missing".to_owned(), Role::NetworkLead)];
        let failed = db.create_user_with_roles(&actor, new_user("anna@comune.it"), &roles).await;
        assert!(matches!(failed, Err(StoreError::Invalid(_))), "{failed:?}");
        assert!(db.user_by_email(&Email::parse("anna@comune.it").unwrap()).await.unwrap().is_none(), "no account without its roles");
        assert_eq!(audit_rows(&db).await, before);
        let user = db.create_user_with_roles(&actor, new_user("anna@comune.it"), &roles[..1]).await.unwrap();
        assert_eq!(db.assignments(&user.id).await.unwrap().len(), 1);
        assert_eq!(audit_rows(&db).await, before + 2);
    }

    async fn an_invitation_is_accepted_whole_or_not_at_all(db: Db) {
        let actor = Actor::cli();
        let programme = db.create_programme(&actor, "PROG-1", "Programma").await.unwrap();
        let email = Email::parse("nuova@scuola.it").unwrap();
        let mail = |_: &Invitation, _: &str| NewJob::new("mail", serde_json::json!({}));
        let (_, token) = db.create_invitation(&actor, &email, &programme.id, Role::NetworkLead, mail).await.unwrap();
        let before = audit_rows(&db).await;
        fail_inserts(&db, "role_assignments", "NEW.role = 'network_lead'").await;
        let (name, password) = (PersonName::parse("Nuova Persona").unwrap(), Password::parse(PASSWORD, &[]).unwrap());
        let failed = db.accept_invitation(&token, Some((&name, &password)), &crate::privacy::Consent::current("it"), None).await;
        assert!(matches!(failed, Err(StoreError::Database(_))), "{failed:?}");
        assert!(db.open_invitation(&token).await.unwrap().is_some(), "the link is not spent");
        assert!(db.user_by_email(&email).await.unwrap().is_none(), "no account without its role");
        assert_eq!(audit_rows(&db).await, before);
    }

    async fn tokens_are_created_and_revoked_with_their_audit_entry_or_not_at_all(db: Db) {
        let actor = Actor::cli();
        let user = db.create_user(&actor, new_user("anna@comune.it")).await.unwrap();
        let (token, secret) = db.create_token(&actor, &user.id, "script").await.unwrap();
        let before = audit_rows(&db).await;
        fail_inserts(&db, "audit_log", "NEW.entity = 'api_token'").await;
        let failed = db.revoke_token(&actor, &user.id, &token.id).await;
        assert!(matches!(failed, Err(StoreError::Database(_))), "{failed:?}");
        assert!(db.user_by_token(&secret).await.unwrap().is_some(), "the token still works");
        let failed = db.create_token(&actor, &user.id, "altro").await;
        assert!(matches!(failed, Err(StoreError::Database(_))), "{failed:?}");
        assert_eq!(db.tokens_of(&user.id).await.unwrap().len(), 1, "no token without its audit entry");
        assert_eq!(audit_rows(&db).await, before);
    }

    async fn a_password_reset_is_completed_whole_or_not_at_all(db: Db) {
        let actor = Actor::cli();
        let user = db.create_user(&actor, new_user("anna@comune.it")).await.unwrap();
        let (_, secret) = db.create_token(&actor, &user.id, "script").await.unwrap();
        let email = Email::parse("anna@comune.it").unwrap();
        let mail = |_: &User, _: &str| NewJob::new("mail", serde_json::json!({}));
        let (_, token) = db.start_password_reset(&actor, &email, mail).await.unwrap().unwrap();
        let before = audit_rows(&db).await;
        fail_inserts(&db, "audit_log", "NEW.action = 'reset_password'").await;
        let jobs = db.job_counts().await.unwrap();
        let notice = |_: &User| NewJob::new("mail", serde_json::json!({}));
        let failed = db.complete_password_reset(&actor, &token, &Password::parse("fiume-lungo-vigevano-3", &[]).unwrap(), notice).await;
        assert!(matches!(failed, Err(StoreError::Database(_))), "{failed:?}");
        assert!(db.password_reset_user(&token).await.unwrap().is_some(), "the link still works");
        assert!(matches!(db.check_login("anna@comune.it", PASSWORD).await.unwrap(), LoginOutcome::Success(_)), "the old password stays");
        assert!(db.user_by_token(&secret).await.unwrap().is_some(), "the tokens stay");
        assert_eq!(db.job_counts().await.unwrap(), jobs, "no notice of a change that did not happen");
        assert_eq!(audit_rows(&db).await, before);
    }

    async fn a_network_is_saved_with_its_municipalities_and_action_lines_or_not_at_all(db: Db) {
        db.sync_municipalities().await.unwrap();
        let actor = Actor::cli();
        let programme = db.create_programme(&actor, "PROG-1", "Programma").await.unwrap();
        let line = db.put_action_line(&actor, &programme.id, 1, "Scuola").await.unwrap();
        let network = db.create_network(&actor, &network_input(&programme.id, "Rete", Vec::new())).await.unwrap();
        let before = audit_rows(&db).await;
        let mut unknown = network_input(&programme.id, "Rete rinominata", Vec::new());
        unknown.municipality_codes.push("999999".into());
        let failed = db.update_network(&actor, &network.id, &unknown).await;
        assert!(matches!(failed, Err(StoreError::Invalid(_))), "{failed:?}");
        fail_inserts(&db, "network_action_lines", "1 = 1").await;
        let with_line = network_input(&programme.id, "Rete rinominata", vec![line.id.clone()]);
        let failed = db.update_network(&actor, &network.id, &with_line).await;
        assert!(matches!(failed, Err(StoreError::Database(_))), "{failed:?}");
        let kept = db.network(&network.id).await.unwrap().unwrap();
        assert_eq!(kept.name, "Rete");
        assert_eq!(kept.municipalities.iter().map(|m| m.istat_code.as_str()).collect::<Vec<_>>(), ["015146"]);
        assert!(kept.action_lines.is_empty());
        let failed = db.create_network(&actor, &network_input(&programme.id, "Altra rete", vec![line.id])).await;
        assert!(matches!(failed, Err(StoreError::Database(_))), "{failed:?}");
        assert_eq!(audit_rows(&db).await, before, "no network, no links, no audit entry");
    }
}
