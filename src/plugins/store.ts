import fp from 'fastify-plugin'
import { openStore } from '../store/index.js'
import { instrumentStore } from './metrics.js'
import type { Store } from '../store/port.js'

declare module 'fastify' {
  interface FastifyInstance {
    store: Store
  }
}

export interface StorePluginOptions {
  /** An already open store (tests); otherwise the configured adapter is opened. */
  store?: Store
}

/** Opens the configured store, shares it as `app.store`, closes it with the app. */
export default fp<StorePluginOptions>(
  async (app, options) => {
    const store = instrumentStore(options.store ?? (await openStore(app.config.store)))
    app.decorate('store', store)
    app.addDependencyCheck('store', (error) => store.isUnavailable(error))
    app.addHook('onClose', () => store.close())
  },
  { name: 'store', dependencies: ['config', 'errors'] }
)
