/**
 * Schema versions, applied in order and recorded in `schema_migrations`, so a newer
 * release opens an older file and brings it forward without losing rows. Never edit
 * a released migration: add the next one.
 */
export const migrations: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE local_users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        username_key TEXT NOT NULL UNIQUE,
        email TEXT NOT NULL,
        email_key TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        password_scheme TEXT NOT NULL,
        scope TEXT NOT NULL,
        role TEXT NOT NULL,
        organisation TEXT,
        active INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX local_users_created ON local_users (created_at, id);

      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        idle_expires_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX sessions_user ON sessions (user_id);
      CREATE INDEX sessions_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;

      CREATE TABLE refresh_tokens (
        hash TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        rotated_at INTEGER
      );
      CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        alg TEXT NOT NULL,
        private_key TEXT NOT NULL,
        public_key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        retired_at INTEGER,
        verify_until INTEGER
      );
    `
  },
  {
    version: 2,
    sql: `
      ALTER TABLE sessions ADD COLUMN client_id TEXT;
      ALTER TABLE sessions ADD COLUMN scope TEXT;
      ALTER TABLE sessions ADD COLUMN auth_time INTEGER;
      CREATE INDEX sessions_client ON sessions (client_id, user_id) WHERE client_id IS NOT NULL;

      CREATE TABLE oauth_client_store (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        redirect_uris TEXT NOT NULL,
        grant_types TEXT NOT NULL,
        response_types TEXT NOT NULL,
        token_endpoint_auth_method TEXT NOT NULL,
        scope TEXT NOT NULL,
        secret_hash TEXT,
        first_party INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE oauth_code_store (
        hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        code_challenge TEXT,
        scope TEXT NOT NULL,
        nonce TEXT,
        auth_time INTEGER NOT NULL,
        session_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        redeemed_at INTEGER
      );
      CREATE INDEX oauth_code_store_expires ON oauth_code_store (expires_at);

      CREATE TABLE oauth_consents (
        user_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        granted_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, client_id)
      );

      CREATE TABLE session_users (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX session_users_expires ON session_users (expires_at);

      CREATE TABLE settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `
  },
  {
    version: 3,
    sql: `
      ALTER TABLE local_users ADD COLUMN saml_idp TEXT;
      ALTER TABLE local_users ADD COLUMN saml_name_id TEXT;
      CREATE UNIQUE INDEX local_users_saml ON local_users (saml_idp, saml_name_id) WHERE saml_idp IS NOT NULL;

      CREATE TABLE saml_requests (
        id TEXT PRIMARY KEY,
        idp TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX saml_requests_expires ON saml_requests (expires_at);

      CREATE TABLE saml_assertions (
        idp TEXT NOT NULL,
        id TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (idp, id)
      );
      CREATE INDEX saml_assertions_expires ON saml_assertions (expires_at);
    `
  },
  {
    version: 4,
    sql: `
      CREATE INDEX sessions_expires ON sessions (expires_at);
      CREATE INDEX sessions_idle_expires ON sessions (idle_expires_at) WHERE idle_expires_at IS NOT NULL;
      CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
    `
  },
  {
    version: 5,
    sql: `
      ALTER TABLE oauth_client_store ADD COLUMN resource_server TEXT;
    `
  },
  {
    version: 6,
    sql: `
      ALTER TABLE oauth_client_store ADD COLUMN post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE oauth_client_store ADD COLUMN backchannel_logout_uri TEXT;
    `
  },
  {
    version: 7,
    sql: `
      ALTER TABLE oauth_client_store ADD COLUMN client_uri TEXT;
      ALTER TABLE oauth_client_store ADD COLUMN logo_uri TEXT;
      ALTER TABLE oauth_client_store ADD COLUMN policy_uri TEXT;
      ALTER TABLE oauth_client_store ADD COLUMN tos_uri TEXT;
    `
  },
  {
    version: 8,
    sql: `
      ALTER TABLE local_users ADD COLUMN name TEXT;
      ALTER TABLE local_users ADD COLUMN given_name TEXT;
      ALTER TABLE local_users ADD COLUMN family_name TEXT;
      ALTER TABLE local_users ADD COLUMN locale TEXT;
      ALTER TABLE local_users ADD COLUMN zoneinfo TEXT;
      ALTER TABLE local_users ADD COLUMN picture TEXT;
      ALTER TABLE oauth_code_store ADD COLUMN claims TEXT;
      ALTER TABLE sessions ADD COLUMN claims TEXT;
    `
  },
  {
    version: 9,
    sql: `
      CREATE TABLE mfa_totp (
        user_id TEXT PRIMARY KEY REFERENCES local_users (id) ON DELETE CASCADE,
        sealed_secret TEXT NOT NULL,
        confirmed_at INTEGER,
        last_step INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE mfa_recovery_codes (
        user_id TEXT NOT NULL REFERENCES local_users (id) ON DELETE CASCADE,
        hash TEXT NOT NULL,
        PRIMARY KEY (user_id, hash)
      );
      ALTER TABLE sessions ADD COLUMN amr TEXT;
      ALTER TABLE oauth_code_store ADD COLUMN amr TEXT;
      ALTER TABLE oauth_client_store ADD COLUMN default_acr_values TEXT NOT NULL DEFAULT '[]';
    `
  },
  {
    version: 10,
    sql: `
      ALTER TABLE session_users ADD COLUMN user_id TEXT;
      ALTER TABLE session_users ADD COLUMN user_agent TEXT;
      ALTER TABLE session_users ADD COLUMN signed_in_at INTEGER;
      ALTER TABLE session_users ADD COLUMN last_used_at INTEGER;
      CREATE INDEX session_users_user ON session_users (user_id);
      ALTER TABLE sessions ADD COLUMN last_used_at INTEGER;
    `
  },
  {
    version: 11,
    sql: `
      ALTER TABLE local_users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0;

      CREATE TABLE mail_outbox (
        id TEXT PRIMARY KEY,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        text_body TEXT NOT NULL,
        html_body TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        claimed_by TEXT,
        lease_until INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'queued';
      CREATE INDEX mail_outbox_finished ON mail_outbox (finished_at) WHERE finished_at IS NOT NULL;

      CREATE TABLE mail_links (
        hash TEXT PRIMARY KEY,
        purpose TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES local_users (id) ON DELETE CASCADE,
        email_key TEXT NOT NULL,
        password_stamp TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );
      CREATE INDEX mail_links_user ON mail_links (user_id, purpose);
      CREATE INDEX mail_links_expires ON mail_links (expires_at);
    `
  },
  {
    version: 12,
    sql: `
      CREATE TABLE passkeys (
        credential_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES local_users (id) ON DELETE CASCADE,
        public_key TEXT NOT NULL,
        counter INTEGER NOT NULL,
        transports TEXT NOT NULL,
        device_type TEXT NOT NULL,
        backed_up INTEGER NOT NULL,
        aaguid TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER
      );
      CREATE INDEX passkeys_user ON passkeys (user_id);
      CREATE TABLE webauthn_challenges (
        challenge TEXT PRIMARY KEY,
        ceremony TEXT NOT NULL,
        user_id TEXT,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges (expires_at);
    `
  },
  {
    version: 13,
    sql: `
      CREATE TABLE identity_links (
        provider TEXT NOT NULL,
        subject TEXT NOT NULL,
        user_id TEXT NOT NULL REFERENCES local_users (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        PRIMARY KEY (provider, subject)
      );
      CREATE INDEX identity_links_user ON identity_links (user_id);
    `
  },
  {
    version: 14,
    // The address a change_email link would give the account (the pending address).
    sql: `ALTER TABLE mail_links ADD COLUMN new_email TEXT;`
  },
  {
    version: 15,
    sql: `
      ALTER TABLE sessions ADD COLUMN idp TEXT;
      ALTER TABLE oauth_code_store ADD COLUMN idp TEXT;
      ALTER TABLE identity_links ADD COLUMN tokens TEXT;
    `
  }
]
