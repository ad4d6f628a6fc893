//! Configuration, layered: defaults → `reti.toml` in the data directory → `RETI_*` environment
//! variables → command-line flags.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use reti_web::mail::{MailConfig, SmtpTls};
use reti_web::second_factor::MfaPolicy;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; SQLite under the data directory when absent.
    pub database_url: Option<String>,
    /// Address `serve` listens on.
    pub bind: String,
    /// The address people use to reach the site (for links in e-mails); `http://{bind}` when absent.
    pub public_url: Option<String>,
    /// Trust `X-Forwarded-For` (set only behind a reverse proxy you run).
    pub trust_proxy: bool,
    pub mail_from: String,
    /// `host:port` of an SMTP relay; without it e-mails are written to `<data_dir>/outbox`.
    pub smtp_relay: Option<String>,
    /// `none`, `starttls` or `tls` (implicit TLS, usually port 465).
    pub smtp_tls: SmtpTls,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    /// Job workers `serve` runs (mail and other work done after a request).
    pub job_workers: usize,
    /// Seconds a job stays with its worker between renewals: after a crash its jobs run again
    /// this long after the worker's last sign of life.
    pub job_lease_seconds: u64,
    /// `text` (default) or `json`.
    pub log_format: String,
    /// A bearer token that lets a scraper off this host read `/metrics`.
    pub metrics_token: Option<String>,
    /// The base URL of a Jitsi server; videoconferences without a pasted link get a room there.
    pub jitsi_url: Option<String>,
    /// Days guests' data (guest requests, guests outside the registry) is kept after their event.
    pub retention_guest_days: i64,
    /// Who is asked to turn on the second factor (TOTP) at login: `nobody`, `admins`,
    /// `coordination` (administrators and programme coordinators, the default) or `everyone`.
    /// They see a banner on every page, leading to their profile, until they do (decision 0060).
    pub require_mfa_for: MfaPolicy,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./data"),
            database_url: None,
            bind: "127.0.0.1:8080".into(),
            public_url: None,
            trust_proxy: false,
            mail_from: "Reti <noreply@reti.example>".into(),
            smtp_relay: None,
            smtp_tls: SmtpTls::None,
            smtp_username: None,
            smtp_password: None,
            job_workers: 2,
            job_lease_seconds: 60,
            log_format: "text".into(),
            metrics_token: None,
            jitsi_url: None,
            retention_guest_days: 365,
            require_mfa_for: MfaPolicy::Coordination,
        }
    }
}

/// Values given on the command line; they win over everything else.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
}

impl Config {
    pub fn load(data_dir: &Path, overrides: Overrides) -> Result<Config, Box<figment::Error>> {
        let mut config: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(data_dir.join("reti.toml")))
            .merge(Env::prefixed("RETI_").ignore(&["data_dir"]))
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(Box::new)?;
        config.data_dir = data_dir.to_path_buf();
        Ok(config)
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("reti.sqlite").display()))
    }

    /// The job lease, between a second and a day.
    pub fn job_lease(&self) -> time::Duration {
        time::Duration::seconds(self.job_lease_seconds.clamp(1, 86_400) as i64)
    }

    pub fn public_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.bind))
    }

    /// Where and how e-mail goes.
    pub fn mail(&self) -> MailConfig {
        let mut mail = MailConfig::outbox(self.data_dir.join("outbox"));
        mail.from = self.mail_from.clone();
        mail.smtp_relay = self.smtp_relay.clone();
        mail.smtp_tls = self.smtp_tls;
        mail.smtp_username = self.smtp_username.clone();
        mail.smtp_password = self.smtp_password.clone();
        mail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::result_large_err, reason = "figment's Jail closure returns figment's own error type")]
    fn layers_apply_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("reti.toml", "bind = \"0.0.0.0:9000\"\nlog_format = \"json\"\nmail_from = \"a@b.it\"")?;
            jail.set_env("RETI_LOG_FORMAT", "text");
            jail.set_env("RETI_SMTP_TLS", "starttls");
            jail.set_env("RETI_SMTP_USERNAME", "reti");
            jail.set_env("RETI_REQUIRE_MFA_FOR", "everyone");
            let dir = jail.directory().to_path_buf();
            let config = Config::load(&dir, Overrides::default()).unwrap();
            assert_eq!(config.bind, "0.0.0.0:9000", "file over default");
            assert_eq!(config.log_format, "text", "environment over file");
            assert_eq!(config.mail_from, "a@b.it");
            assert_eq!(config.require_mfa_for, MfaPolicy::Everyone);
            let mail = config.mail();
            assert_eq!((mail.smtp_tls, mail.smtp_username.as_deref()), (SmtpTls::Starttls, Some("reti")));
            let config =
                Config::load(&dir, Overrides { bind: Some("127.0.0.1:1".into()), database_url: None }).unwrap();
            assert_eq!(config.bind, "127.0.0.1:1", "flag over file");
            assert!(config.database_url().starts_with("sqlite://"));
            Ok(())
        });
    }
}
