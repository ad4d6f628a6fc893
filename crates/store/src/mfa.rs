//! The second factor at login (decision 0060, finding F-1 of the security review): a TOTP secret
//! per account (RFC 6238: HMAC-SHA1, six digits, 30-second steps, what every authenticator app
//! reads), confirmed with a code before it is switched on, and ten single-use recovery codes.
//!
//! A code is accepted for the current step and one step either side (clock skew), and only for a
//! step later than the last one accepted (`user_totp.last_step`): a code seen over someone's
//! shoulder, or replayed from a proxy log, opens nothing. The step is moved forward by a
//! conditional update, so two requests racing with the same code cannot both pass.
//!
//! Recovery codes carry 80 random bits, so a fast hash (SHA-256, as for every other secret we hand
//! out, see [`crate::secret`]) is right for them; the TOTP secret itself must be read back to
//! compute codes, so it is stored as it is (see decision 0060 for what that means for backups).

use crate::audit::Change;
use crate::{Actor, Db, Result, StoreError, Timestamp, new_id, secret};
use rand::RngCore;
use serde_json::json;
use totp_rs::{Algorithm, Secret, TOTP};

/// Seconds per time step.
pub const STEP_SECONDS: u64 = 30;
/// Digits of a code.
pub const DIGITS: usize = 6;
/// Steps either side of the current one whose codes are still accepted.
pub const SKEW_STEPS: u64 = 1;
/// How many recovery codes an account gets at a time.
pub const RECOVERY_CODES: usize = 10;
/// Characters of a recovery code (5 bits each: 80 bits), shown in groups of four.
const RECOVERY_CODE_LENGTH: usize = 16;
/// Crockford's base32: no I, L, O or U, so that a code read aloud or copied by hand survives.
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// An account's second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactor {
    /// None: the password alone opens the account.
    Off,
    /// A secret was given to the account but not yet confirmed with a code: it opens nothing.
    Pending { secret: String },
    /// On since `enabled_at`, with this many recovery codes not used yet.
    On { enabled_at: Timestamp, recovery_codes_left: i64 },
}

impl SecondFactor {
    pub fn is_on(&self) -> bool {
        matches!(self, SecondFactor::On { .. })
    }
}

/// How a second step was passed, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    Totp,
    RecoveryCode,
}

impl Proof {
    pub fn code(self) -> &'static str {
        match self {
            Proof::Totp => "totp",
            Proof::RecoveryCode => "recovery_code",
        }
    }
}

fn totp(secret: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, DIGITS, SKEW_STEPS as u8, STEP_SECONDS, bytes).ok()
}

/// A new TOTP secret: 160 random bits (RFC 4226's recommendation), base32 as apps want it.
pub fn new_totp_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

/// Seconds since the Unix epoch, now.
pub fn unix_now() -> u64 {
    u64::try_from(Timestamp::now().0.unix_timestamp()).unwrap_or(0)
}

/// The code an authenticator app shows for `secret` at `unix` seconds.
pub fn code_at(secret: &str, unix: u64) -> Option<String> {
    totp(secret).map(|totp| totp.generate(unix))
}

/// Whether `text` has the shape of a TOTP code (six digits, spaces allowed), as opposed to a
/// recovery code.
pub fn looks_like_totp(text: &str) -> bool {
    let digits: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == DIGITS && digits.iter().all(char::is_ascii_digit)
}

