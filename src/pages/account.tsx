import type { ComponentChildren } from 'preact'
import { ACCOUNT_LIMITS } from '../schemas/common.js'
import type { PendingEmail } from '../services/email-change.js'
import type { MfaStatus } from '../services/mfa/index.js'
import { OIDC_LOGIN_PATH } from '../services/oidc.js'
import { ScopeList } from './end-user.js'
import { ACCOUNT_PATH, Frame } from './frame.js'
import type { Messages } from './messages/index.js'
import { PasskeyForm } from './passkeys.js'
import { Field } from './register.js'
import { renderDocument } from './render.js'
import { Fill, fillText } from './text.js'
import { readableUserAgent } from './user-agent.js'
import type { PageView } from './view.js'

/**
 * The account console (GET /account): a page of sections, each a small component with forms
 * that post to routes/account-page.ts and come back here with what was done or what was refused.
 */

export type AccountProblem = keyof Messages['account']['errors']
export type AccountDone = keyof Messages['account']['done']
export const ACCOUNT_DONE = [
  'password-changed',
  'session-ended',
  'app-withdrawn',
  'two-step-off',
  'passkey-added',
  'passkey-renamed',
  'passkey-removed',
  'email-change-requested',
  'email-change-cancelled',
  'provider-linked',
  'provider-unlinked'
] as const satisfies readonly AccountDone[]

/** The console's form fields a refusal can point at (each field's id and name; `link-NAME`: the user's link to a provider). */
export type AccountField =
  | 'currentPassword'
  | 'newPassword'
  | 'repeatPassword'
  | 'code'
  | 'removalCode'
  | 'removalPassword'
  | 'passkeyName'
  | 'newEmail'
  | 'emailPassword'
  | `link-${string}`

/** What is wrong with a refused form, and the field it concerns when it concerns one. */
export interface AccountRefusal {
  problem: AccountProblem
  field?: AccountField
}

export interface AccountData {
  csrfToken: string
  user: { username: string; email: string; emailVerified: boolean; hasPassword: boolean }
  /** The user's own address change (only with mail, for a user with a password); null when it is not offered. */
  emailChange: { pending: PendingEmail | null } | null
  twoStep: MfaStatus
  browserSessions: { id: string; current: boolean; userAgent: string | null; signedInAt: number; lastUsedAt: number }[]
  /** Token sessions: the seeds' session tokens and OAuth2 grants; clientName null outside OAuth2. */
  tokenSessions: { id: string; clientName: string | null; createdAt: number; lastUsedAt: number | null }[]
  apps: { clientId: string; name: string; logoUri: string | null; clientUri: string | null; scope: string[]; grantedAt: number }[]
  passkeys: { id: string; name: string; backedUp: boolean; createdAt: number; lastUsedAt: number | null }[]
  /** Sign-in providers: the user's links, and the configured providers not linked yet. */
  providers: { linked: { provider: string; displayName: string; createdAt: number }[]; linkable: { name: string; displayName: string }[] }
  /** The IANA time zone times are shown in. */
  timeZone: string
}

interface SectionProps {
  view: PageView
  data: AccountData
  refusals: AccountRefusal[]
  time: (at: number) => string
}

/** Where the console's forms post (routes/account-page.ts). */
export const ACCOUNT_FORM_PATHS = {
  password: `${ACCOUNT_PATH}/password`,
  twoStep: `${ACCOUNT_PATH}/two-step`,
  twoStepConfirm: `${ACCOUNT_PATH}/two-step/confirm`,
  recoveryCodes: `${ACCOUNT_PATH}/two-step/recovery-codes`,
  twoStepRemove: `${ACCOUNT_PATH}/two-step/remove`,
  endBrowserSession: `${ACCOUNT_PATH}/browser-sessions/end`,
  endTokenSession: `${ACCOUNT_PATH}/token-sessions/end`,
  withdrawApp: `${ACCOUNT_PATH}/apps/withdraw`,
  passkeys: `${ACCOUNT_PATH}/passkeys`,
  passkeyOptions: `${ACCOUNT_PATH}/passkeys/options`,
  renamePasskey: `${ACCOUNT_PATH}/passkeys/rename`,
  removePasskey: `${ACCOUNT_PATH}/passkeys/remove`,
  email: `${ACCOUNT_PATH}/email`,
  cancelEmail: `${ACCOUNT_PATH}/email/cancel`,
  removeLink: `${ACCOUNT_PATH}/links/remove`
} as const

