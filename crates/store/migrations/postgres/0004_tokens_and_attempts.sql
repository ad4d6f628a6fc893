-- API tokens expire (decision 0011). Tokens made before this migration expire 90 days after they
-- were created, the default lifetime of new ones.
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
UPDATE api_tokens
SET expires_at = to_char((created_at::timestamptz + interval '90 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
ALTER TABLE api_tokens ALTER COLUMN expires_at DROP DEFAULT;

-- Throttling counts attempts of several kinds (login, password change, reset requests).
ALTER TABLE login_attempts ADD COLUMN kind TEXT NOT NULL DEFAULT 'login';
CREATE INDEX login_attempts_kind_email ON login_attempts(kind, email, at);
CREATE INDEX login_attempts_kind_ip ON login_attempts(kind, ip, at);
