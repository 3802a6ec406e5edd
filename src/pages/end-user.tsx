import type { OAuthClientRecord } from '../store/port.js'
import { Frame } from './frame.js'
import { PasskeyForm } from './passkeys.js'
import type { Messages } from './messages/index.js'
import { renderDocument } from './render.js'
import { Fill } from './text.js'
import type { PageView } from './view.js'

/**
 * The pages a person meets while signing in. Every string comes from the catalogue of the
 * page's language (view.t); values are escaped by the renderer.
 */

/** Where a passwordless passkey sign-in is posted (routes/passkey-sign-in.ts). */
export const PASSKEY_SIGN_IN_PATH = '/auth/passkey'

export type SignInError = keyof Messages['signIn']['errors']

/** During an OAuth2 authorization: the app the person signs in or registers for, by name. */
export function AskedBy({ text, clientName }: { text: string; clientName: string | undefined }) {
  if (clientName === undefined) return null
  return (
    <p class="asked-by">
      <Fill text={text} values={{ client: <strong>{clientName}</strong> }} />
    </p>
  )
}

/** The link from one way in to the other (sign-in, registration), in a sentence with a `{link}`. */
export function OtherWayIn({ text, href, label }: { text: string; href: string; label: string }) {
  return (
    <p class="other-way">
      <Fill text={text} values={{ link: <a href={href}>{label}</a> }} />
    </p>
  )
}

