import type { Collection, Db } from 'mongodb'
import { FINISHED_MAIL_KEPT_MS, type MailLinkPurpose, type MailLinkRecord, type MailLinkRepository, type OutboxMessage, type OutboxRepository } from '../port.js'

export type OutboxDoc = Omit<OutboxMessage, 'id'> & { _id: string; finishedAtDate?: Date }
export type MailLinkDoc = Omit<MailLinkRecord, 'hash'> & { _id: string; expireAt: Date }


export function messageFromDoc({ _id, finishedAtDate: _date, ...rest }: OutboxDoc): OutboxMessage {
  return { id: _id, ...rest }
}

function resetFromDoc({ _id, expireAt: _expireAt, ...rest }: MailLinkDoc): MailLinkRecord {
  // Links stored before address changes existed have no newEmail.
  return { hash: _id, ...rest, newEmail: rest.newEmail ?? null }
}

const CLEARED = { text: '', html: '' }

/** The outbox (`mail_outbox`): each claim is one findOneAndUpdate whose filter holds the whole condition. */
export class MongoOutbox implements OutboxRepository {
  constructor(private readonly messages: Collection<OutboxDoc>) {}

  async enqueue({ id, ...rest }: OutboxMessage) {
    await this.messages.insertOne({ _id: id, ...rest })
  }

  async claim(worker: string, now: number, leaseUntil: number, limit: number) {
    const claimed: OutboxMessage[] = []
    while (claimed.length < limit) {
      const doc = await this.messages.findOneAndUpdate(
        { status: 'queued', nextAttemptAt: { $lte: now }, $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] },
        { $set: { claimedBy: worker, leaseUntil } },
        { sort: { nextAttemptAt: 1, _id: 1 }, returnDocument: 'after' }
      )
      if (!doc) break
      claimed.push(messageFromDoc(doc))
    }
    return claimed
  }

  async markSent(id: string, worker: string, at: number) {
    const result = await this.messages.updateOne(
      { _id: id, claimedBy: worker, status: 'queued' },
      { $set: { status: 'sent', finishedAt: at, finishedAtDate: new Date(at + FINISHED_MAIL_KEPT_MS), claimedBy: null, leaseUntil: null, ...CLEARED }, $inc: { attempts: 1 } }
    )
    return result.modifiedCount === 1
  }

  async markFailed(id: string, worker: string, at: number, error: string, retryAt: number | null) {
    const change =
      retryAt === null
        ? { status: 'failed' as const, finishedAt: at, finishedAtDate: new Date(at + FINISHED_MAIL_KEPT_MS), lastError: error, claimedBy: null, leaseUntil: null, ...CLEARED }
        : { nextAttemptAt: retryAt, lastError: error, claimedBy: null, leaseUntil: null }
    const result = await this.messages.updateOne({ _id: id, claimedBy: worker, status: 'queued' }, { $set: change, $inc: { attempts: 1 } })
    return result.modifiedCount === 1
  }

  async findById(id: string) {
    const doc = await this.messages.findOne({ _id: id })
    return doc ? messageFromDoc(doc) : null
  }

  async deleteFinished(before: number) {
    await this.messages.deleteMany({ finishedAt: { $ne: null, $lte: before } })
  }
}

/** Mailed links (`mail_links`), `_id` the token's hash, with a TTL index on `expireAt`. */
export class MongoMailLinks implements MailLinkRepository {
  constructor(private readonly links: Collection<MailLinkDoc>) {}

  /** Deletes the user's other links first: a parallel issue may leave two, and the newer stamp decides (see find). */
  async issue({ hash, ...rest }: MailLinkRecord) {
    await this.withdraw(rest.userId, rest.purpose)
    await this.links.insertOne({ _id: hash, ...rest, expireAt: new Date(rest.expiresAt) })
  }

  async find(hash: string, purpose: MailLinkPurpose, now: number) {
    const doc = await this.links.findOne({ _id: hash, purpose, usedAt: null, expiresAt: { $gt: now } })
    return doc && (await this.isNewest(doc)) ? resetFromDoc(doc) : null
  }

  async consume(hash: string, purpose: MailLinkPurpose, now: number) {
    const doc = await this.links.findOneAndUpdate({ _id: hash, purpose, usedAt: null, expiresAt: { $gt: now } }, { $set: { usedAt: now } }, { returnDocument: 'after' })
    return doc && (await this.isNewest(doc)) ? resetFromDoc(doc) : null
  }

  async pending(userId: string, purpose: MailLinkPurpose, now: number) {
    const doc = await this.links.findOne({ userId, purpose, usedAt: null, expiresAt: { $gt: now } }, { sort: { createdAt: -1 } })
    return doc && (await this.isNewest(doc)) ? resetFromDoc(doc) : null
  }

  async withdraw(userId: string, purpose: MailLinkPurpose) {
    return (await this.links.deleteMany({ userId, purpose })).deletedCount > 0
  }

  async deleteExpired(now: number) {
    await this.links.deleteMany({ expiresAt: { $lte: now } })
  }

  /** Without a transaction two issues may both insert; only the later one counts. */
  private async isNewest(doc: MailLinkDoc): Promise<boolean> {
    const newer = await this.links.countDocuments({ userId: doc.userId, purpose: doc.purpose, createdAt: { $gt: doc.createdAt } }, { limit: 1 })
    return newer === 0
  }
}

export async function createMailIndexes(db: Db, names: { outbox: string; mailLinks: string }): Promise<void> {
  await Promise.all([
    db.collection(names.outbox).createIndexes([
      { key: { status: 1, nextAttemptAt: 1 } },
      { key: { finishedAtDate: 1 }, expireAfterSeconds: 0 }
    ]),
    db.collection(names.mailLinks).createIndexes([{ key: { userId: 1, purpose: 1 } }, { key: { expireAt: 1 }, expireAfterSeconds: 0 }])
  ])
}