const PASSWORD_LIMITS = { min: ACCOUNT_LIMITS.passwordMinLength, max: ACCOUNT_LIMITS.passwordMaxLength }

/** A form of the console: its CSRF token, hidden values, and its fields. */
function ConsoleForm({ action, csrfToken, hidden = {}, class: className, children }: { action: string; csrfToken: string; hidden?: Record<string, string>; class?: string; children: ComponentChildren }) {
  return (
    <form method="post" action={action} class={className}>
      <input type="hidden" name="_csrf" value={csrfToken} />
      {Object.entries(hidden).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {children}
    </form>
  )
}

/** The words of a refusal at its field, with the limits its message names. */
function problemAt(view: PageView, refusals: AccountRefusal[], field: AccountField) {
  const refusal = refusals.find((each) => each.field === field)
  return refusal && <Fill text={view.t.account.errors[refusal.problem]} values={numbers(view, PASSWORD_LIMITS)} />
}

function numbers(view: PageView, values: Record<string, number>): Record<string, string> {
  const format = new Intl.NumberFormat(view.locale)
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, format.format(value)]))
}

function ProfileSection({ view, data }: SectionProps) {
  const t = view.t.account.profile
  return (
    <dl class="facts">
      <dt>{t.username}</dt>
      <dd>{data.user.username}</dd>
      <dt>{t.email}</dt>
      <dd>{data.user.email}</dd>
    </dl>
  )
}

function PasswordSection({ view, data, refusals }: SectionProps) {
  const t = view.t.account.password
  const at = (field: AccountField) => problemAt(view, refusals, field)
  return (
    <>
      <p>{t.explanation}</p>
      <ConsoleForm action={ACCOUNT_FORM_PATHS.password} csrfToken={data.csrfToken}>
        {/* For password managers: which account the new password belongs to. */}
        <input type="text" name="username" value={data.user.username} autocomplete="username" hidden readOnly />
        <Field name="currentPassword" label={t.current} problem={at('currentPassword')} type="password" autocomplete="current-password" required maxLength={PASSWORD_LIMITS.max} />
        <Field
          name="newPassword"
          label={t.new}
          hint={<Fill text={t.newHint} values={numbers(view, PASSWORD_LIMITS)} />}
          problem={at('newPassword')}
          type="password"
          autocomplete="new-password"
          required
          minLength={PASSWORD_LIMITS.min}
          maxLength={PASSWORD_LIMITS.max}
        />
        <Field name="repeatPassword" label={t.repeat} problem={at('repeatPassword')} type="password" autocomplete="new-password" required maxLength={PASSWORD_LIMITS.max} />
        <button type="submit">{t.submit}</button>
      </ConsoleForm>
    </>
  )
}

/** The address and its state; a new one is asked for with the password, and waits for its link (cancellable meanwhile). */
function EmailSection({ view, data, refusals, time }: SectionProps) {
  const t = view.t.account.email
  const pending = data.emailChange?.pending ?? null
  return (
    <>
      <p>
        <Fill text={t.current} values={{ email: <strong>{data.user.email}</strong>, status: data.user.emailVerified ? t.verified : t.unverified }} />
      </p>
      <p>{t.explanation}</p>
      {pending !== null && (
        <ConsoleForm action={ACCOUNT_FORM_PATHS.cancelEmail} csrfToken={data.csrfToken}>
          <p role="status">
            <Fill text={t.pending} values={{ email: <strong>{pending.email}</strong>, time: time(pending.expiresAt) }} />
          </p>
          <button type="submit" class="secondary">
            {t.cancel}
          </button>
        </ConsoleForm>
      )}
      <ConsoleForm action={ACCOUNT_FORM_PATHS.email} csrfToken={data.csrfToken}>
        <Field name="newEmail" label={t.newEmail} problem={problemAt(view, refusals, 'newEmail')} type="email" autocomplete="email" required maxLength={ACCOUNT_LIMITS.emailMaxLength} />
        <Field name="emailPassword" label={t.password} problem={problemAt(view, refusals, 'emailPassword')} type="password" autocomplete="current-password" required maxLength={PASSWORD_LIMITS.max} />
        <button type="submit">{t.submit}</button>
      </ConsoleForm>
    </>
  )
}

