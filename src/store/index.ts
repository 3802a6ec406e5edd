import type { Config } from '../config.js'
import type { Store } from './port.js'
import { openSqliteStore } from './sqlite/index.js'

export type { Store } from './port.js'

/** The adapter the configuration names. */
export async function openStore(config: Config['store']): Promise<Store> {
  switch (config.kind) {
    case 'sqlite':
      return openSqliteStore(config.path)
    case 'mongodb':
      throw new Error('MONGODB_URI is set, but this release has no MongoDB adapter yet; unset it to use SQLite')
  }
}
