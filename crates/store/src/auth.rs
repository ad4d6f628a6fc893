//! Password hashing with argon2id (OWASP's default parameters of the `argon2` crate).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use std::sync::LazyLock;

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters cannot fail")
        .to_string()
}

pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that an unknown e-mail costs the
/// same time as a wrong password and the two cannot be told apart.
pub fn verify_against_dummy(password: &str) {
    static DUMMY: LazyLock<String> = LazyLock::new(|| hash_password("reti-dummy-password"));
    let _ = verify_password(password, &DUMMY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_argon2id() {
        let hash = hash_password("una password lunga");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("una password lunga", &hash));
        assert!(!verify_password("un'altra password", &hash));
        assert!(!verify_password("x", "not a hash"));
    }
}