function TwoStepSection({ view, data, refusals }: SectionProps) {
  const t = view.t.account.twoStep
  const at = (field: AccountField) => problemAt(view, refusals, field)
  if (!data.twoStep.enabled) {
    return (
      <>
        <p>{t.off}</p>
        <ConsoleForm action={ACCOUNT_FORM_PATHS.twoStep} csrfToken={data.csrfToken}>
          <button type="submit">{t.setUp}</button>
        </ConsoleForm>
      </>
    )
  }
  return (
    <>
      <p>{t.on}</p>
      <p>
        <Fill text={t.recoveryCodesLeft} values={numbers(view, { count: data.twoStep.recoveryCodesLeft })} />
      </p>
      <h3>{t.newRecoveryCodes}</h3>
      <ConsoleForm action={ACCOUNT_FORM_PATHS.recoveryCodes} csrfToken={data.csrfToken}>
        <Field name="code" label={t.code} hint={t.newRecoveryCodesHint} problem={at('code')} autocomplete="one-time-code" inputmode="numeric" required maxLength={32} />
        <button type="submit">{t.newRecoveryCodesSubmit}</button>
      </ConsoleForm>
      <h3>{t.turnOff}</h3>
      <ConsoleForm action={ACCOUNT_FORM_PATHS.twoStepRemove} csrfToken={data.csrfToken}>
        <p class="hint">{t.turnOffHint}</p>
        <Field name="removalCode" label={t.proofCode} problem={at('removalCode')} autocomplete="one-time-code" maxLength={32} />
        {data.user.hasPassword && <Field name="removalPassword" label={t.proofPassword} problem={at('removalPassword')} type="password" autocomplete="current-password" maxLength={PASSWORD_LIMITS.max} />}
        <button type="submit" class="secondary">
          {t.turnOffSubmit}
        </button>
      </ConsoleForm>
    </>
  )
}

/** One session or app in a list, with the button that ends it. */
function Ending({ title, details, action, csrfToken, hidden, button, label, children }: { title: ComponentChildren; details: string; action: string; csrfToken: string; hidden: Record<string, string>; button: string; label: string; children?: ComponentChildren }) {
  return (
    <li class="ending">
      <div>
        <p class="ending-title">{title}</p>
        <p class="hint">{details}</p>
        {children}
      </div>
      <ConsoleForm action={action} csrfToken={csrfToken} hidden={hidden}>
        <button type="submit" class="secondary" aria-label={label}>
          {button}
        </button>
      </ConsoleForm>
    </li>
  )
}

function SessionsSection({ view, data, time }: SectionProps) {
  const t = view.t.account.sessions
  const browserName = (userAgent: string | null) => {
    const { browser, system } = readableUserAgent(userAgent)
    const name = browser ?? t.unknownBrowser
    return system === null ? name : fillText(t.browserOn, { browser: name, system })
  }
  const fill = (text: string, at: number) => fillText(text, { time: time(at) })
  return (
    <>
      <h3>{t.browsers}</h3>
      <ul class="endings">
        {data.browserSessions.map((session) => {
          const name = browserName(session.userAgent)
          return (
            <Ending
              title={
                <>
                  {name} {session.current && <strong class="badge">{t.thisBrowser}</strong>}
                </>
              }
              details={`${fill(t.signedInAt, session.signedInAt)}, ${fill(t.lastUsed, session.lastUsedAt)}`}
              action={ACCOUNT_FORM_PATHS.endBrowserSession}
              csrfToken={data.csrfToken}
              hidden={{ id: session.id }}
              button={t.end}
              label={fillText(t.endLabel, { what: session.current ? `${name} (${t.thisBrowser})` : name })}
            />
          )
        })}
      </ul>
      <h3>{t.tokens}</h3>
      {data.tokenSessions.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <ul class="endings">
          {data.tokenSessions.map((session) => {
            const name = session.clientName ?? t.api
            return (
              <Ending
                title={name}
                details={session.lastUsedAt === null ? fill(t.startedAt, session.createdAt) : `${fill(t.startedAt, session.createdAt)}, ${fill(t.lastUsed, session.lastUsedAt)}`}
                action={ACCOUNT_FORM_PATHS.endTokenSession}
                csrfToken={data.csrfToken}
                hidden={{ id: session.id }}
                button={t.end}
                label={fillText(t.endLabel, { what: name })}
              />
            )
          })}
        </ul>
      )}
    </>
  )
}

