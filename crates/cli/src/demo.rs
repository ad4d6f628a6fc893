//! The demo: LAB'IMPACT with an account for every role. Loading it twice duplicates nothing.

use reti_domain::{Email, Password, PersonName, Role};
use reti_store::users::NewUser;
use reti_store::{Actor, Db};

pub const DEMO_PASSWORD: &str = "demo-reti-2026";
pub const PROGRAMME_CODE: &str = "PROG-2463";
pub const PROGRAMME_NAME: &str = "LAB'IMPACT — FAMI 2014-2020";

/// (e-mail, name, role; `None` for the platform administrator)
pub const ACCOUNTS: [(&str, &str, Option<Role>); 5] = [
    ("admin@reti.example", "Amministrazione piattaforma", None),
    ("coordinamento@reti.example", "Chiara Colombo", Some(Role::Coordinator)),
    ("accompagnatore@reti.example", "Marco Ferrari", Some(Role::Facilitator)),
    ("referente@reti.example", "Giulia Rossi", Some(Role::NetworkLead)),
    ("membro@reti.example", "Ahmed Benali", Some(Role::NetworkMember)),
];

/// Loads the demo; returns the accounts it created (none when they all existed).
pub async fn load(db: &Db) -> anyhow::Result<Vec<&'static str>> {
    let actor = Actor::cli();
    let programme = match db.programme_by_code(PROGRAMME_CODE).await? {
        Some(programme) => programme,
        None => db.create_programme(&actor, PROGRAMME_CODE, PROGRAMME_NAME).await?,
    };
    let password = Password::parse(DEMO_PASSWORD)?;
    let mut created = Vec::new();
    for (email, name, role) in ACCOUNTS {
        let email_address = Email::parse(email)?;
        let user = match db.user_by_email(&email_address).await? {
            Some(user) => user,
            None => {
                let new = NewUser {
                    email: email_address,
                    name: PersonName::parse(name)?,
                    password: Some(password.clone()),
                    is_admin: role.is_none(),
                };
                created.push(email);
                db.create_user(&actor, new).await?
            }
        };
        if let Some(role) = role {
            db.assign_role(&actor, &user.id, &programme.id, role).await?;
        }
    }
    Ok(created)
}
