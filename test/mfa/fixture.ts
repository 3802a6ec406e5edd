import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { currentCode } from '../../src/services/mfa/totp.js'
import { postJson, registerUser, signIn } from '../helpers.js'

export const STEP_MS = 30_000

/** A registered user with a confirmed TOTP factor: their credentials, secret and recovery codes. */
export async function userWithTotp(app: FastifyInstance) {
  const user = await registerUser(app)
  const { accessToken } = await signIn(app, user.username, user.password)
  const authorization = `Bearer ${accessToken}`
  const enrolment = await app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/mfa/totp`, headers: { authorization } })
  assert.equal(enrolment.statusCode, 201, enrolment.body)
  const secret = enrolment.json().secret as string
  const confirmed = await postJson(app, `/api/v1/users/${user.id}/mfa/totp/confirm`, { code: currentCode(secret) }, { authorization })
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body))
  return { ...user, secret, authorization, recoveryCodes: confirmed.body.recoveryCodes as string[] }
}

/**
 * The code of the next time step: the step of the confirmation's code is used up, and the
 * next one is still inside the window of one step either side.
 */
export function nextCode(secret: string): string {
  return currentCode(secret, Date.now() + STEP_MS)
}