function AppsSection({ view, data, time }: SectionProps) {
  const t = view.t.account.apps
  if (data.apps.length === 0) return <p>{t.none}</p>
  return (
    <ul class="endings">
      {data.apps.map((app) => (
        <Ending
          title={
            <>
              {app.logoUri !== null && <img class="app-logo" src={app.logoUri} alt="" width={32} height={32} />}
              {app.clientUri === null ? app.name : <a href={app.clientUri} rel="noopener noreferrer">{app.name}</a>}
            </>
          }
          details={fillText(t.allowedAt, { time: time(app.grantedAt) })}
          action={ACCOUNT_FORM_PATHS.withdrawApp}
          csrfToken={data.csrfToken}
          hidden={{ clientId: app.clientId }}
          button={t.withdraw}
          label={fillText(t.withdrawLabel, { client: app.name })}
        >
          {app.scope.length > 0 && <ScopeList view={view} scopes={app.scope} />}
        </Ending>
      ))}
    </ul>
  )
}

/** The user's passkeys, each renamed or removed on its own; a new one added by the browser's ceremony (the page's script). */
function PasskeysSection({ view, data, refusals, time }: SectionProps) {
  const t = view.t.account.passkeys
  return (
    <>
      <p>{t.explanation}</p>
      {data.passkeys.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <ul class="endings">
          {data.passkeys.map((passkey, index) => (
            <Ending
              title={passkey.name}
              details={[
                passkey.backedUp ? t.synced : t.deviceBound,
                fillText(t.addedAt, { time: time(passkey.createdAt) }),
                passkey.lastUsedAt === null ? t.neverUsed : fillText(t.lastUsed, { time: time(passkey.lastUsedAt) })
              ].join(' · ')}
              action={ACCOUNT_FORM_PATHS.removePasskey}
              csrfToken={data.csrfToken}
              hidden={{ id: passkey.id }}
              button={t.remove}
              label={fillText(t.removeLabel, { passkey: passkey.name })}
            >
              <ConsoleForm action={ACCOUNT_FORM_PATHS.renamePasskey} csrfToken={data.csrfToken} hidden={{ id: passkey.id }} class="inline">
                <label for={`passkey-name-${index}`}>{fillText(t.newName, { passkey: passkey.name })}</label>
                <input id={`passkey-name-${index}`} name="name" required maxLength={64} value={passkey.name} autocomplete="off" />
                <button type="submit" class="secondary">
                  {t.rename}
                </button>
              </ConsoleForm>
            </Ending>
          ))}
        </ul>
      )}
      <PasskeyForm t={view.t.passkeys} ceremony="register" action={ACCOUNT_FORM_PATHS.passkeys} optionsUrl={ACCOUNT_FORM_PATHS.passkeyOptions} csrfToken={data.csrfToken} label={t.add}>
        <Field name="passkeyName" label={t.name} hint={t.nameHint} problem={problemAt(view, refusals, 'passkeyName')} required maxLength={64} autocomplete="off" />
      </PasskeyForm>
    </>
  )
}

/**
 * The user's links to upstream OpenID Connect providers, each removable unless it is their last
 * way to sign in, and a "Link" form per provider not linked yet: it starts the provider's sign-in
 * with a link intent for this user (routes/oidc.ts).
 */
