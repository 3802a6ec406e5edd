import { Frame } from './frame.js'
import type { Messages } from './messages/index.js'
import { renderDocument } from './render.js'
import { Fill } from './text.js'
import type { PageView } from './view.js'

/**
 * The pages a person meets while signing in. Every string comes from the catalogue of the
 * page's language (view.t); values are escaped by the renderer.
 */

export type SignInError = keyof Messages['signIn']['errors']

export function signInPage(view: PageView, options: { csrfToken: string; returnTo: string | null; username?: string; error?: SignInError }): string {
  const t = view.t.signIn
  return renderDocument(
    <Frame view={view} title={t.title}>
      {options.error && (
        <p class="error" role="alert" id="sign-in-error">
          {t.errors[options.error]}
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
          aria-describedby={options.error ? 'sign-in-error' : undefined}
        />
        <label for="password">{t.password}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">{t.submit}</button>
      </form>
    </Frame>
  )
}

export function consentPage(view: PageView, options: { csrfToken: string; clientName: string; username: string; scopes: string[]; authorizationQuery: string }): string {
  const t = view.t.consent
  const described = t.scopes as Record<string, string>
  return renderDocument(
    <Frame view={view} title={t.title}>
      <p>
        <Fill text={t.request} values={{ client: <strong>{options.clientName}</strong>, user: <strong>{options.username}</strong> }} />
      </p>
      {options.scopes.length ? (
        <ul class="scopes">
          {options.scopes.map((scope) => (
            <li>
              {Object.hasOwn(described, scope) ? described[scope] : scope} <code>{scope}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t.nothingMore}</p>
      )}
      <form method="post" action="/oauth2/authorization/consent">
        <input type="hidden" name="_csrf" value={options.csrfToken} />
        <input type="hidden" name="authorization" value={options.authorizationQuery} />
        <div class="actions">
          <button type="submit" name="decision" value="allow">
            {t.allow}
          </button>
          <button type="submit" name="decision" value="deny" class="secondary">
            {t.deny}
          </button>
        </div>
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
