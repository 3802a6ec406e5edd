import { ACCOUNT_LIMITS } from '../schemas/common.js'
import { Frame } from './frame.js'
import type { Messages } from './messages/index.js'
import { Field } from './register.js'
import { renderDocument } from './render.js'
import { Fill } from './text.js'
import type { PageView } from './view.js'

/**
 * The password reset pages: the forgotten-password form (GET/POST /auth/password/forgot), its
 * answer, the reset form the mailed link opens (GET/POST /auth/password/reset), and its answers.
 */

export const FORGOT_ACTION = '/auth/password/forgot'
export const RESET_ACTION = '/auth/password/reset'

type Problem = keyof Messages['passwordReset']['errors']
export type ResetField = 'email' | 'password' | 'otp'
/** What is wrong with a refused form: a problem per field, and `form` for one that concerns no single field. */
export type ResetProblems = Partial<Record<ResetField | 'form', Problem>>

/** The number words the messages fill in, in the page's language. */
function limitsOf(view: PageView): Record<string, string> {
  const number = new Intl.NumberFormat(view.locale)
  return { min: number.format(ACCOUNT_LIMITS.passwordMinLength), max: number.format(ACCOUNT_LIMITS.passwordMaxLength) }
}

/** Every problem at the top (each a link to its field), as the registration page does. */
function Problems({ view, problems, intro }: { view: PageView; problems: ResetProblems; intro: string }) {
  const t = view.t.passwordReset
  const refused = (['form', 'email', 'password', 'otp'] as const).filter((about) => problems[about] !== undefined)
  if (refused.length === 0) return null
  const words = (about: (typeof refused)[number]) => <Fill text={t.errors[problems[about]!]} values={limitsOf(view)} />
  return (
    <div class="error" role="alert" id="reset-problems">
      <p>{intro}</p>
      <ul>
        {refused.map((about) => (
          <li>{about === 'form' ? words(about) : <a href={`#${about}`}>{words(about)}</a>}</li>
        ))}
      </ul>
    </div>
  )
}

function problemText(view: PageView, problems: ResetProblems, field: ResetField) {
  const problem = problems[field]
  return problem === undefined ? null : <Fill text={view.t.passwordReset.errors[problem]} values={limitsOf(view)} />
}

function BackToSignIn({ view }: { view: PageView }) {
  return (
    <p class="other-way">
      <a href="/auth/local/login">{view.t.passwordReset.backToSignIn}</a>
    </p>
  )
}

export function forgotPasswordPage(view: PageView, options: { csrfToken: string; email?: string; problems?: ResetProblems }): string {
  const t = view.t.passwordReset
  const problems = options.problems ?? {}
  return renderDocument(
    <Frame view={view} title={t.forgotTitle}>
      <Problems view={view} problems={problems} intro={t.problemsIntro} />
      <p>{t.forgotIntro}</p>
      <form method="post" action={FORGOT_ACTION}>
        <input type="hidden" name="_csrf" value={options.csrfToken} />
        <Field
          name="email"
          label={t.email}
          problem={problemText(view, problems, 'email')}
          type="email"
          autocomplete="email"
          required
          maxLength={ACCOUNT_LIMITS.emailMaxLength}
          value={options.email ?? ''}
        />
        <button type="submit">{t.send}</button>
      </form>
      <BackToSignIn view={view} />
    </Frame>
  )
}

/** The same answer for every address. */
export function resetLinkSentPage(view: PageView, options: { email: string; minutes: number }): string {
  const t = view.t.passwordReset
  const minutes = new Intl.NumberFormat(view.locale).format(options.minutes)
  return renderDocument(
    <Frame view={view} title={t.sentTitle}>
      <p role="status">
        <Fill text={t.sent} values={{ email: <strong>{options.email}</strong>, minutes }} />
      </p>
      <BackToSignIn view={view} />
    </Frame>
  )
}

export function resetPasswordPage(view: PageView, options: { csrfToken: string; token: string; secondFactor: boolean; problems?: ResetProblems }): string {
  const t = view.t.passwordReset
  const problems = options.problems ?? {}
  return renderDocument(
    <Frame view={view} title={t.title}>
      <Problems view={view} problems={problems} intro={t.problemsIntro} />
      <form method="post" action={RESET_ACTION}>
        <input type="hidden" name="_csrf" value={options.csrfToken} />
        <input type="hidden" name="token" value={options.token} />
        <Field
          name="password"
          label={t.password}
          hint={<Fill text={t.passwordHint} values={limitsOf(view)} />}
          problem={problemText(view, problems, 'password')}
          type="password"
          autocomplete="new-password"
          required
          minLength={ACCOUNT_LIMITS.passwordMinLength}
          maxLength={ACCOUNT_LIMITS.passwordMaxLength}
        />
        {options.secondFactor && (
          <Field
            name="otp"
            label={t.otp}
            hint={t.otpHint}
            problem={problemText(view, problems, 'otp')}
            autocomplete="one-time-code"
            inputMode="numeric"
            required
            maxLength={32}
          />
        )}
        <button type="submit">{t.submit}</button>
      </form>
    </Frame>
  )
}

export function passwordChangedPage(view: PageView): string {
  const t = view.t.passwordReset
  return renderDocument(
    <Frame view={view} title={t.doneTitle}>
      <p role="status">{t.done}</p>
      <p class="other-way">
        <a href="/auth/local/login">{t.signIn}</a>
      </p>
    </Frame>
  )
}

/** A used, expired, superseded or unknown link: said plainly, with the way to a new one. */
export function invalidResetLinkPage(view: PageView): string {
  const t = view.t.passwordReset
  return renderDocument(
    <Frame view={view} title={t.invalidTitle}>
      <p>{t.invalid}</p>
      <p class="other-way">
        <a href={FORGOT_ACTION}>{t.askAgain}</a>
      </p>
    </Frame>
  )
}
