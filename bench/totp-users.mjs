// Users with a confirmed TOTP second factor, and the next code each may sign in with: shared by
// bench/run.mjs (figure f) and bench/mfa-login.mjs. A TOTP step is accepted once per user and the
// server's window reaches one step ahead, so a load spreads over a pool of users, each signing in
// with the first unused step from now on, and skipped until its next step opens.
import { currentCode } from '../dist/src/services/mfa/totp.js'

const STEP_MS = 30_000

/** POSTs `body` as JSON (without one, nothing: the enrolment route takes none); answers status and JSON. */
export async function postJson(url, body, headers = {}) {
  const json = body === undefined ? {} : { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }
  const response = await fetch(url, { method: 'POST', headers, ...json })
  return { status: response.status, body: await response.json() }
}

/** Registers `count` users named `${prefix}-<n>` with `password` and enrols a TOTP factor for each, `concurrency` at a time. */
export async function enrolTotpUsers(baseUrl, { prefix, count, password, concurrency }) {
  const users = []
  for (let batch = 0; batch < count; batch += concurrency) {
    const made = await Promise.all(
      Array.from({ length: Math.min(concurrency, count - batch) }, async (_, i) => {
        const username = `${prefix}-${batch + i}`
        const { body } = await postJson(`${baseUrl}/api/v1/auth/local/register`, { username, email: `${username}@example.test`, password })
        const { body: signedIn } = await postJson(`${baseUrl}/api/v1/auth/local/authenticate`, { username, password })
        const authorization = `Bearer ${signedIn.accessToken}`
        const { status, body: enrolment } = await postJson(`${baseUrl}/api/v1/users/${body.user.id}/mfa/totp`, undefined, { authorization })
        if (status !== 201) throw new Error(`enrolment failed: ${status} ${JSON.stringify(enrolment)}`)
        const confirmed = await postJson(`${baseUrl}/api/v1/users/${body.user.id}/mfa/totp/confirm`, { code: currentCode(enrolment.secret) }, { authorization })
        if (confirmed.status !== 200) throw new Error(`enrolment failed: ${confirmed.status}`)
        return { username, secret: enrolment.secret, lastStep: Math.floor(Date.now() / STEP_MS) }
      })
    )
    users.push(...made)
  }
  return users
}

/** A function that answers the next sign-in body ({ username, password, otp }) of the pool, taking each user's next unused step. */
export function nextTotpSignIn(users, password) {
  let turn = 0
  return () => {
    const nowStep = Math.floor(Date.now() / STEP_MS)
    for (let tried = 0; tried < users.length; tried++) {
      const user = users[turn++ % users.length]
      const step = Math.max(user.lastStep + 1, nowStep)
      if (step > nowStep + 1) continue
      user.lastStep = step
      return { username: user.username, password, otp: currentCode(user.secret, step * STEP_MS) }
    }
    throw new Error(`${users.length} users with a second factor are too few for this rate: enrol more`)
  }
}
