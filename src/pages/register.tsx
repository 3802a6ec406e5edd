import type { ComponentChild, JSX } from 'preact'
import { ACCOUNT_LIMITS } from '../schemas/common.js'
import { AskedBy, OtherWayIn } from './end-user.js'
import { Frame } from './frame.js'
import type { Messages } from './messages/index.js'
import { renderDocument } from './render.js'
import { Fill } from './text.js'
import type { PageView } from './view.js'

/** The registration page (GET/POST /auth/local/register) and its answer while registration is closed. */

export const REGISTER_FIELDS = ['username', 'email', 'password'] as const
export type RegisterField = (typeof REGISTER_FIELDS)[number]

type Problem = keyof Messages['register']['errors']
/** What is wrong with a refused form: a problem per field, and `form` for one that concerns no single field. */
export type RegisterProblems = Partial<Record<RegisterField | 'form', Problem>>

/** A labelled input with its hint and, when refused, its problem, both tied to it for screen readers. */
export function Field({ name, label, hint, problem, ...input }: { name: string; label: string; hint?: ComponentChild; problem: ComponentChild } & JSX.InputHTMLAttributes) {
  const describedBy = [problem && `${name}-problem`, hint && `${name}-hint`].filter(Boolean).join(' ')
  return (
    <>
      <label for={name}>{label}</label>
      {hint && (
        <p class="hint" id={`${name}-hint`}>
          {hint}
        </p>
      )}
      {problem && (
        <p class="field-problem" id={`${name}-problem`}>
          {problem}
        </p>
      )}
      <input id={name} name={name} aria-invalid={problem ? 'true' : undefined} aria-describedby={describedBy || undefined} {...input} />
    </>
  )
}

export function registerPage(
  view: PageView,
  options: {
    csrfToken: string
    returnTo: string | null
    signInHref: string
    username?: string
    email?: string
    clientName?: string | undefined
    problems?: RegisterProblems
  }
): string {
  const t = view.t.register
  const problems = options.problems ?? {}
  const number = new Intl.NumberFormat(view.locale)
  // The limits the words name are the JSON endpoint's own (schemas/common.ts).
  const limits: Record<RegisterField | 'form', Record<string, string>> = {
    username: { max: number.format(ACCOUNT_LIMITS.usernameMaxLength) },
    email: {},
    password: { min: number.format(ACCOUNT_LIMITS.passwordMinLength), max: number.format(ACCOUNT_LIMITS.passwordMaxLength) },
    form: {}
  }
  const words = (about: RegisterField | 'form') => {
    const problem = problems[about]
    return problem === undefined ? null : <Fill text={t.errors[problem]} values={limits[about]} />
  }
  const refused = (['form', ...REGISTER_FIELDS] as const).filter((about) => problems[about] !== undefined)
  return renderDocument(
    <Frame view={view} title={t.title}>
      <AskedBy text={t.continueTo} clientName={options.clientName} />
      {refused.length > 0 && (
        <div class="error" role="alert" id="register-problems">
          <p>{t.problemsIntro}</p>
          <ul>
            {refused.map((about) => (
              <li>{about === 'form' ? words(about) : <a href={`#${about}`}>{words(about)}</a>}</li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action="/auth/local/register">
        <input type="hidden" name="_csrf" value={options.csrfToken} />
        {options.returnTo && <input type="hidden" name="returnTo" value={options.returnTo} />}
        <Field
          name="username"
          label={t.username}
          hint={<Fill text={t.usernameHint} values={limits.username} />}
          problem={words('username')}
          autocomplete="username"
          required
          maxLength={ACCOUNT_LIMITS.usernameMaxLength}
          value={options.username ?? ''}
        />
        <Field
          name="email"
          label={t.email}
          problem={words('email')}
          type="email"
          autocomplete="email"
          required
          maxLength={ACCOUNT_LIMITS.emailMaxLength}
          value={options.email ?? ''}
        />
        <Field
          name="password"
          label={t.password}
          hint={<Fill text={t.passwordHint} values={limits.password} />}
          problem={words('password')}
          type="password"
          autocomplete="new-password"
          required
          minLength={ACCOUNT_LIMITS.passwordMinLength}
          maxLength={ACCOUNT_LIMITS.passwordMaxLength}
        />
        <button type="submit">{t.submit}</button>
      </form>
      <OtherWayIn text={t.haveAccount} href={options.signInHref} label={t.signIn} />
    </Frame>
  )
}

/** GET and POST while REGISTRATION=closed: said in words, with the way to sign in. */
export function registrationClosedPage(view: PageView, signInHref: string): string {
  const t = view.t.register
  return renderDocument(
    <Frame view={view} title={t.closedTitle}>
      <p>{t.closed}</p>
      <p class="other-way">
        <a href={signInHref}>{t.signIn}</a>
      </p>
    </Frame>
  )
}
