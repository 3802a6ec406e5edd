/**
 * A User-Agent header in words a person recognises ("Firefox", "Windows"), for the account
 * console's list of browser sessions. Only names from these lists come out: never the header's
 * own text, which any client may fill with anything.
 */

/** Checked in order: Edge and Opera also say Chrome, Chrome also says Safari. */
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(HeadlessChrome|Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bcurl\//, 'curl']
]

/** Checked in order: Android says Linux, iOS says Mac OS X. */
const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, 'Android'],
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux']
]

export interface ReadableUserAgent {
  browser: string | null
  system: string | null
}

export function readableUserAgent(header: string | null): ReadableUserAgent {
  const first = (list: [RegExp, string][]) => (header === null ? null : (list.find(([pattern]) => pattern.test(header))?.[1] ?? null))
  return { browser: first(BROWSERS), system: first(SYSTEMS) }
}
