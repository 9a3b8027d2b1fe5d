#include "db/schema.hpp"

#include "db/database.hpp"

namespace cardbridge::portal {

namespace {

// Times are Unix seconds. Sessions are keyed by the SHA-256 of the cookie value, so the file
// alone does not let anyone resume a session.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS enterprises (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    uscc          TEXT UNIQUE,
    org_code      TEXT UNIQUE,
    customs_code  TEXT,
    legal_person  TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    CHECK (uscc IS NOT NULL OR org_code IS NOT NULL)
);
CREATE TABLE IF NOT EXISTS users (
    id                    INTEGER PRIMARY KEY,
    enterprise_id         INTEGER NOT NULL REFERENCES enterprises(id),
    username              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role                  TEXT NOT NULL CHECK (role IN ('admin', 'operator')),
    password_hash         TEXT NOT NULL,
    must_change_password  INTEGER NOT NULL DEFAULT 0,
    real_name             TEXT NOT NULL DEFAULT '',
    id_type               TEXT NOT NULL DEFAULT '身份证',
    id_number             TEXT,
    phone                 TEXT NOT NULL,
    email                 TEXT,
    created_at            INTEGER NOT NULL
);
-- One administrator per enterprise (the manual's 重要提醒), whatever the code above does.
CREATE UNIQUE INDEX IF NOT EXISTS users_one_admin ON users(enterprise_id) WHERE role = 'admin';
CREATE INDEX IF NOT EXISTS users_enterprise ON users(enterprise_id);
CREATE TABLE IF NOT EXISTS cards (
    card_id             TEXT PRIMARY KEY,
    user_id             INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    holder              TEXT NOT NULL,
    role                TEXT,
    certificate_serial  TEXT NOT NULL,
    not_after           INTEGER NOT NULL,
    bound_at            INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id               TEXT PRIMARY KEY,
    csrf             TEXT NOT NULL,
    user_id          INTEGER REFERENCES users(id) ON DELETE CASCADE,
    via_card         INTEGER NOT NULL DEFAULT 0,
    last_seen        INTEGER NOT NULL,
    pending_purpose  TEXT,
    pending_data     TEXT,
    pending_until    INTEGER
);
CREATE INDEX IF NOT EXISTS sessions_last_seen ON sessions(last_seen);
CREATE TABLE IF NOT EXISTS challenges (
    nonce       TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    used        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS challenges_session ON challenges(session_id);
CREATE TABLE IF NOT EXISTS login_failures (
    username      TEXT PRIMARY KEY COLLATE NOCASE,
    failures      INTEGER NOT NULL,
    locked_until  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS declarations (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS declarations_user ON declarations(user_id);
)sql";

}  // namespace

void create_schema(Database& db) {
    db.exec(kSchema);
}

}  // namespace cardbridge::portal
