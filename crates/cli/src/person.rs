//! `reti person`: a person's data (SPEC §9, decision 0050). `export` writes everything the platform
//! holds about an e-mail address as one JSON document; `erase` turns the person into "Persona
//! cancellata #N" everywhere, keeping their rows for the counts, audited as the command line's.

use anyhow::{Context, bail};
use reti_store::{Actor, Db, StoreError};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum PersonCommand {
    /// Everything held about the person with this e-mail address, as JSON.
    Export {
        #[arg(long)]
        email: String,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Erase the person with this e-mail address: personal details replaced by a pseudonym,
    /// login disabled, sessions, tokens and pending invitations deleted; attendance, authored
    /// content and audit entries keep their rows.
    Erase {
        #[arg(long)]
        email: String,
    },
}

pub async fn run(db: &Db, command: PersonCommand) -> anyhow::Result<()> {
    match command {
        PersonCommand::Export { email, output } => {
            let document = match db.person_export(&email).await {
                Err(StoreError::NotFound) => bail!("nothing is held about {email}"),
                other => other?,
            };
            let mut text = serde_json::to_string_pretty(&document)?;
            text.push('\n');
            match output {
                Some(path) => std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?,
                None => std::io::stdout().lock().write_all(text.as_bytes())?,
            }
        }
        PersonCommand::Erase { email } => {
            let erased = match db.erase_by_email(&Actor::cli(), &email).await {
                Err(StoreError::NotFound) => bail!("nothing is held about {email}"),
                other => other?,
            };
            println!(
                "{email} erased: now {} ({} registry record(s), {} account(s))",
                erased.pseudonym, erased.people, erased.accounts
            );
        }
    }
    Ok(())
}
