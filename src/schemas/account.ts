import Type from 'typebox'
import { ACCOUNT_DONE } from '../pages/account.js'
import { CsrfField } from './browser.js'
import { ProviderName } from './oidc.js'
import { Password, PasswordAttempt } from './common.js'
import { PasskeyName } from './passkeys.js'

/** The forms of the account console (routes/account-page.ts); each carries its CSRF token. */

/** GET /account?done=...: what the form just posted did, one of a fixed list. */
export const AccountQuery = Type.Object({ done: Type.Optional(Type.Union(ACCOUNT_DONE.map((done) => Type.Literal(done)))) }, { additionalProperties: false })

/** The new password under the registration's rules; `username` is the hidden field password managers read. */
export const PasswordChangeForm = Type.Object(
  { currentPassword: PasswordAttempt, newPassword: Password, repeatPassword: PasswordAttempt, username: Type.Optional(Type.String({ maxLength: 1024 })), _csrf: CsrfField },
  { additionalProperties: false }
)

/** A form with nothing but its CSRF token (starting an enrolment). */
export const EmptyForm = Type.Object({ _csrf: CsrfField }, { additionalProperties: false })

/** A code from the authenticator app (or a recovery code): confirming an enrolment, new recovery codes. */
export const ConsoleCodeForm = Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }), _csrf: CsrfField }, { additionalProperties: false })

/** Turning the second factor off: a code, or else the password (an empty field counts as not given). */
export const TwoStepRemovalForm = Type.Object(
  { removalCode: Type.Optional(Type.String({ maxLength: 32 })), removalPassword: Type.Optional(Type.String({ maxLength: 1024 })), _csrf: CsrfField },
  { additionalProperties: false }
)

/** A session to end: a browser session's stored id (base64url SHA-256) or a token session's id. */
export const SessionEndForm = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }), _csrf: CsrfField }, { additionalProperties: false })

/** The app whose consent is withdrawn. */
export const AppWithdrawalForm = Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 64 }), _csrf: CsrfField }, { additionalProperties: false })

/** A passkey the browser just made: its answer as JSON in `credential` (checked apart), and the name the user gave it. */
export const NewPasskeyForm = Type.Object(
  { credential: Type.String({ minLength: 1, maxLength: 12_000 }), passkeyName: Type.String({ maxLength: 256 }), _csrf: CsrfField },
  { additionalProperties: false }
)

/** A passkey by its credential id (base64url). */
const PasskeyId = Type.String({ minLength: 1, maxLength: 1366, pattern: '^[A-Za-z0-9_-]+$' })

export const PasskeyRenameForm = Type.Object({ id: PasskeyId, name: PasskeyName, _csrf: CsrfField }, { additionalProperties: false })

export const PasskeyRemovalForm = Type.Object({ id: PasskeyId, _csrf: CsrfField }, { additionalProperties: false })

/** The account console's removal of a link to an upstream provider. */
export const LinkRemovalForm = Type.Object({ provider: ProviderName, _csrf: CsrfField }, { additionalProperties: false })
