import type { ComponentChildren } from 'preact'
import type { PageView } from './view.js'

/** Paths of what moneypenny serves for its pages (routes/page-assets.ts); pages load nothing else. */
export const ASSET_PATHS = {
  css: '/assets/pages.css',
  brandCss: '/assets/brand.css',
  logo: '/assets/logo',
  favicon: '/favicon.ico',
  webauthn: '/assets/webauthn.js',
  passkeys: '/assets/passkeys.js'
} as const

/**
 * The one frame of every end-user page: the operator's brand in a header, a main column for the
 * page (wide enough for an account console later), the language switch in the footer. Style
 * sheets only, no inline style and no inline script, so the page's CSP stays at style-src 'self'.
 */
/** The account console's path, linked from the header of every page while someone is signed in. */
export const ACCOUNT_PATH = '/account'

export function Frame({ view, title, script, wide, current, children }: { view: PageView; title: string; script?: boolean; wide?: boolean; current?: 'account'; children: ComponentChildren }) {
  const { brand, t } = view
  return (
    <html lang={view.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · ${brand.name}`}</title>
        <link rel="icon" href={ASSET_PATHS.favicon} />
        <link rel="stylesheet" href={ASSET_PATHS.css} />
        {brand.stylesheet && <link rel="stylesheet" href={ASSET_PATHS.brandCss} />}
        {/* Only pages that run a passkey ceremony have a script, and are sent with script-src 'self'. */}
        {script && <script src={ASSET_PATHS.webauthn} defer />}
        {script && <script src={ASSET_PATHS.passkeys} defer />}
      </head>
      <body>
        <a class="skip" href="#main">
          {t.frame.skipToContent}
        </a>
        <header class="site-header">
          <span class="brand">
            {/* The name beside it says what the logo says: for a screen reader the logo is decoration. */}
            {brand.logoSrc && <img class="brand-logo" src={brand.logoSrc} alt="" />}
            <span class="brand-name">{brand.name}</span>
          </span>
          {view.signedIn && (
            <a class="account-link" href={ACCOUNT_PATH} aria-current={current === 'account' ? 'page' : undefined}>
              {t.account.link}
            </a>
          )}
        </header>
        <main id="main" class={wide ? 'wide' : undefined}>
          <div class="panel">
            <h1>{title}</h1>
            {children}
          </div>
        </main>
        <footer class="site-footer">
          <nav aria-label={t.frame.languages}>
            <ul class="languages">
              {view.languages.map((language) => (
                <li>
                  <a href={language.href} lang={language.locale} hreflang={language.locale} aria-current={language.current ? 'true' : undefined}>
                    {language.name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </footer>
      </body>
    </html>
  )
}
