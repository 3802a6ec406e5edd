// Preloaded into a server (node --import): counts the TCP connections it accepts and writes the
// count to CONNECTIONS_FILE when the process exits. For the gateway bench, which asks how many
// connections nginx opened to moneypenny.
import { subscribe } from 'node:diagnostics_channel'
import { writeFileSync } from 'node:fs'

let accepted = 0
subscribe('net.server.socket', () => {
  accepted += 1
})
process.on('exit', () => writeFileSync(process.env.CONNECTIONS_FILE, String(accepted)))
