import { encode } from 'uqr'
import { Frame } from './frame.js'
import { PasskeyForm } from './passkeys.js'
import type { Messages } from './messages/index.js'
import { renderDocument } from './render.js'
import type { PageView } from './view.js'

/**
 * The second factor's pages: the code asked after the password, the enrolment with its QR
 * code, and the recovery codes shown once.
 */

export type SecondFactorError = keyof Messages['secondFactor']['errors']

/** Modules of white around the code, as the QR specification asks (ISO/IEC 18004 §6.3.8). */
const QUIET_ZONE = 4

/**
 * A QR code as SVG elements: one path of unit squares, dark on a white field whatever the
 * colour scheme, since scanners expect dark modules on light. No image, no script.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, data } = encode(text, { ecc: 'M' })
  const squares = data.flatMap((row, y) => row.flatMap((dark, x) => (dark ? [`M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`] : []))).join('')
  const extent = size + 2 * QUIET_ZONE
  return (
    <svg class="qr" viewBox={`0 0 ${extent} ${extent}`} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={extent} height={extent} fill="#ffffff" />
      <path d={squares} fill="#000000" />
    </svg>
  )
}

/** The code field: digits on a phone's keyboard, filled from the platform's one-time-code suggestions where there are any. */
function CodeField({ label, hint, error }: { label: string; hint: string; error: string | undefined }) {
  const described = error === undefined ? 'code-hint' : 'code-error code-hint'
  return (
    <>
      <label for="code">{label}</label>
      <p class="hint" id="code-hint">
        {hint}
      </p>
      <input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" autocapitalize="off" spellcheck={false} maxLength={32} required autofocus aria-describedby={described} aria-invalid={error === undefined ? undefined : 'true'} />
    </>
  )
}

function ErrorMessage({ text }: { text: string | undefined }) {
  return text === undefined ? null : (
    <p class="error" role="alert" id="code-error">
      {text}
    </p>
  )
}

/** Where the second step's passkey is posted (routes/passkey-sign-in.ts). */
export const PASSKEY_SECOND_STEP_PATH = '/auth/local/login/passkey'

/**
 * After a right password: the code from the app or a recovery code (with TOTP), and a passkey
 * (with one). A user with only passkeys meets this page when acr_values or a policy asks for a
 * second factor.
 */
export function secondFactorPage(
  view: PageView,
  options: { csrfToken: string; returnTo: string | null; totp: boolean; passkey: boolean; error?: SecondFactorError | undefined; passkeyRefused?: boolean }
): string {
  const t = view.t.secondFactor
  const error = options.error === undefined ? undefined : t.errors[options.error]
  const fields: Record<string, string> = options.returnTo ? { returnTo: options.returnTo } : {}
  return renderDocument(
    <Frame view={view} title={t.title} script={options.passkey}>
      <ErrorMessage text={error} />
      {options.passkeyRefused && (
        <p class="error" role="alert">
          {view.t.passkeys.refused}
        </p>
      )}
      {options.totp && (
        <form method="post" action="/auth/local/login/code">
          <input type="hidden" name="_csrf" value={options.csrfToken} />
          {options.returnTo && <input type="hidden" name="returnTo" value={options.returnTo} />}
          <CodeField label={t.code} hint={t.hint} error={error} />
          <button type="submit">{t.submit}</button>
        </form>
      )}
      {options.passkey && (
        <PasskeyForm
          t={view.t.passkeys}
          ceremony="authenticate"
          action={PASSKEY_SECOND_STEP_PATH}
          optionsUrl={`${PASSKEY_SECOND_STEP_PATH}/options`}
          csrfToken={options.csrfToken}
          fields={fields}
          label={options.totp ? view.t.passkeys.secondStep : view.t.passkeys.signIn}
        />
      )}
      <p class="aside">
        <a href={options.returnTo ? `/auth/local/login?${new URLSearchParams({ returnTo: options.returnTo })}` : '/auth/local/login'}>{t.restart}</a>
      </p>
    </Frame>
  )
}

/** Setting up TOTP: scan (or type) the secret, then prove it with a first code. */
export function totpEnrolmentPage(
  view: PageView,
  options: { csrfToken: string; action: string; fields: Record<string, string>; secret: string; otpauthUri: string; required: boolean; error?: 'wrongCode' | undefined }
): string {
  const t = view.t.enrolment
  const error = options.error === undefined ? undefined : t.wrongCode
  return renderDocument(
    <Frame view={view} title={t.title}>
      <ErrorMessage text={error} />
      {options.required && <p>{t.required}</p>}
      <ol class="steps">
        <li>
          <p>{t.scan}</p>
          <QrCode text={options.otpauthUri} label={t.qrLabel} />
          <p class="hint">{t.manual}</p>
          <p>
            <code class="secret">{options.secret.replace(/(.{4})(?=.)/g, '$1 ')}</code>
          </p>
        </li>
        <li>
          <form method="post" action={options.action}>
            <input type="hidden" name="_csrf" value={options.csrfToken} />
            {Object.entries(options.fields).map(([name, value]) => (
              <input type="hidden" name={name} value={value} />
            ))}
            <CodeField label={view.t.secondFactor.code} hint={t.confirm} error={error} />
            <button type="submit">{t.submit}</button>
          </form>
        </li>
      </ol>
    </Frame>
  )
}

/** The recovery codes, once: each signs in once in place of a code from the app. */
export function recoveryCodesPage(view: PageView, options: { codes: string[]; continueTo: string }): string {
  const t = view.t.recoveryCodes
  return renderDocument(
    <Frame view={view} title={t.title}>
      <p role="status">{t.explanation}</p>
      <ul class="recovery-codes">
        {options.codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p>
        <a class="button" href={options.continueTo}>
          {t.continue}
        </a>
      </p>
    </Frame>
  )
}
