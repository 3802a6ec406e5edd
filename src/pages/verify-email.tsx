import { ACCOUNT_LIMITS } from '../schemas/common.js'
import { Frame } from './frame.js'
import { Field } from './register.js'
import { renderDocument } from './render.js'
import { Fill } from './text.js'
import type { PageView } from './view.js'

/** Address verification pages: the link's answer, the sign-in refused until it is followed, and asking for a new link. */

export const RESEND_ACTION = '/auth/email/resend'

/** Asks for a new link by address: the same answer for every address. */
function ResendForm({ view, csrfToken, problem }: { view: PageView; csrfToken: string; problem?: string | undefined }) {
  const t = view.t.verifyEmail
  return (
    <form method="post" action={RESEND_ACTION}>
      <input type="hidden" name="_csrf" value={csrfToken} />
      <Field name="email" label={t.email} problem={problem} type="email" autocomplete="email" required maxLength={ACCOUNT_LIMITS.emailMaxLength} />
      <button type="submit">{t.resend}</button>
    </form>
  )
}

export function emailVerifiedPage(view: PageView, email: string): string {
  const t = view.t.verifyEmail
  return renderDocument(
    <Frame view={view} title={t.confirmedTitle}>
      <p role="status">
        <Fill text={t.confirmed} values={{ email: <strong>{email}</strong> }} />
      </p>
      <p class="other-way">
        <a href="/auth/local/login">{t.continue}</a>
      </p>
    </Frame>
  )
}

/** A dead link, or a sign-in refused until the address is confirmed: both offer a new link. */
export function verifyEmailPage(view: PageView, options: { reason: 'invalid' | 'unverified'; csrfToken: string; tooManyAttempts?: boolean }): string {
  const t = view.t.verifyEmail
  return renderDocument(
    <Frame view={view} title={options.reason === 'invalid' ? t.invalidTitle : t.unverifiedTitle}>
      {options.tooManyAttempts && (
        <p class="error" role="alert">
          {t.tooManyAttempts}
        </p>
      )}
      <p>{options.reason === 'invalid' ? t.invalid : t.unverified}</p>
      <ResendForm view={view} csrfToken={options.csrfToken} />
    </Frame>
  )
}

export function verifyLinkSentPage(view: PageView, email: string): string {
  const t = view.t.verifyEmail
  return renderDocument(
    <Frame view={view} title={t.sentTitle}>
      <p role="status">
        <Fill text={t.sent} values={{ email: <strong>{email}</strong> }} />
      </p>
      <p class="other-way">
        <a href="/auth/local/login">{t.continue}</a>
      </p>
    </Frame>
  )
}
