/** A bad configuration: the server prints it and exits 1 rather than starting half-configured. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Errors named after what they mean. The error-handler plugin maps every one of them
 * to the JSON answer `{statusCode, error, message}` in one place.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
    /** A machine-readable reason in the JSON answer (`code`), where a client must act on it. */
    readonly code?: string
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class InvalidInput extends AppError {
  constructor(message: string) {
    super(400, 'Bad Request', message)
  }
}

/** Missing, malformed, expired or revoked credentials. Says nothing about which. */
export class Unauthenticated extends AppError {
  constructor(message = 'Invalid credentials') {
    super(401, 'Unauthorized', message)
  }
}

/**
 * A SAML response that signs no one in. The answer says only `message`; `reason` is
 * for the log, so a forger learns nothing about which check failed.
 */
export class SamlRejected extends Unauthenticated {
  constructor(
    readonly reason: string,
    readonly idp: string | null = null,
    message = 'Single sign-on failed. Start again from the sign-in page.'
  ) {
    super(message)
  }
}

/** An answer from an upstream OpenID Connect provider that signs no one in; `reason` is for the log only. */
export class OidcRejected extends Unauthenticated {
  constructor(
    readonly reason: string,
    readonly provider: string | null = null,
    message = 'Sign-in through the other provider failed. Start again from the sign-in page.'
  ) {
    super(message)
  }
}

/** The password was right and the account has a second factor: send `otp` with it (issue 17). */
export class MfaRequired extends AppError {
  constructor() {
    super(401, 'Unauthorized', 'A second factor is required: send the current code from the authenticator app, or a recovery code, as otp', 'mfa_required')
  }
}

/** A password reset link that was used, has expired, was replaced by a newer one, or belongs to a changed account. */
export class InvalidResetToken extends AppError {
  constructor() {
    super(400, 'Bad Request', 'This reset link was used, has expired or was replaced by a newer one: ask for a new one', 'invalid_reset_token')
  }
}

/** An address verification link that was used, has expired, was replaced, or went to an address the user no longer has. */
export class InvalidVerificationToken extends AppError {
  constructor() {
    super(400, 'Bad Request', 'This verification link was used, has expired or was replaced by a newer one: ask for a new one', 'invalid_verification_token')
  }
}

/** An address change link that was used, has expired, was replaced by a newer request or cancelled, or belongs to a changed account. */
export class InvalidChangeToken extends AppError {
  constructor() {
    super(400, 'Bad Request', 'This link to change the address was used, has expired or was replaced by a newer request: ask for the change again', 'invalid_change_token')
  }
}

/** Following an address change link when another account took the address in the meantime. */
export class EmailTaken extends AppError {
  constructor() {
    super(409, 'Conflict', 'Another account has this address now, so it was not changed', 'email_taken')
  }
}

/** The password was right, but REQUIRE_VERIFIED_EMAIL holds and the user has not confirmed their address yet. */
export class EmailUnverified extends AppError {
  constructor() {
    super(403, 'Forbidden', 'Confirm your email address first: follow the link mailed to it, or ask for a new one', 'email_unverified')
  }
}

/** The password was right, but the user holds a scope (MFA_REQUIRED_SCOPES) that needs a second factor they have not enrolled. */
export class MfaEnrollmentRequired extends AppError {
  constructor() {
    super(403, 'Forbidden', 'This account must enrol a second factor before it can sign in here: sign in in a browser to enrol', 'mfa_enrollment_required')
  }
}

export class Forbidden extends AppError {
  constructor(message: string) {
    super(403, 'Forbidden', message)
  }
}

export class NotFound extends AppError {
  constructor(message: string) {
    super(404, 'Not Found', message)
  }
}

/** A link to an upstream provider that the signed-in user asked for and that is not made; `reason` is for the log only. */
export class OidcLinkRefused extends OidcRejected {
  constructor(reason: string, provider: string) {
    super(reason, provider, 'The account at the other provider was not linked to yours. Start again from your account page.')
  }
}

/** An upstream OpenID Connect provider could not be reached or its discovery document read: try again shortly. */
export class UpstreamUnavailable extends AppError {
  constructor(provider: string) {
    super(503, 'Service Unavailable', `The OpenID Connect provider ${provider} cannot be reached; try again shortly`)
  }
}

export class Conflict extends AppError {
  constructor(message: string) {
    super(409, 'Conflict', message)
  }
}

export class TooManyAttempts extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'Too Many Requests', `Too many failed attempts, retry in ${retryAfterSeconds} seconds`)
  }
}

/**
 * An OAuth2 error (RFC 6749 §5.2, RFC 6750 §3.1): answered as `{error, error_description}`
 * with `Cache-Control: no-store`, or carried back to the client's redirect URI.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly statusCode = 400,
    /** The WWW-Authenticate challenge, when the status is 401 or 403. */
    readonly challenge?: string
  ) {
    super(description)
    this.name = new.target.name
  }
}

export class InvalidRequest extends OAuthError {
  constructor(description: string) {
    super('invalid_request', description)
  }
}

/** Client authentication failed; RFC 6749 asks for 401 and a challenge. */
export class InvalidClient extends OAuthError {
  constructor(description = 'client authentication failed') {
    super('invalid_client', description, 401, 'Basic realm="moneypenny"')
  }
}

export class InvalidGrant extends OAuthError {
  constructor(description: string) {
    super('invalid_grant', description)
  }
}

export class InvalidScope extends OAuthError {
  constructor(description: string) {
    super('invalid_scope', description)
  }
}

export class UnauthorizedClient extends OAuthError {
  constructor(description: string) {
    super('unauthorized_client', description)
  }
}

/** A bad bearer token at a resource endpoint (userinfo), RFC 6750 §3.1. */
export class InvalidToken extends OAuthError {
  constructor(description = 'the access token is invalid, expired or revoked') {
    super('invalid_token', description, 401, `Bearer error="invalid_token", error_description="${description}"`)
  }
}

export class InsufficientScope extends OAuthError {
  constructor(scope: string) {
    super('insufficient_scope', `the ${scope} scope is required`, 403, `Bearer error="insufficient_scope", scope="${scope}"`)
  }
}
