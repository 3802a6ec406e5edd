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
      // Loaded only when used: the driver is a noticeable part of the start-up time.
      return (await import('./mongo/index.js')).openMongoStore(config.uri)
  }
}
