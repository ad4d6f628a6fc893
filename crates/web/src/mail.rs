//! Outgoing e-mail: written as `.eml` files to the outbox under the data directory by default
//! (inspectable in development), or sent over SMTP when a relay is configured.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct MailConfig {
    pub from: String,
    pub outbox: PathBuf,
    /// `host:port` of an SMTP relay; when set, mail goes there instead of the outbox.
    pub smtp_relay: Option<String>,
}

impl MailConfig {
    pub fn outbox(outbox: PathBuf) -> MailConfig {
        MailConfig { from: "Reti <noreply@reti.example>".into(), outbox, smtp_relay: None }
    }
}

#[derive(Clone)]
pub enum Mailer {
    Outbox { from: Mailbox, transport: AsyncFileTransport<Tokio1Executor>, dir: PathBuf },
    Smtp { from: Mailbox, transport: AsyncSmtpTransport<Tokio1Executor> },
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Mailer {
        let from: Mailbox =
            config.from.parse().unwrap_or_else(|_| "noreply@reti.example".parse().expect("valid address"));
        match &config.smtp_relay {
            Some(relay) => {
                let (host, port) = relay.rsplit_once(':').unwrap_or((relay.as_str(), "25"));
                // A relay on the local network, without TLS: the usual setup behind an MTA.
                let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                    .port(port.parse().unwrap_or(25))
                    .build();
                Mailer::Smtp { from, transport }
            }
            None => Mailer::Outbox {
                from,
                transport: AsyncFileTransport::<Tokio1Executor>::new(&config.outbox),
                dir: config.outbox.clone(),
            },
        }
    }

    pub async fn send(&self, to: &str, subject: &str, body: String) -> anyhow::Result<()> {
        let to: Mailbox = to.parse()?;
        let from = match self {
            Mailer::Outbox { from, .. } | Mailer::Smtp { from, .. } => from.clone(),
        };
        let message =
            Message::builder().from(from).to(to).subject(subject).header(ContentType::TEXT_PLAIN).body(body)?;
        match self {
            Mailer::Outbox { transport, dir, .. } => {
                tokio::fs::create_dir_all(dir).await?;
                transport.send(message).await?;
            }
            Mailer::Smtp { transport, .. } => {
                transport.send(message).await?;
            }
        }
        Ok(())
    }
}
