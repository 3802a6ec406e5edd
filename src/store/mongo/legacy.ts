import { mongodb } from '@fastify/mongodb'
import type { LegacyData } from '../../services/legacy-import.js'

/**
 * Reads the collections of the old moneypenny-mongo-storage: `oauth_users`, `local_users`, and the
 * clients and codes under the names its README gives (`oauth_client_store`, `oauth_code_store`)
 * or the shorter ones some deployments used (`oauth_client`, `oauth_code`); both are read.
 */
export async function readLegacyCollections(uri: string): Promise<LegacyData> {
  const client = new mongodb.MongoClient(uri, { serverSelectionTimeoutMS: 5000 })
  await client.connect()
  try {
    const db = client.db()
    const [oauthUsers, localUsers, clientStore, clients, codeStoreCount, codeCount] = await Promise.all([
      db.collection('oauth_users').find({}).toArray(),
      db.collection('local_users').find({}).toArray(),
      db.collection('oauth_client_store').find({}).toArray(),
      db.collection('oauth_client').find({}).toArray(),
      db.collection('oauth_code_store').countDocuments(),
      db.collection('oauth_code').countDocuments()
    ])
    const plain = (docs: Record<string, unknown>[]) => docs.map((doc) => ({ ...doc, _id: String(doc._id) }))
    return { users: plain([...oauthUsers, ...localUsers]), clients: plain([...clientStore, ...clients]), codeCount: codeStoreCount + codeCount }
  } finally {
    await client.close()
  }
}
