import { mongodb } from '@fastify/mongodb'
import type { LegacyData } from '../../services/legacy-import.js'

/** Reads the collections of the old moneypenny-mongo-storage (`oauth_users`, `local_users`, `oauth_client`, `oauth_code`). */
export async function readLegacyCollections(uri: string): Promise<LegacyData> {
  const client = new mongodb.MongoClient(uri, { serverSelectionTimeoutMS: 5000 })
  await client.connect()
  try {
    const db = client.db()
    const [oauthUsers, localUsers, clients, codeCount] = await Promise.all([
      db.collection('oauth_users').find({}).toArray(),
      db.collection('local_users').find({}).toArray(),
      db.collection('oauth_client').find({}).toArray(),
      db.collection('oauth_code').countDocuments()
    ])
    const plain = (docs: Record<string, unknown>[]) => docs.map((doc) => ({ ...doc, _id: String(doc._id) }))
    return { users: plain([...oauthUsers, ...localUsers]), clients: plain(clients), codeCount }
  } finally {
    await client.close()
  }
}
