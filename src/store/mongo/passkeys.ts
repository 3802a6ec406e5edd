import type { Collection } from 'mongodb'
import type { PasskeyRecord, PasskeyRepository, WebAuthnCeremony, WebAuthnChallengeRecord } from '../port.js'

export type PasskeyDoc = Omit<PasskeyRecord, 'credentialId'> & { _id: string }
/** `expireAt` lets MongoDB's TTL monitor drop forgotten challenges too. */
export type ChallengeDoc = Omit<WebAuthnChallengeRecord, 'challenge'> & { _id: string; expireAt: Date }

const DUPLICATE_KEY = 11000

/** One document per credential (`_id` is the credential id) and one per live challenge (`_id` is the challenge). */
export class MongoPasskeys implements PasskeyRepository {
  constructor(
    private readonly passkeys: Collection<PasskeyDoc>,
    private readonly challenges: Collection<ChallengeDoc>
  ) {}

  static toRecord({ _id, ...rest }: PasskeyDoc): PasskeyRecord {
    return { credentialId: _id, ...rest }
  }

  async add({ credentialId, ...rest }: PasskeyRecord) {
    try {
      await this.passkeys.insertOne({ _id: credentialId, ...rest })
      return true
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false
      throw error
    }
  }

  async find(credentialId: string) {
    const doc = await this.passkeys.findOne({ _id: credentialId })
    return doc ? MongoPasskeys.toRecord(doc) : null
  }

  async listByUser(userId: string) {
    return (await this.passkeys.find({ userId }).sort({ createdAt: 1, _id: 1 }).toArray()).map(MongoPasskeys.toRecord)
  }

  async rename(userId: string, credentialId: string, name: string) {
    return (await this.passkeys.updateOne({ _id: credentialId, userId }, { $set: { name } })).matchedCount === 1
  }

  async delete(userId: string, credentialId: string) {
    return (await this.passkeys.deleteOne({ _id: credentialId, userId })).deletedCount === 1
  }

  async recordUse(credentialId: string, counter: number, at: number) {
    const grows = counter === 0 ? { counter: 0 } : { counter: { $lt: counter } }
    return (await this.passkeys.updateOne({ _id: credentialId, ...grows }, { $set: { counter, lastUsedAt: at } })).modifiedCount === 1
  }

  async saveChallenge({ challenge, ...rest }: WebAuthnChallengeRecord) {
    await this.challenges.insertOne({ _id: challenge, ...rest, expireAt: new Date(rest.expiresAt) })
  }

  async takeChallenge(challenge: string, ceremony: WebAuthnCeremony, now: number) {
    const doc = await this.challenges.findOneAndDelete({ _id: challenge, ceremony, expiresAt: { $gt: now } })
    if (!doc) return null
    return { challenge: doc._id, ceremony: doc.ceremony, userId: doc.userId, expiresAt: doc.expiresAt }
  }

  async deleteExpiredChallenges(now: number) {
    await this.challenges.deleteMany({ expiresAt: { $lte: now } })
  }

  /** Called when the user is deleted. */
  async removeUser(userId: string) {
    await this.passkeys.deleteMany({ userId })
  }
}
