//! The second factor in the web layer (decision 0060): who the installation asks to turn it on,
//! the URI an authenticator app reads, and the half-logged-in state between the password and the
//! code.
//!
//! The half-logged-in state is deliberately *not* an identity: it lives under its own session key
//! ([`PENDING_KEY`]), and the request context only ever reads the logged-in user from
//! [`reti_store::sessions::USER_ID_KEY`], which is written after the second step alone. Every
//! access rule therefore sees an anonymous visitor until the code is given (deny by default).

use crate::context::Identity;
use reti_store::Timestamp;
use serde::{Deserialize, Serialize};

/// The session key of a login waiting for its second step.
pub const PENDING_KEY: &str = "second_factor_pending";

/// How long the second step may wait after the password.
pub const PENDING_LIFETIME: time::Duration = time::Duration::minutes(5);

/// Who is asked to turn the second factor on (`require_mfa_for` in the configuration). Asked
/// means: a banner on every page, leading to the profile, until they do. Anyone may turn it on,
/// whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MfaPolicy {
    /// Nobody is asked.
    Nobody,
    /// The platform's administrators.
    Admins,
    /// The administrators and the coordination of every programme (the default).
    #[default]
    Coordination,
    /// Every account.
    Everyone,
}

impl MfaPolicy {
    /// Whether `identity` is asked to have a second factor.
    pub fn applies_to(self, identity: &Identity) -> bool {
        match self {
            MfaPolicy::Nobody => false,
            MfaPolicy::Admins => identity.user.is_admin,
            MfaPolicy::Coordination => identity.is_coordinator(),
            MfaPolicy::Everyone => true,
        }
    }
}

/// A login whose password was right, waiting for its second step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingLogin {
    pub user_id: String,
    /// When the password was given (stored timestamp form).
    pub at: String,
    /// Where to go once in (a local path, checked when it was given).
    pub next: String,
}

impl PendingLogin {
    pub fn new(user_id: &str, next: &str) -> PendingLogin {
        PendingLogin { user_id: user_id.to_owned(), at: Timestamp::now().to_db(), next: next.to_owned() }
    }

    /// Whether the second step may still be taken.
    pub fn is_fresh(&self) -> bool {
        Timestamp::parse(&self.at).is_ok_and(|at| at > Timestamp::now().before(PENDING_LIFETIME))
    }
}

/// The Key URI an authenticator app reads (Google's "Key Uri Format", which every app follows):
/// `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let issuer_encoded = utf8_percent_encode(issuer, NON_ALPHANUMERIC).to_string();
    let account_encoded = utf8_percent_encode(account, NON_ALPHANUMERIC).to_string();
    format!(
        "otpauth://totp/{issuer_encoded}:{account_encoded}?secret={secret}&issuer={issuer_encoded}&algorithm=SHA1&digits={}&period={}",
        reti_store::mfa::DIGITS,
        reti_store::mfa::STEP_SECONDS
    )
}

/// `text` (the Key URI) as a QR code an app's camera reads: an inline SVG made of numbers only
/// (no text of anyone's goes into it), hidden from screen readers, which get the key as text
/// beside it. `None` if the text does not fit a QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    use std::fmt::Write as _;
    let qr = qrcodegen::QrCode::encode_text(text, qrcodegen::QrCodeEcc::Medium).ok()?;
    let border = 4;
    let side = qr.size() + 2 * border;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                let _ = write!(path, "M{},{}h1v1h-1z", x + border, y + border);
            }
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" width=\"200\" height=\"200\" \
         shape-rendering=\"crispEdges\" aria-hidden=\"true\" focusable=\"false\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

/// A secret in groups of four characters, easier to type into an app by hand.
pub fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|chunk| String::from_utf8_lossy(chunk).into_owned()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uri_names_issuer_and_account_safely() {
        let uri = otpauth_uri("Reti LAB'IMPACT", "anna@prova.it", "JBSWY3DPEHPK3PXP");
        assert_eq!(
            uri,
            "otpauth://totp/Reti%20LAB%27IMPACT:anna%40prova%2Eit?secret=JBSWY3DPEHPK3PXP&issuer=Reti%20LAB%27IMPACT&algorithm=SHA1&digits=6&period=30"
        );
        assert_eq!(grouped("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>") && svg.contains("<path d=\"M"));
        assert!(!svg.contains("prova"), "numbers only: {svg}");
    }

    #[test]
    fn the_policy_reads_from_the_configuration() {
        let policy: MfaPolicy = serde_json::from_str("\"everyone\"").unwrap();
        assert_eq!(policy, MfaPolicy::Everyone);
        assert_eq!(MfaPolicy::default(), MfaPolicy::Coordination);
    }
}
