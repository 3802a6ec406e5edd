import type { Collection } from 'mongodb'
import type { MfaRepository, RecoveryCodeRecord, TotpFactorRecord } from '../port.js'

export type TotpDoc = Omit<TotpFactorRecord, 'userId'> & { _id: string }
export type RecoveryCodeDoc = RecoveryCodeRecord & { _id: string }

const DUPLICATE_KEY = 11000

/** One document per factor (`_id` is the user id) and one per recovery code (`_id` is user id and hash). */
export class MongoMfa implements MfaRepository {
  constructor(
    private readonly totp: Collection<TotpDoc>,
    private readonly codes: Collection<RecoveryCodeDoc>
  ) {}

  static toFactor({ _id, ...rest }: TotpDoc): TotpFactorRecord {
    return { userId: _id, ...rest }
  }

  async findTotp(userId: string) {
    const doc = await this.totp.findOne({ _id: userId })
    return doc ? MongoMfa.toFactor(doc) : null
  }

  /** An upsert that matches only an unconfirmed factor: with a confirmed one it tries to insert the same _id and fails. */
  async saveTotp({ userId, ...rest }: TotpFactorRecord) {
    try {
      await this.totp.updateOne({ _id: userId, confirmedAt: null }, { $set: rest }, { upsert: true })
      return true
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false
      throw error
    }
  }

  async confirmTotp(userId: string, step: number, at: number) {
    return (await this.totp.updateOne({ _id: userId, confirmedAt: null }, { $set: { confirmedAt: at, lastStep: step } })).modifiedCount === 1
  }

  async useTotpStep(userId: string, step: number) {
    const filter = { _id: userId, confirmedAt: { $ne: null }, lastStep: { $lt: step } }
    return (await this.totp.updateOne(filter, { $set: { lastStep: step } })).modifiedCount === 1
  }

  async removeTotp(userId: string) {
    await this.codes.deleteMany({ userId })
    return (await this.totp.deleteOne({ _id: userId })).deletedCount === 1
  }

  async replaceRecoveryCodes(userId: string, hashes: string[]) {
    await this.codes.deleteMany({ userId })
    if (hashes.length) await this.codes.insertMany(hashes.map((hash) => ({ _id: `${userId}:${hash}`, userId, hash })))
  }

  async useRecoveryCode(userId: string, hash: string) {
    return (await this.codes.deleteOne({ _id: `${userId}:${hash}`, userId })).deletedCount === 1
  }

  async countRecoveryCodes(userId: string) {
    return this.codes.countDocuments({ userId })
  }

  /** Called when the user is deleted. */
  async removeUser(userId: string) {
    await this.removeTotp(userId)
  }
}
