//! Outgoing e-mail. A request never sends mail itself: it enqueues a `mail` job carrying the
//! rendered message ([`Mail::job`]) in the transaction of the change it announces, and a worker
//! sends it ([`Mailer::send`]) — written as an `.eml` file to the outbox under the data directory
//! by default (inspectable in development), or over SMTP when a relay is configured.
//!
//! Each job carries its message's key, from which the Message-ID is made: the same on every
//! attempt, so that [`send_once`] can tell a message the server accepted already (decision 0036).

use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use reti_store::jobs::NewJob;
use reti_store::mail_sends::MailSendState;
use reti_store::{Db, Timestamp};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The job kind of an e-mail.
pub const JOB_KIND: &str = "mail";

/// How the connection to the SMTP relay is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain text: only for a relay on the same host or a private network.
    #[default]
    None,
    /// Upgrade with STARTTLS (usually port 587); refused if the server does not offer it.
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

#[derive(Debug, Clone)]
pub struct MailConfig {
    pub from: String,
    pub outbox: PathBuf,
    /// `host:port` of an SMTP relay; when set, mail goes there instead of the outbox.
    pub smtp_relay: Option<String>,
    pub smtp_tls: SmtpTls,
    /// Log in to the relay with these, when both are set.
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
}

impl MailConfig {
    pub fn outbox(outbox: PathBuf) -> MailConfig {
        MailConfig {
            from: "Reti <noreply@reti.example>".into(),
            outbox,
            smtp_relay: None,
            smtp_tls: SmtpTls::None,
            smtp_username: None,
            smtp_password: None,
        }
    }
}

/// A rendered message, as a `mail` job carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// A file sent with the text (a meeting's `.ics`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<MailAttachment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailAttachment {
    pub file_name: String,
    /// The full content type, parameters included (`text/calendar; method=REQUEST; charset=utf-8`).
    pub content_type: String,
    pub content: String,
}

/// A `mail` job's payload: the message and its key (absent from jobs queued before keys existed).
#[derive(Debug, Clone, Deserialize)]
pub struct MailJob {
    #[serde(flatten)]
    pub mail: Mail,
    #[serde(default)]
    pub message_key: Option<String>,
}

impl Mail {
    /// The job sending this message, under a new key.
    pub fn job(&self) -> NewJob {
        self.job_keyed(&uuid::Uuid::now_v7().simple().to_string())
    }

    /// The job sending this message under `key` (letters, digits, `-` and `.`), which must be
    /// the same for the same message to the same person, and only for it.
    pub fn job_keyed(&self, key: &str) -> NewJob {
        let mut payload = serde_json::to_value(self).expect("serialisable");
        payload["message_key"] = serde_json::Value::from(key);
        NewJob::new(JOB_KIND, payload)
    }

    fn message(&self, from: Mailbox, message_id: Option<String>) -> anyhow::Result<Message> {
        let mut builder = Message::builder().from(from).to(self.to.parse()?).subject(&self.subject);
        if message_id.is_some() {
            builder = builder.message_id(message_id);
        }
        let Some(attachment) = &self.attachment else {
            return Ok(builder.header(ContentType::TEXT_PLAIN).body(self.body.clone())?);
        };
        let text = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(self.body.clone());
        let file = Attachment::new(attachment.file_name.clone())
            .body(attachment.content.clone(), ContentType::parse(&attachment.content_type)?);
        Ok(builder.multipart(MultiPart::mixed().singlepart(text).singlepart(file))?)
    }
}

#[derive(Clone)]
pub enum Mailer {
    Outbox { from: Mailbox, dir: PathBuf },
    Smtp { from: Mailbox, transport: AsyncSmtpTransport<Tokio1Executor> },
}

impl Mailer {
    pub fn new(config: &MailConfig) -> anyhow::Result<Mailer> {
        let from: Mailbox =
            config.from.parse().unwrap_or_else(|_| "noreply@reti.example".parse().expect("valid address"));
        let Some(relay) = &config.smtp_relay else {
            return Ok(Mailer::Outbox { from, dir: config.outbox.clone() });
        };
        let (host, port) = match relay.rsplit_once(':') {
            Some((host, port)) => (host, Some(port.parse::<u16>()?)),
            None => (relay.as_str(), None),
        };
        let mut builder = match config.smtp_tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
        };
        if let Some(port) = port {
            builder = builder.port(port);
        }
        if let (Some(username), Some(password)) = (&config.smtp_username, &config.smtp_password) {
            builder = builder.credentials(Credentials::new(username.clone(), password.clone()));
        }
        Ok(Mailer::Smtp { from, transport: builder.build() })
    }

    pub async fn send(&self, mail: &Mail) -> anyhow::Result<()> {
        self.send_as(mail, None).await
    }

    /// The Message-ID of the message of `key`: `<key@domain of the sending address>`.
    pub fn message_id(&self, key: &str) -> String {
        let (Mailer::Outbox { from, .. } | Mailer::Smtp { from, .. }) = self;
        format!("<{key}@{}>", from.email.domain())
    }

    async fn send_as(&self, mail: &Mail, message_id: Option<String>) -> anyhow::Result<()> {
        let from = match self {
            Mailer::Outbox { from, .. } | Mailer::Smtp { from, .. } => from.clone(),
        };
        let message = mail.message(from, message_id)?;
        match self {
            Mailer::Outbox { dir, .. } => {
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || write_to_outbox(&dir, &message.formatted())).await??;
            }
            Mailer::Smtp { transport, .. } => {
                transport.send(message).await?;
            }
        }
        Ok(())
    }
}

