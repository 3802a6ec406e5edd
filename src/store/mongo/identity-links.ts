import type { Collection, ObjectId } from 'mongodb'
import type { IdentityLinkRecord, IdentityLinkRepository } from '../port.js'

/** The port's fields, and the sealed tokens kept for the link; (provider, subject) is unique by index. */
export type IdentityLinkDoc = IdentityLinkRecord & { _id?: ObjectId; tokens?: string | null }

const DUPLICATE_KEY = 11000

/** One document per link, in `identity_links`; removed with its user (a dependent of MongoUsers). */
export class MongoIdentityLinks implements IdentityLinkRepository {
  constructor(private readonly links: Collection<IdentityLinkDoc>) {}

  static toRecord({ provider, subject, userId, createdAt, lastUsedAt }: IdentityLinkDoc): IdentityLinkRecord {
    return { provider, subject, userId, createdAt, lastUsedAt }
  }

  async add(link: IdentityLinkRecord) {
    try {
      // A copy: insertOne adds `_id` to the object it is given.
      await this.links.insertOne({ ...link })
      return true
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false
      throw error
    }
  }

  async find(provider: string, subject: string) {
    const doc = await this.links.findOne({ provider, subject })
    return doc ? MongoIdentityLinks.toRecord(doc) : null
  }

  async listByUser(userId: string) {
    return (await this.links.find({ userId }).sort({ createdAt: 1, provider: 1, subject: 1 }).toArray()).map(MongoIdentityLinks.toRecord)
  }

  async delete(userId: string, provider: string) {
    return (await this.links.deleteMany({ userId, provider })).deletedCount > 0
  }

  async recordUse(provider: string, subject: string, at: number) {
    await this.links.updateOne({ provider, subject }, { $set: { lastUsedAt: at } })
  }

  async keepTokens(provider: string, subject: string, sealed: string | null) {
    await this.links.updateOne({ provider, subject }, { $set: { tokens: sealed } })
  }

  async keptTokens(provider: string, subject: string) {
    return (await this.links.findOne({ provider, subject }, { projection: { tokens: 1 } }))?.tokens ?? null
  }

  /** Called when the user is deleted. */
  async removeUser(userId: string) {
    await this.links.deleteMany({ userId })
  }
}
