/**
 * The style sheet and built-in icon of the end-user pages, made once at start from the brand's
 * colour (a validated #rrggbb, so it cannot break out of the CSS or SVG it goes into).
 */

/** The colours of each scheme; text and links stand on `bg` (the page) and `panel`. */
export const SCHEMES = {
  light: { bg: '#f4f5f7', panel: '#ffffff', text: '#1b1f24', muted: '#58616b', line: '#d5dae0', field: '#ffffff', fieldLine: '#8a939d', error: '#a40000', errorBg: '#fdecec' },
  dark: { bg: '#111418', panel: '#1b2027', text: '#e8eaed', muted: '#a5adb7', line: '#353c46', field: '#111418', fieldLine: '#7d8692', error: '#ff9b9b', errorBg: '#3a1d1f' }
} as const
export type Scheme = keyof typeof SCHEMES

/** WCAG AA's contrast for normal text (1.4.3); links and focus rings on the page keep it too. */
export const MIN_TEXT_CONTRAST = 4.5

function channels(color: string): number[] {
  return [1, 3, 5].map((start) => parseInt(color.slice(start, start + 2), 16))
}

/** WCAG 2.2 relative luminance of #rrggbb. */
function luminance(color: string): number {
  const [r, g, b] = channels(color).map((value) => {
    const channel = value / 255
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

/** WCAG 2.2 contrast ratio of two #rrggbb colours, from 1 (same) to 21 (black on white). */
export function contrastRatio(one: string, other: string): number {
  const [light, dark] = [luminance(one), luminance(other)].sort((a, b) => b - a)
  return (light! + 0.05) / (dark! + 0.05)
}

/** Text on the accent colour: black or white, whichever contrasts more (never below 4.58:1, whatever the accent). */
export function textOn(color: string): '#000000' | '#ffffff' {
  return contrastRatio(color, '#000000') >= contrastRatio(color, '#ffffff') ? '#000000' : '#ffffff'
}

/** `color` with `share` (0 to 1) of `toward` mixed in, per sRGB channel, as #rrggbb. */
export function mix(color: string, toward: string, share: number): string {
  const target = channels(toward)
  return `#${channels(color)
    .map((value, index) => Math.round(value + (target[index]! - value) * share).toString(16).padStart(2, '0'))
    .join('')}`
}

/**
 * The accent as links and focus rings draw it in a scheme: the operator's colour itself where it
 * holds 4.5:1 on every surface of the scheme, else mixed toward black (light scheme) or white
 * (dark scheme) step by step until it does, so a pale or a dark brand colour stays readable.
 */
export function accentInk(accent: string, scheme: Scheme): string {
  const { bg, panel } = SCHEMES[scheme]
  const toward = scheme === 'light' ? '#000000' : '#ffffff'
  for (let step = 0; step < 20; step++) {
    const candidate = mix(accent, toward, step / 20)
    if (contrastRatio(candidate, bg) >= MIN_TEXT_CONTRAST && contrastRatio(candidate, panel) >= MIN_TEXT_CONTRAST) return candidate
  }
  return toward
}

function schemeVariables(accent: string, scheme: Scheme): string {
  const c = SCHEMES[scheme]
  return `--bg:${c.bg};--panel:${c.panel};--text:${c.text};--muted:${c.muted};--line:${c.line};--field:${c.field};--field-line:${c.fieldLine};--error:${c.error};--error-bg:${c.errorBg};--link:${accentInk(accent, scheme)}`
}

export function pagesCss(accent: string): string {
  return `:root{--accent:${accent};--on-accent:${textOn(accent)};${schemeVariables(accent, 'light')};color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{${schemeVariables(accent, 'dark')}}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--text);background:var(--bg)}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--panel);padding:.5rem 1rem}.skip:focus{left:.5rem;z-index:2}
.site-header{display:flex;align-items:center;gap:1rem;padding:.75rem 1.25rem;background:var(--panel);border-bottom:4px solid var(--accent)}
.brand{display:flex;align-items:center;gap:.6rem;font-weight:700;font-size:1.15rem;margin-right:auto}
.brand-logo{height:2rem;width:auto;max-width:10rem}
main{flex:1;width:100%;max-width:30rem;margin:0 auto;padding:2rem 1rem}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:12px;padding:1.5rem}
h1{font-size:1.5rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:1rem 0 .3rem}
input{width:100%;padding:.6rem .7rem;font:inherit;color:var(--text);background:var(--field);border:1px solid var(--field-line);border-radius:6px}
input[aria-invalid="true"]{border-color:var(--error)}
button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:1px solid var(--link);background:var(--accent);color:var(--on-accent);cursor:pointer;margin-top:1.25rem}
button.secondary{background:transparent;color:var(--text);border-color:var(--field-line)}
form>button{width:100%}
.actions{display:flex;gap:.75rem;flex-wrap:wrap}.actions button{flex:1}
.error{color:var(--error);background:var(--error-bg);border-radius:8px;padding:.6rem .8rem;font-weight:600;margin:0 0 1rem}
.error p,.error ul{margin:0}.error ul{padding-left:1.2rem}.error a{color:inherit}
.hint{color:var(--muted);font-size:.875rem;margin:0 0 .3rem}
.field-problem{color:var(--error);font-weight:600;margin:0 0 .3rem}
.other-way{margin:1.25rem 0 0;text-align:center}
.details{color:var(--muted);font-size:.875rem}
.client-logo{display:block;margin:0 0 .75rem;border-radius:.5rem;object-fit:contain}.client-links{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;list-style:none;font-size:.9rem}.asked-by{color:var(--muted)}
.scopes{padding-left:1.2rem}.scopes code{color:var(--muted)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85em;overflow-wrap:anywhere}
.hint{color:var(--muted);font-size:.9rem;margin:.2rem 0 .4rem}.aside{margin:1rem 0 0;font-size:.9rem}
.steps{padding-left:1.2rem}.qr{display:block;width:100%;max-width:14rem;height:auto;margin:.5rem 0;border-radius:6px}.secret{font-size:1rem;letter-spacing:.05em}
.recovery-codes{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.4rem 1rem;padding:0;list-style:none}.recovery-codes code{font-size:1rem}
a.button{display:inline-block;padding:.6rem 1.2rem;border-radius:6px;background:var(--accent);color:var(--on-accent);text-decoration:none;font-weight:600}
.providers{list-style:none;padding:0;margin:1rem 0 0;display:grid;gap:.5rem}.providers a.button{display:block;text-align:center}
.site-footer{padding:1rem;text-align:center;font-size:.9rem}
.languages{display:flex;justify-content:center;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
.languages a[aria-current]{color:var(--text);font-weight:700;text-decoration:none}
.account-link{font-weight:600}.account-link[aria-current]{color:var(--text);text-decoration:none}
main.wide{max-width:48rem}.done{background:color-mix(in srgb,var(--accent) 12%,var(--panel));border-left:4px solid var(--accent);border-radius:8px;padding:.6rem .8rem;margin:0 0 1rem}
.section-links{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0 0 .5rem;padding:0;font-size:.95rem}
.account-section{border-top:1px solid var(--line);padding-top:.5rem;margin-top:1.5rem}.account-section h2{font-size:1.2rem;margin:.5rem 0}.account-section h3{font-size:1rem;margin:1.25rem 0 .25rem}
.account-section form>button{width:auto}.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}.facts dt{font-weight:600}.facts dd{margin:0;overflow-wrap:anywhere}
.endings{list-style:none;margin:0;padding:0}.ending{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding:.6rem 0;border-bottom:1px solid var(--line)}
.ending p{margin:0}.ending-title{font-weight:600;display:flex;align-items:center;gap:.5rem;flex-wrap:wrap}.ending button{margin:0}.ending .scopes{margin:.3rem 0 0;font-size:.9rem}
.badge{font-size:.75rem;font-weight:700;padding:.1rem .45rem;border-radius:999px;background:var(--accent);color:var(--on-accent)}.app-logo{border-radius:6px;object-fit:contain}
@media (max-width:30rem){.ending{flex-direction:column;align-items:stretch}.ending button{width:100%}.facts{grid-template-columns:1fr}}
@media (max-width:30rem){main{padding:1rem .75rem}.panel{padding:1.1rem}}
`
}

/** The icon when the operator gives no logo file: a keyhole on the accent colour. */
export function faviconSvg(accent: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="${accent}"/><circle cx="16" cy="13" r="5" fill="${textOn(accent)}"/><path d="M13.5 16h5l1.5 9h-8z" fill="${textOn(accent)}"/></svg>`
}