/// The time step whose code `code` is, among the current step at `unix` and [`SKEW_STEPS`] either
/// side, if that step comes after `last_step`. Every candidate is computed and compared in
/// constant time, whichever matches.
pub fn matching_step(secret: &str, code: &str, unix: u64, last_step: u64) -> Option<u64> {
    if !looks_like_totp(code) {
        return None;
    }
    let totp = totp(secret)?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let now = unix / STEP_SECONDS;
    let mut found = None;
    for step in now.saturating_sub(SKEW_STEPS)..=now + SKEW_STEPS {
        let candidate = totp.generate(step * STEP_SECONDS);
        if same_bytes(candidate.as_bytes(), code.as_bytes()) && step > last_step && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// Equality that takes the same time wherever the first difference is.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new recovery code, as shown: four groups of four characters.
fn new_recovery_code() -> String {
    let mut bytes = [0u8; RECOVERY_CODE_LENGTH];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes.iter().map(|b| RECOVERY_ALPHABET[usize::from(b & 31)] as char).collect();
    chars.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A recovery code as typed, in the form its hash was taken of: dashes and spaces dropped, lower
/// case, and the letters Crockford's base32 reads as digits read as them.
pub fn normalise_recovery_code(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_lowercase() {
            'o' => '0',
            'i' | 'l' => '1',
            other => other,
        })
        .collect()
}

/// Deletes the account's recovery codes and stores [`RECOVERY_CODES`] new ones, in the caller's
/// transaction; returns them as shown, the only time they exist outside a hash.
async fn replace_recovery_codes(tx: &mut crate::Tx, user_id: &str) -> Result<Vec<String>> {
    sqlx::query("DELETE FROM mfa_recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut **tx).await?;
    let now = Timestamp::now().to_db();
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let code = new_recovery_code();
        sqlx::query("INSERT INTO mfa_recovery_codes (id, user_id, code_hash, created_at) VALUES ($1, $2, $3, $4)")
            .bind(new_id())
            .bind(user_id)
            .bind(secret::hash_secret(&normalise_recovery_code(&code)))
            .bind(&now)
            .execute(&mut **tx)
            .await?;
        codes.push(code);
    }
    Ok(codes)
}

fn step_column(step: u64) -> i64 {
    i64::try_from(step).unwrap_or(i64::MAX)
}

impl Db {
    /// The account's second factor.
    pub async fn second_factor(&self, user_id: &str) -> Result<SecondFactor> {
        let row: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT secret, enabled_at FROM user_totp WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(match row {
            None => SecondFactor::Off,
            Some((secret, None)) => SecondFactor::Pending { secret },
            Some((_, Some(enabled_at))) => {
                let recovery_codes_left: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL",
                )
                .bind(user_id)
                .fetch_one(self.pool())
                .await?;
                let enabled_at = Timestamp::parse(&enabled_at).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                SecondFactor::On { enabled_at, recovery_codes_left }
            }
        })
    }

    /// Whether logging in as the account takes a second step.
    pub async fn has_totp(&self, user_id: &str) -> Result<bool> {
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM user_totp WHERE user_id = $1 AND enabled_at IS NOT NULL")
                .bind(user_id)
                .fetch_one(self.pool())
                .await?;
        Ok(count > 0)
    }

    /// Gives the account a new secret to confirm (replacing one not confirmed yet) and returns it.
    /// A conflict when the second factor is on already: it is switched off first, with a code.
    /// Not audited: a secret not confirmed opens and changes nothing.
    pub async fn start_totp(&self, user_id: &str) -> Result<String> {
        let secret = new_totp_secret();
        let changed = sqlx::query(
            "INSERT INTO user_totp (user_id, secret, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at,
             last_step = 0 WHERE user_totp.enabled_at IS NULL",
        )
        .bind(user_id)
        .bind(&secret)
        .bind(Timestamp::now().to_db())
        .execute(self.pool())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Conflict { field: "totp" });
        }
        Ok(secret)
    }

    /// Switches the second factor on when `code` is a current code of the secret waiting for
    /// confirmation, and returns the account's new recovery codes; `None` for a wrong code (or
    /// nothing waiting). Audited.
    pub async fn enable_totp(&self, actor: &Actor, user_id: &str, code: &str) -> Result<Option<Vec<String>>> {
        self.write(actor, async |w| {
            let row: Option<(String, i64)> =
                sqlx::query_as("SELECT secret, last_step FROM user_totp WHERE user_id = $1 AND enabled_at IS NULL")
                    .bind(user_id)
                    .fetch_optional(&mut *w.tx)
                    .await?;
            let Some((secret, last_step)) = row else { return Ok(None) };
            let last_step = u64::try_from(last_step).unwrap_or(0);
            let Some(step) = matching_step(&secret, code, unix_now(), last_step) else { return Ok(None) };
            let changed = sqlx::query(
                "UPDATE user_totp SET enabled_at = $1, last_step = $2 WHERE user_id = $3 AND enabled_at IS NULL",
            )
            .bind(Timestamp::now().to_db())
            .bind(step_column(step))
            .bind(user_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Ok(None);
            }
            let codes = replace_recovery_codes(&mut w.tx, user_id).await?;
            w.audit(Change {
                action: "enable",
                entity: "second_factor",
                entity_id: Some(user_id),
                programme_id: None,
                before: None,
                after: Some(json!({"method": "totp", "recovery_codes": RECOVERY_CODES})),
            })
            .await?;
            Ok(Some(codes))
        })
        .await
    }

    /// Whether `code` is a current code of the account's second factor, not used before: a code
    /// accepted here is spent (its step and the ones before it are refused from now on).
    pub async fn verify_totp(&self, user_id: &str, code: &str) -> Result<bool> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT secret, last_step FROM user_totp WHERE user_id = $1 AND enabled_at IS NOT NULL")
                .bind(user_id)
                .fetch_optional(self.pool())
                .await?;
        let Some((secret, last_step)) = row else { return Ok(false) };
        let last_step = u64::try_from(last_step).unwrap_or(0);
        let Some(step) = matching_step(&secret, code, unix_now(), last_step) else { return Ok(false) };
        // Bookkeeping, not a change anyone makes; the condition makes the step a one-time ticket
        // even for two requests racing with the same code.
        let changed = sqlx::query(
            "UPDATE user_totp SET last_step = $1 WHERE user_id = $2 AND enabled_at IS NOT NULL AND last_step < $1",
        )
        .bind(step_column(step))
        .bind(user_id)
        .execute(self.pool())
        .await?
        .rows_affected();
        Ok(changed == 1)
    }

    /// Spends one of the account's recovery codes, if `code` is one not used yet (and the second
    /// factor is on). Audited, with how many are left.
    pub async fn use_recovery_code(&self, actor: &Actor, user_id: &str, code: &str) -> Result<bool> {
        let normalised = normalise_recovery_code(code);
        if normalised.len() != RECOVERY_CODE_LENGTH {
            return Ok(false);
        }
        let hash = secret::hash_secret(&normalised);
        self.write(actor, async |w| {
            let changed = sqlx::query(
                "UPDATE mfa_recovery_codes SET used_at = $1
                 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL
                   AND EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = $2 AND t.enabled_at IS NOT NULL)",
            )
            .bind(Timestamp::now().to_db())
            .bind(user_id)
            .bind(&hash)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            let left: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL")
                    .bind(user_id)
                    .fetch_one(&mut *w.tx)
                    .await?;
            w.audit(Change {
                action: "use_recovery_code",
                entity: "second_factor",
                entity_id: Some(user_id),
                programme_id: None,
                before: None,
                after: Some(json!({"recovery_codes_left": left})),
            })
            .await?;
            Ok(true)
        })
        .await
    }

    /// Switches the second factor off (and forgets a secret waiting for confirmation), with its
    /// recovery codes. The caller has checked a code or the password; `confirmed_by` says which,
    /// for the audit log. Not found when there was nothing to switch off.
    pub async fn disable_totp(&self, actor: &Actor, user_id: &str, confirmed_by: &str) -> Result<()> {
        self.write(actor, async |w| {
            let removed = sqlx::query("DELETE FROM user_totp WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *w.tx)
                .await?
                .rows_affected();
            sqlx::query("DELETE FROM mfa_recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *w.tx).await?;
            if removed == 0 {
                return Err(StoreError::NotFound);
            }
            w.audit(Change {
                action: "disable",
                entity: "second_factor",
                entity_id: Some(user_id),
                programme_id: None,
                before: None,
                after: Some(json!({"confirmed_by": confirmed_by})),
            })
            .await
        })
        .await
    }

    /// New recovery codes for an account whose second factor is on; the old ones stop working.
    /// Audited. Not found when the second factor is off.
    pub async fn renew_recovery_codes(&self, actor: &Actor, user_id: &str) -> Result<Vec<String>> {
        self.write(actor, async |w| {
            let on: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM user_totp WHERE user_id = $1 AND enabled_at IS NOT NULL")
                    .bind(user_id)
                    .fetch_one(&mut *w.tx)
                    .await?;
            if on == 0 {
                return Err(StoreError::NotFound);
            }
            let codes = replace_recovery_codes(&mut w.tx, user_id).await?;
            w.audit(Change {
                action: "renew_recovery_codes",
                entity: "second_factor",
                entity_id: Some(user_id),
                programme_id: None,
                before: None,
                after: Some(json!({"recovery_codes": RECOVERY_CODES})),
            })
            .await?;
            Ok(codes)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_and_its_neighbours_only() {
        let secret = new_totp_secret();
        assert_eq!(secret.len(), 32, "160 bits in base32");
        let now = 1_800_000_000;
        let step = now / STEP_SECONDS;
        let code = code_at(&secret, now).unwrap();
        assert_eq!(code.len(), DIGITS);
        assert_eq!(matching_step(&secret, &code, now, 0), Some(step));
        assert_eq!(matching_step(&secret, &code, now + STEP_SECONDS, 0), Some(step), "one step late");
        assert_eq!(matching_step(&secret, &code, now - STEP_SECONDS, 0), Some(step), "one step early");
        assert_eq!(matching_step(&secret, &code, now + 2 * STEP_SECONDS, 0), None, "two steps late");
        assert_eq!(matching_step(&secret, &code, now, step), None, "its step spent already");
        assert_eq!(matching_step(&secret, &code[..5], now, 0), None);
        assert_eq!(matching_step(&secret, "abcdef", now, 0), None);
    }

    #[test]
    fn rfc_6238_test_vector() {
        // RFC 6238, appendix B: the SHA-1 key "12345678901234567890", T = 59 s gives 94287082
        // (eight digits); its last six are the six-digit code.
        let secret = Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string();
        assert_eq!(code_at(&secret, 59).unwrap(), "287082");
    }

    #[test]
    fn recovery_codes_are_long_and_forgiving_when_typed() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 19);
        assert_eq!(normalise_recovery_code(&code).len(), RECOVERY_CODE_LENGTH);
        assert_eq!(normalise_recovery_code(&code.to_uppercase().replace('-', " ")), normalise_recovery_code(&code));
        assert_eq!(normalise_recovery_code("O1IL-abcd"), "0111abcd");
        assert_ne!(new_recovery_code(), new_recovery_code());
    }
}
