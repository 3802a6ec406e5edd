/**
 * Where to send a browser after sign-in: only a path on this service. It starts with
 * one slash (not `//host` or `/\host`, which browsers treat as another origin) and is
 * printable ASCII without spaces, so it goes into a `Location` header as it is (RFC 9110
 * §5.5: a field value is visible ASCII; a path's other characters arrive percent-encoded,
 * RFC 3986 §2.1). Anything else is dropped, so there is no open redirect and no header
 * a request can break.
 */
export function safeReturnTo(value: string | undefined): string | null {
  if (value === undefined || !/^\/(?![/\\])[\x21-\x7e]*$/.test(value)) return null
  return value
}

/** A page's path carrying the returnTo it sends the person on to, when there is one. */
export function withReturnTo(path: string, returnTo: string | null): string {
  return returnTo === null ? path : `${path}?${new URLSearchParams({ returnTo })}`
}