function ProvidersSection({ view, data, refusals, time }: SectionProps) {
  const t = view.t.account.providers
  const { linked, linkable } = data.providers
  return (
    <>
      <p>{t.explanation}</p>
      {linked.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <ul class="endings">
          {linked.map((link) => {
            const problem = problemAt(view, refusals, `link-${link.provider}`)
            return (
              <Ending
                title={link.displayName}
                details={fillText(t.linkedAt, { time: time(link.createdAt) })}
                action={ACCOUNT_FORM_PATHS.removeLink}
                csrfToken={data.csrfToken}
                hidden={{ provider: link.provider }}
                button={t.remove}
                label={fillText(t.removeLabel, { provider: link.displayName })}
              >
                {problem && (
                  <p class="field-problem" id={`link-${link.provider}`}>
                    {problem}
                  </p>
                )}
              </Ending>
            )
          })}
        </ul>
      )}
      {linkable.map((provider) => (
        <ConsoleForm action={OIDC_LOGIN_PATH} csrfToken={data.csrfToken} hidden={{ provider: provider.name, intent: 'link' }} class="inline">
          <button type="submit" class="secondary">
            {fillText(t.link, { provider: provider.displayName })}
          </button>
        </ConsoleForm>
      ))}
      {linkable.length > 0 && <p class="hint">{t.linkHint}</p>}
    </>
  )
}

type SectionKey = 'profile' | 'email' | 'password' | 'twoStep' | 'passkeys' | 'providers' | 'sessions' | 'apps'

/**
 * The console's sections, in order, each under its catalogue title; a section that has nothing
 * to offer a user (a password to change, for one who signs in through an identity provider)
 * says so with `shown`.
 */
const SECTIONS: { key: SectionKey; Section: (props: SectionProps) => ComponentChildren; shown?: (data: AccountData) => boolean }[] = [
  { key: 'profile', Section: ProfileSection },
  { key: 'email', Section: EmailSection, shown: (data) => data.emailChange !== null },
  { key: 'password', Section: PasswordSection, shown: (data) => data.user.hasPassword },
  { key: 'twoStep', Section: TwoStepSection },
  { key: 'passkeys', Section: PasskeysSection },
  { key: 'providers', Section: ProvidersSection, shown: (data) => data.providers.linked.length + data.providers.linkable.length > 0 },
  { key: 'sessions', Section: SessionsSection },
  { key: 'apps', Section: AppsSection }
]

export function accountPage(view: PageView, data: AccountData, answer: { done?: AccountDone | undefined; refusals?: AccountRefusal[] } = {}): string {
  const t = view.t.account
  const refusals = answer.refusals ?? []
  const format = new Intl.DateTimeFormat(view.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: data.timeZone })
  const time = (at: number) => format.format(at)
  const sections = SECTIONS.filter((section) => section.shown?.(data) ?? true)
  return renderDocument(
    <Frame view={view} title={t.title} wide current="account" script>
      {refusals.length > 0 && (
        <div class="error" role="alert" id="account-problems">
          <p>{t.problemsIntro}</p>
          <ul>
            {refusals.map((refusal) => {
              const words = <Fill text={t.errors[refusal.problem]} values={numbers(view, PASSWORD_LIMITS)} />
              return <li>{refusal.field === undefined ? words : <a href={`#${refusal.field}`}>{words}</a>}</li>
            })}
          </ul>
        </div>
      )}
      {answer.done !== undefined && (
        <p class="done" role="status">
          {t.done[answer.done]}
        </p>
      )}
      <nav aria-label={t.sectionsLabel}>
        <ul class="section-links">
          {sections.map(({ key }) => (
            <li>
              <a href={`#${key}`}>{t[key].title}</a>
            </li>
          ))}
        </ul>
      </nav>
      {sections.map(({ key, Section }) => (
        <section id={key} aria-labelledby={`${key}-title`} class="account-section">
          <h2 id={`${key}-title`}>{t[key].title}</h2>
          <Section view={view} data={data} refusals={refusals} time={time} />
        </section>
      ))}
    </Frame>
  )
}
