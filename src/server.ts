// The process's entry: `node dist/src/server.js`, or the image's one-file bundle of it, dist/bundle/server.js.
import { main } from './main.js'

main().catch((error: unknown) => {
  process.stderr.write(`moneypenny: failed to start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