/// Writes a message to the outbox as `<uuid v7>.eml` (names sort in sending order). The file
/// appears whole or not at all: written and synced under a temporary name, then renamed, so a
/// process killed mid-write leaves at most a `.tmp…` file, never a message cut short.
fn write_to_outbox(dir: &Path, message: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut file = tempfile::Builder::new().prefix(".tmp").suffix(".part").tempfile_in(dir)?;
    file.write_all(message)?;
    file.as_file().sync_all()?;
    file.persist(dir.join(format!("{}.eml", uuid::Uuid::now_v7()))).map_err(|error| error.error)?;
    Ok(())
}

/// Runs a `mail` job: sends its message unless the server accepted it on an earlier attempt.
/// The attempt is recorded before the message is handed over and the acceptance right after, by
/// Message-ID; what stays open is a worker stopping between the server's acceptance and that
/// record (or the acceptance getting lost on the way): the message then goes again under the same
/// Message-ID, which lets mail clients show it once.
pub async fn send_once(db: &Db, mailer: &Mailer, job: &MailJob) -> anyhow::Result<()> {
    let Some(key) = &job.message_key else { return mailer.send(&job.mail).await };
    let message_id = mailer.message_id(key);
    match db.mail_send_begin(&message_id, &job.mail.to, Timestamp::now()).await? {
        MailSendState::Accepted => {
            tracing::info!(%message_id, "mail accepted on an earlier attempt: not sent again");
            return Ok(());
        }
        MailSendState::Unsure => {
            tracing::warn!(%message_id, "an earlier attempt of this mail is unaccounted for: sending it again")
        }
        MailSendState::First => {}
    }
    mailer.send_as(&job.mail, Some(message_id.clone())).await?;
    db.mail_send_accepted(&message_id, Timestamp::now()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp(relay: &str, tls: SmtpTls) -> anyhow::Result<Mailer> {
        let mut config = MailConfig::outbox(PathBuf::from("unused"));
        config.smtp_relay = Some(relay.into());
        config.smtp_tls = tls;
        config.smtp_username = Some("reti".into());
        config.smtp_password = Some("secret".into());
        Mailer::new(&config)
    }

    #[test]
    fn every_tls_mode_builds_a_transport() {
        for tls in [SmtpTls::None, SmtpTls::Starttls, SmtpTls::Tls] {
            assert!(matches!(smtp("smtp.example.org:587", tls), Ok(Mailer::Smtp { .. })), "{tls:?}");
        }
        assert!(smtp("smtp.example.org:not-a-port", SmtpTls::Starttls).is_err());
        assert!(matches!(Mailer::new(&MailConfig::outbox(PathBuf::from("x"))), Ok(Mailer::Outbox { .. })));
    }

    #[test]
    fn a_mail_job_carries_the_rendered_message() {
        let mail = Mail { to: "a@b.it".into(), subject: "Invito".into(), body: "Ciao".into(), attachment: None };
        let job = mail.job();
        assert_eq!(job.kind, JOB_KIND);
        let payload = serde_json::from_value::<MailJob>(job.payload).unwrap();
        assert_eq!(payload.mail, mail);
        assert_eq!(payload.message_key.unwrap().len(), 32);
        let keyed = serde_json::from_value::<MailJob>(mail.job_keyed("meeting-1").payload).unwrap();
        assert_eq!(keyed.message_key.as_deref(), Some("meeting-1"));
        let old = serde_json::json!({"to": "a@b.it", "subject": "Invito", "body": "Ciao"});
        assert_eq!(serde_json::from_value::<MailJob>(old).unwrap().message_key, None, "older jobs still read");
    }

    #[test]
    fn the_message_id_is_made_from_the_key_and_the_sending_domain() {
        let mailer = Mailer::new(&MailConfig::outbox(PathBuf::from("x"))).unwrap();
        assert_eq!(mailer.message_id("meeting-abc"), "<meeting-abc@reti.example>");
        let mail = Mail { to: "a@b.it".into(), subject: "Invito".into(), body: "Ciao".into(), attachment: None };
        let from: Mailbox = "Reti <noreply@reti.example>".parse().unwrap();
        let text = String::from_utf8(mail.message(from, Some(mailer.message_id("k1"))).unwrap().formatted()).unwrap();
        assert!(text.contains("Message-ID: <k1@reti.example>"), "{text}");
    }

    #[test]
    fn the_outbox_holds_whole_messages_only() {
        let dir = tempfile::tempdir().unwrap();
        let outbox = dir.path().join("outbox");
        write_to_outbox(&outbox, b"Subject: one\r\n\r\nfirst").unwrap();
        write_to_outbox(&outbox, b"Subject: two\r\n\r\nsecond").unwrap();
        let mut names: Vec<String> =
            std::fs::read_dir(&outbox).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
        assert!(names.iter().all(|n| n.ends_with(".eml")), "{names:?}");
        assert_eq!(
            std::fs::read(outbox.join(&names[1])).unwrap(),
            b"Subject: two\r\n\r\nsecond",
            "names sort in sending order"
        );
    }
}
