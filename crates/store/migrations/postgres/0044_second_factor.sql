-- A second factor at login (finding F-1 of the security review, decision 0060): a TOTP secret
-- (RFC 6238) per account, and single-use recovery codes kept as SHA-256 hashes.
-- `enabled_at` stays NULL while the account has not yet confirmed the secret with a code;
-- `last_step` is the time step (Unix time / 30 s) of the last code accepted: no code of that step
-- or an earlier one is accepted again.
CREATE TABLE user_totp (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    enabled_at TEXT,
    last_step BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE mfa_recovery_codes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes(user_id, code_hash);