export function signInPage(
  view: PageView,
  options: {
    csrfToken: string
    returnTo: string | null
    username?: string
    error?: SignInError
    clientName?: string | undefined
    /** The registration page, while registration is open. */
    registerHref?: string | undefined
    /** A passkey sign-in that was refused. */
    passkeyRefused?: boolean
    /** The forgotten-password page, while mail is configured. */
    forgotPasswordHref?: string | undefined
    /** One link per upstream OpenID Connect provider: its display name and where it starts. */
    providers?: { label: string; href: string }[]
  }
): string {
  const t = view.t.signIn
  return renderDocument(
    <Frame view={view} title={t.title} script>
      <AskedBy text={t.continueTo} clientName={options.clientName} />
      {options.error && (
        <p class="error" role="alert" id="sign-in-error">
          {t.errors[options.error]}
        </p>
      )}
      {options.passkeyRefused && (
        <p class="error" role="alert">
          {view.t.passkeys.refused}
        </p>
      )}
      <form method="post" action="/auth/local/login">
        <input type="hidden" name="_csrf" value={options.csrfToken} />
        {options.returnTo && <input type="hidden" name="returnTo" value={options.returnTo} />}
        <label for="username">{t.username}</label>
        <input
          id="username"
          name="username"
          autocomplete="username"
          required
          value={options.username ?? ''}
          aria-invalid={options.error ? 'true' : undefined}
          aria-describedby={options.error ? 'sign-in-error' : undefined}
        />
        <label for="password">{t.password}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">{t.submit}</button>
      </form>
      {options.forgotPasswordHref !== undefined && (
        <p class="other-way">
          <a href={options.forgotPasswordHref}>{view.t.passwordReset.forgotLink}</a>
        </p>
      )}
      <PasskeyForm
        t={view.t.passkeys}
        ceremony="authenticate"
        action={PASSKEY_SIGN_IN_PATH}
        optionsUrl={`${PASSKEY_SIGN_IN_PATH}/options`}
        csrfToken={options.csrfToken}
        fields={options.returnTo ? { returnTo: options.returnTo } : {}}
        label={view.t.passkeys.signIn}
      />
      {options.providers?.length ? (
        <ul class="providers">
          {options.providers.map((provider) => (
            <li>
              <a class="button" href={provider.href}>
                <Fill text={t.withProvider} values={{ provider: provider.label }} />
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {options.registerHref !== undefined && <OtherWayIn text={t.noAccount} href={options.registerHref} label={t.createAccount} />}
    </Frame>
  )
}

/** A form's two answers, posted as `decision`: the one asked for first, the other beside it. */
function Decision({ yes, no }: { yes: { value: string; label: string }; no: { value: string; label: string } }) {
  return (
    <div class="actions">
      <button type="submit" name="decision" value={yes.value}>
        {yes.label}
      </button>
      <button type="submit" name="decision" value={no.value} class="secondary">
        {no.label}
      </button>
    </div>
  )
}

/** Scopes in words, with the scope names beside them: the consent page, and the account console's apps. */
export function ScopeList({ view, scopes }: { view: PageView; scopes: string[] }) {
  const described = view.t.consent.scopes as Record<string, string>
  return (
    <ul class="scopes">
      {scopes.map((scope) => (
        <li>
          {Object.hasOwn(described, scope) ? described[scope] : scope} <code>{scope}</code>
        </li>
      ))}
    </ul>
  )
}

/** The pages a client registered about itself (RFC 7591 §2), as far as it did. */
type ClientPages = Pick<OAuthClientRecord, 'name' | 'clientUri' | 'logoUri' | 'policyUri' | 'tosUri'>

export function consentPage(view: PageView, options: { csrfToken: string; client: ClientPages; username: string; scopes: string[]; authorizationQuery: string }): string {
  const t = view.t.consent
  const { client } = options
  const links = [
    { href: client.clientUri, text: t.clientSite },
    { href: client.policyUri, text: t.clientPolicy },
    { href: client.tosUri, text: t.clientTerms }
  ].filter((link): link is { href: string; text: string } => link.href !== null)
  return renderDocument(
    <Frame view={view} title={t.title}>
      {client.logoUri !== null && <img class="client-logo" src={client.logoUri} alt="" width={64} height={64} />}
      <p>
        <Fill text={t.request} values={{ client: <strong>{client.name}</strong>, user: <strong>{options.username}</strong> }} />
      </p>
      {options.scopes.length ? (
        <ScopeList view={view} scopes={options.scopes} />
      ) : (
        <p>{t.nothingMore}</p>
      )}
      {links.length > 0 && (
        <ul class="client-links">
          {links.map((link) => (
            <li>
              <a href={link.href} rel="noopener noreferrer" target="_blank">
                {link.text}
              </a>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action="/oauth2/authorization/consent">
        <input type="hidden" name="_csrf" value={options.csrfToken} />
        <input type="hidden" name="authorization" value={options.authorizationQuery} />
        <Decision yes={{ value: 'allow', label: t.allow }} no={{ value: 'deny', label: t.deny }} />
      </form>
    </Frame>
  )
}

export type ErrorKind = Exclude<keyof Messages['errors'], 'details'>

/** Why a sign-in stopped, in the person's language, and the service's own reason for whoever debugs the app. */
export function errorPage(view: PageView, kind: ErrorKind, reason: string): string {
  const t = view.t.errors
  return renderDocument(
    <Frame view={view} title={t[kind].title}>
      <p class="error" role="alert">
        {t[kind].explanation}
      </p>
      <p class="details">
        {t.details} <code>{reason}</code>
      </p>
    </Frame>
  )
}

/** RP-Initiated Logout §4: asked when the request cannot be trusted to come from the person. */
export function signOutPage(view: PageView, options: { csrfToken: string; clientName: string | null; fields: Record<string, string> }): string {
  const t = view.t.signOut
  return renderDocument(
    <Frame view={view} title={t.title}>
      {options.clientName !== null && (
        <p>
          <Fill text={t.asker} values={{ client: <strong>{options.clientName}</strong> }} />
        </p>
      )}
      <p>{t.explanation}</p>
      <form method="post" action="/oauth2/logout/confirm">
        <input type="hidden" name="_csrf" value={options.csrfToken} />
        {Object.entries(options.fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <Decision yes={{ value: 'sign-out', label: t.confirm }} no={{ value: 'stay', label: t.stay }} />
      </form>
    </Frame>
  )
}

/** After a logout request: signed out, or (the person chose to stay) nothing changed. */
export function signedOutPage(view: PageView, signedOut: boolean): string {
  const t = view.t.signOut
  return renderDocument(
    <Frame view={view} title={signedOut ? t.signedOutTitle : t.stayedTitle}>
      <p>{signedOut ? t.signedOut : t.stayed}</p>
    </Frame>
  )
}
