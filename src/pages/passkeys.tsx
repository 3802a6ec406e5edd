import type { ComponentChildren } from 'preact'
import type { Messages } from './messages/index.js'

/**
 * A passkey ceremony as a form (src/pages/passkey-script.ts runs it): hidden without WebAuthn,
 * so the page works as before without script. The browser's answer goes in `credential`, and
 * the form posts to `action` like any other form, with its CSRF token.
 */
export function PasskeyForm({
  t,
  ceremony,
  action,
  optionsUrl,
  csrfToken,
  fields = {},
  label,
  children
}: {
  t: Messages['passkeys']
  ceremony: 'register' | 'authenticate'
  action: string
  optionsUrl: string
  csrfToken: string
  /** Hidden fields to post along (returnTo). */
  fields?: Record<string, string>
  label: string
  /** Fields the person fills in before the ceremony (a name for a new passkey). */
  children?: ComponentChildren
}) {
  return (
    <form method="post" action={action} class="passkey" data-passkey={ceremony} data-options={optionsUrl} hidden>
      <input type="hidden" name="_csrf" value={csrfToken} />
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="credential" value="" />
      {children}
      <p class="error" role="alert" data-passkey-failed hidden>
        {t.failed}
      </p>
      <button type="submit" class="secondary">
        {label}
      </button>
    </form>
  )
}
