/**
 * Where to send a browser after sign-in: only a path on this service. It starts with
 * one slash (not `//host` or `/\host`, which browsers treat as another origin) and
 * holds no control characters. Anything else is dropped, so there is no open redirect.
 */
export function safeReturnTo(value: string | undefined): string | null {
  if (value === undefined || !/^\/(?![/\\])[^\x00-\x1f\x7f]*$/.test(value)) return null
  return value
}
